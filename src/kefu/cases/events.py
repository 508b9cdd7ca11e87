"""One writer per timeline event, and how each event reads in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from kefu.cases.delivery import failure_text
from kefu.cases.models import (
    Case,
    CaseEvent,
    Commitment,
    CompensationOffer,
    Escalation,
    SlaBreach,
)
from kefu.cases.playbook import step_label, threat_kinds_text
from kefu.core.labels import field_label
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.timefmt import display_value
from kefu.customers.models import Channel


def case_event_record(
    *, case: Case, kind: str, at: datetime, actor: User | None, **data: Any
) -> CaseEvent:
    """Append one event to the case's history; ``data`` must be JSON values."""
    return CaseEvent.objects.create(case=case, kind=kind, at=at, actor=actor, data=data)


_TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "opened": lambda d: _("Opened from %(channel)s") % d,
    "replied": lambda d: _("Replied to the customer by %(channel)s") % d,
    "customer_wrote": lambda d: _("The customer wrote by %(channel)s") % d,
    "note": lambda d: _("Internal note added"),
    "call_logged": lambda d: (
        _("Phone call (%(direction)s), %(minutes)s min")
        % {**d, "direction": _direction_label(str(d.get("direction", "")))}
    ),
    "status_changed": lambda d: (
        _("Status: %(before)s → %(after)s")
        % {"before": _status_label(d["before"]), "after": _status_label(d["after"])}
    ),
    "assigned": lambda d: _("Owner: %(owner)s") % d,
    "updated": lambda d: (
        _("Details changed: %(fields)s") % {"fields": _field_labels(str(d.get("fields", "")))}
    ),
    "escalated": lambda d: (
        _("Escalated to %(owner)s (level %(level)s): %(reason)s")
        % {
            **d,
            "reason": d.get("reason") or _choice(Escalation.Reason, d.get("reason_code", "")),
        }
    ),
    "escalation_unstaffed": lambda d: (
        _("Could not escalate: nobody holds the %(role)s step")
        % {"role": _choice(Role, d.get("role", ""))}
    ),
    "over_heads": lambda d: _("Customer went over heads; the manager was told at once"),
    "transferred": lambda d: _("Transferred to %(department)s; %(agent)s stays the contact") % d,
    "transfer_loop": lambda d: _("Moved %(count)s times: flagged as a transfer loop") % d,
    "sla_breached": lambda d: (
        _("SLA breached: %(target)s was due %(due)s")
        % {**d, "target": _target_label(d.get("target", ""))}
    ),
    "sla_warning": lambda d: (
        _("SLA warning: %(target)s is due %(due)s")
        % {**d, "target": _target_label(d.get("target", ""))}
    ),
    "sla_retimed": lambda d: (
        _("SLA due times moved: the working calendar changed on %(dates)s")
        % {"dates": ", ".join(d.get("dates", []))}
    ),
    "commitment_made": lambda d: _("Promised: %(what)s by %(due)s") % d,
    "commitment_overdue": lambda d: _("Promise overdue: %(what)s") % d,
    # Statuses and kinds are stored as codes and read as labels; rows written before
    # that hold the label, which reads as it was written.
    "commitment_closed": lambda d: (
        _("Promise %(status)s: %(what)s") % {**d, "status": _choice(Commitment.Status, d["status"])}
    ),
    "compensation_offered": lambda d: (
        _("Compensation %(type)s %(amount)s: %(status)s")
        % {
            **d,
            "type": _choice(CompensationOffer.Kind, d["type"]),
            "status": _choice(CompensationOffer.Status, d["status"]),
        }
    ),
    "compensation_decided": lambda d: (
        _("Compensation %(amount)s %(status)s")
        % {**d, "status": _choice(CompensationOffer.Status, d["status"])}
    ),
    "compensation_told": lambda d: (
        _("The customer was told the approved compensation of %(amount)s") % d
    ),
    "merged": lambda d: _("Merged into %(reference)s") % d,
    "merged_from": lambda d: _("Merged in %(reference)s") % d,
    "linked": lambda d: _("Linked to %(reference)s") % d,
    "thread_refused": lambda d: (
        _(
            "This mail named case %(reference)s, but its sender is not on that case, so it "
            "was opened as a new case. Check before linking them."
        )
        % d
        if "reference" in d
        else _("This mail named a case its sender is not on, so it was opened as a new case.")
    ),
    "delivery_failed": lambda d: (
        _("Not delivered by %(channel)s: %(why)s")
        % {
            **d,
            "why": failure_text(
                str(d.get("code", "")), channel=d["channel"], attempts=d.get("attempts", 1)
            ),
        }
    ),
    # Read in place of "replied" when that reply's delivery failed (selectors_replies).
    "reply_not_delivered": lambda d: _("Replied to the customer by %(channel)s; not delivered") % d,
    "resent": lambda d: (
        _("Resent the undelivered %(from_channel)s reply by %(channel)s")
        % {**d, "from_channel": _channel_label(str(d.get("from_channel", "")))}
    ),
    "thread_refused_elsewhere": lambda d: (
        _(
            "A mail naming this case came from someone who is not on it; it was opened as "
            "%(reference)s for review."
        )
        % d
    ),
    "coach_priority": lambda d: (
        _("The coach read an upset customer: priority %(before)s → %(after)s (risk %(risk)s)")
        % {**d, "before": _priority_label(d["before"]), "after": _priority_label(d["after"])}
    ),
    "coach_threat": lambda d: (
        _("The customer threatens to escalate (%(kinds)s); lead alerted")
        % {"kinds": str(threat_kinds_text(d.get("kinds", [])))}
    ),
    "playbook": lambda d: (
        (
            _("Playbook step done: %(step)s")
            if d.get("done") == "1"
            else _("Playbook step undone: %(step)s")
        )
        % {"step": step_label(d.get("step", ""))}
    ),
}


def register_event_text(kind: str, render: Callable[[dict[str, Any]], str]) -> None:
    """Say how an event kind of an app above ``cases`` (routing, automation) reads.

    Called from that app's ``AppConfig.ready``; ``render`` gets the event's data
    (instants already in the reader's zone, ``channel`` as its label) and returns
    the line in the active language. Registering a kind again replaces it.
    """
    _TEXTS[kind] = render


def _choice(choices: type[models.TextChoices], value: object) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


def _status_label(value: object) -> str:
    try:
        return str(Case.Status(str(value)).label)
    except ValueError:
        return str(value)


def _direction_label(value: str) -> str:
    # The call directions of channels.CallRecord (cases does not import channels).
    labels = {"in": _("Inbound"), "out": _("Outbound")}
    return labels.get(value, value)


def _field_labels(names: str) -> str:
    parts = (part.strip() for part in names.split(","))
    return ", ".join(field_label(Case, name) for name in parts if name)


def _priority_label(value: str) -> str:
    try:
        return str(Case.Priority(value).label)
    except ValueError:
        return value


def _target_label(target: str) -> str:
    try:
        return str(SlaBreach.Target(target).label)
    except ValueError:
        return target


def _channel_label(channel: str) -> str:
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


def event_text(event: CaseEvent) -> str:
    """The event as one line in the active language."""
    render = _TEXTS.get(event.kind)
    if render is None:
        return event.kind
    # Instants are stored as ISO strings and read in the reader's time zone.
    data = {
        key: display_value(value) if isinstance(value, str) else value
        for key, value in event.data.items()
    }
    if "channel" in data:
        data["channel"] = _channel_label(str(data["channel"]))
    try:
        return str(render(data))
    except (KeyError, TypeError, ValueError):
        return event.kind
