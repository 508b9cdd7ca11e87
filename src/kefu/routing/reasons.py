"""How routing's decisions read, in the reader's language, from their stored code and
parameters: the case timeline's "routed" and "routing_waiting" events, the waiting
reason on the case panel and the routing page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.cases.models import Case
from kefu.customers.models import Channel, Organisation
from kefu.routing import engine
from kefu.routing.models import SkillKind

ROUTED_EVENT = "routed"
WAITING_EVENT = "routing_waiting"


def value_label(kind: str, value: str) -> str:
    """A skill's or requirement's value as people read it (英语, 重点客户, 邮件)."""
    choices: Mapping[str, Any]
    if kind == SkillKind.CATEGORY:
        choices = dict(Case.Category.choices)
    elif kind == SkillKind.LANGUAGE:
        choices = dict(settings.LANGUAGES)
    elif kind == SkillKind.CHANNEL:
        choices = dict(Channel.choices)
    elif kind == SkillKind.TIER:
        choices = dict(Organisation.Tier.choices)
    else:
        return value
    label = choices.get(value)
    return str(label) if label is not None else value


def kind_label(kind: str) -> str:
    try:
        return str(SkillKind(kind).label)
    except ValueError:
        return kind


def requirements_text(items: Iterable[Any]) -> str:
    """Requirements stored as [kind, value] or {"kind", "value"} pairs, as one phrase."""
    labels = []
    for item in items:
        if isinstance(item, Mapping):
            kind, value = str(item.get("kind", "")), str(item.get("value", ""))
        else:
            kind, value = str(item[0]), str(item[1])
        labels.append(value_label(kind, value))
    return _(", ").join(labels) if labels else _("the skills asked for")


def _channel(value: object) -> str:
    try:
        return str(Channel(str(value)).label)
    except ValueError:
        return str(value)  # already a label (the timeline turns channels into labels)


def _away_text(absent: Mapping[str, Any]) -> str:
    parts = []
    for presence, text in (
        (engine.Presence.OFF_SHIFT, _("%(count)s off shift")),
        (engine.Presence.ON_BREAK, _("%(count)s on a break")),
        (engine.Presence.ON_LEAVE, _("%(count)s on leave")),
        (engine.Presence.SIGNED_OUT, _("%(count)s signed out")),
    ):
        count = absent.get(presence)
        if count:
            parts.append(text % {"count": count})
    return _(", ").join(parts)


def decision_text(code: str, data: Mapping[str, Any]) -> str:
    """One routing decision (given to someone, or waiting) as a line."""
    params = {
        "agent": data.get("agent", ""),
        "count": data.get("count", 0),
        "minutes": data.get("minutes", 0),
        "skills": requirements_text(data.get("skills", [])),
        "channel": _channel(data.get("channel", "")),
        "away": _away_text(data.get("absent", {})),
    }
    texts = {
        engine.Code.ROUND_ROBIN: _("Round robin among %(count)s available agents: to %(agent)s"),
        engine.Code.LEAST_LOADED: _("Least loaded among %(count)s available agents: to %(agent)s"),
        engine.Code.SKILLED: _("Least loaded among %(count)s with %(skills)s skill: to %(agent)s"),
        engine.Code.FALLBACK: _(
            "Nobody with %(skills)s skill after %(minutes)s minutes: least loaded of the "
            "team's %(count)s, to %(agent)s"
        ),
        engine.Code.STICKY_OPEN: _(
            "Returning customer: back to %(agent)s, who has their open case"
        ),
        engine.Code.STICKY_LAST: _("Returning customer: back to %(agent)s, who served them last"),
        engine.Code.LEAD: _("A threat or over-heads case: to the team lead %(agent)s"),
        engine.Code.NO_AGENTS: _("Waiting in the team queue: the team has no agents"),
        engine.Code.NOBODY_ON_SHIFT: _("Waiting in the team queue: nobody on shift"),
        engine.Code.NOBODY_AVAILABLE: _(
            "Waiting in the team queue: nobody on shift is free (%(away)s)"
        ),
        engine.Code.NO_SKILL: _("Waiting in the team queue: no agent with %(skills)s on shift"),
        engine.Code.AT_CAPACITY: _(
            "Waiting in the team queue: all %(count)s available agents are at capacity for "
            "%(channel)s"
        ),
    }
    try:
        text = texts[engine.Code(code)]
    except ValueError:
        return code
    return text % params


def routed_event_text(data: dict[str, Any]) -> str:
    return _("Routed: %(why)s") % {"why": decision_text(str(data.get("code", "")), data)}


def waiting_event_text(data: dict[str, Any]) -> str:
    return decision_text(str(data.get("code", "")), data)
