"""Routing's writes: give a case to an agent (or say why it waits), and the settings
and skills leads edit.

Stable entry point for other apps (automation's "assign by routing" action)::

    from kefu.routing.services import route_case
    result = route_case(case, at=now, actor=None)   # -> RouteResult

``route_case`` gives an unowned, open case of a routed team to an agent and
records a "routed" event saying why, or leaves it in the team queue with a
reason ("no agent with 英语 on shift") that the retry clock (``clocks.py``)
tries again every minute. It never raises for the case's state: an owned,
closed or unrouted case comes back as ``Outcome.SKIPPED``. It does not check the
actor's permissions (intake, the clock and rules call it); the page's "route
now" goes through ``case_route_now``, which does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Message
from kefu.core.audit import audit_record
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.customers.models import Channel, Organisation
from kefu.routing import engine, reasons, selectors, sql
from kefu.routing.errors import RoutingErrorCode
from kefu.routing.models import AgentSkill, CaseRouting, RoutingMethod, SkillKind, TeamRouting

RETRY_EVERY = timedelta(minutes=1)


class Outcome(StrEnum):
    ROUTED = "routed"
    WAITING = "waiting"
    SKIPPED = "skipped"  # owned already, closed, or the team is not routed


@dataclass(frozen=True)
class RouteResult:
    outcome: Outcome
    agent: User | None = None
    code: str = ""  # engine.Code for routed and waiting; why for skipped
    text: str = ""  # the decision in the active language

    @property
    def is_routed(self) -> bool:
        return self.outcome == Outcome.ROUTED


def _skipped(why: str) -> RouteResult:
    return RouteResult(Outcome.SKIPPED, code=why)


def _event_data(
    decision: engine.Decision, *, agent: User | None, channel: str, minutes: int
) -> dict[str, Any]:
    shown = decision.missing if decision.code == engine.Code.NO_SKILL else decision.requirements
    data: dict[str, Any] = {
        "code": str(decision.code),
        "count": decision.count,
        "skills": [[need.kind, need.value] for need in shown],
        "channel": channel,
    }
    if agent is not None:
        data["agent"] = str(agent)
    if decision.code == engine.Code.FALLBACK:
        data["minutes"] = minutes
    if decision.absent:
        data["absent"] = {str(key): value for key, value in decision.absent.items()}
    return data


def _threatened(case: Case, *, latest_threat: bool) -> bool:
    return case.is_over_heads or case.escalation_level > 0 or latest_threat


def _give(
    *,
    case: Case,
    agent: User,
    at: datetime,
    actor: User | None,
    data: dict[str, Any],
    row: CaseRouting | bool | None = True,
) -> bool:
    """``row``: the case's routing row as ``route_case`` read it (None: it has none,
    so there is nothing to mark routed); True when the caller did not read it."""
    # Compare-and-swap on "nobody owns it": a person or rule that took the case
    # meanwhile keeps it.
    taken = Case.objects.filter(pk=case.pk, owner__isnull=True).update(
        owner=agent, updated_at=at, version=F("version") + 1
    )
    if taken != 1:
        return False
    case.owner = agent
    case_event_record(case=case, kind=reasons.ROUTED_EVENT, at=at, actor=actor, **data)
    audit_record(
        actor=actor,
        action="case.assigned",
        target=case,
        at=at,
        before={"owner": None},
        after={"owner": agent.get_username(), "routing": data["code"]},
    )
    if row is None:
        return True
    CaseRouting.objects.filter(case=case).update(
        status=CaseRouting.Status.ROUTED,
        reason="",
        reason_params={},
        next_try_at=None,
        updated_at=at,
    )
    return True


def _wait(
    *, case: Case, row: CaseRouting | None, at: datetime, actor: User | None, data: dict[str, Any]
) -> None:
    code = str(data["code"])
    changed = row is None or row.status != CaseRouting.Status.WAITING or row.reason != code
    changed = changed or (row is not None and row.reason_params != data)
    if row is None:
        CaseRouting.objects.create(
            case=case,
            status=CaseRouting.Status.WAITING,
            reason=code,
            reason_params=data,
            waiting_since=at,
            next_try_at=at + RETRY_EVERY,
            tries=1,
            updated_at=at,
        )
    else:
        since = row.waiting_since if row.status == CaseRouting.Status.WAITING else None
        CaseRouting.objects.filter(pk=row.pk).update(
            status=CaseRouting.Status.WAITING,
            reason=code,
            reason_params=data,
            waiting_since=since or at,
            next_try_at=at + RETRY_EVERY,
            tries=F("tries") + 1,
            updated_at=at,
        )
    if changed:
        # One line per new reason, not one a minute while it stays the same.
        case_event_record(case=case, kind=reasons.WAITING_EVENT, at=at, actor=actor, **data)


def _done(row: CaseRouting | None, at: datetime) -> None:
    if row is not None and row.status == CaseRouting.Status.WAITING:
        CaseRouting.objects.filter(pk=row.pk).update(
            status=CaseRouting.Status.DONE, next_try_at=None, updated_at=at
        )


def route_case(
    case: Case,
    *,
    at: datetime,
    actor: User | None = None,
    only_message: Message | None = None,
    just_opened: bool = False,
) -> RouteResult:
    """Give ``case`` to an agent of its team by the team's routing, or leave it waiting
    with the reason; see the module docstring. Safe to call twice.

    ``only_message``: the case's one customer message, read by the coach, when the
    caller holds it (intake, as the case opens), so it is not read again.

    ``just_opened``: ``case`` is a copy of a case opened in this transaction that
    nothing has changed since (``hooks.case_of``): it has no routing row yet, and
    only its team's settings are read."""
    if just_opened:
        fresh: Case | None = case
        row: CaseRouting | None = None
    else:
        # One query for the case, its team's settings and its own routing row.
        fresh = (
            Case.objects.select_related("contact", "organisation", "team__routing", "routing")
            .filter(pk=case.pk)
            .first()
        )
        row = _related(fresh, "routing")
    if fresh is None:
        return _skipped("missing")
    if fresh.owner_id is not None or not fresh.is_open:
        _done(row, at)
        return _skipped("owned" if fresh.owner_id else "closed")
    team = fresh.team
    if team is None:
        settings_row = None
    elif just_opened:
        # The team may be a shared, cached row (the intake team): its settings are
        # read here rather than cached on it.
        settings_row = sql.team_settings(team.pk)
    else:
        settings_row = _related(team, "routing")
    if team is None or settings_row is None or not settings_row.is_enabled:
        _done(row, at)
        return _skipped("not_routed")
    if only_message is not None and only_message.case_id == fresh.pk:
        first_message, latest_threat = only_message.body, bool(only_message.threat)
    else:
        first_message, latest_threat = selectors.inbound_facts(fresh)
    if _threatened(fresh, latest_threat=latest_threat):
        # As the escalation ladder and the coach do: a threat or over-heads case is the lead's.
        lead = selectors.lead_for(fresh)
        if lead is not None:
            data = {"code": str(engine.Code.LEAD), "agent": str(lead), "count": 1}
            if _give(case=fresh, agent=lead, at=at, actor=actor, data=data, row=row):
                return RouteResult(Outcome.ROUTED, lead, engine.Code.LEAD, _text(data))
            return _skipped("owned")
    needs = selectors.requirements_for(fresh, row, first_message=first_message)
    waited = (
        at - row.waiting_since if row and row.waiting_since and row.status == "waiting" else None
    )
    fallback = timedelta(minutes=settings_row.fallback_minutes)
    open_id, last_id = selectors.sticky_agents(fresh, at=at, days=settings_row.sticky_days)
    channel_capacity = settings_row.channel_capacity.get(fresh.channel)
    policy = engine.Policy(
        method=engine.Method(settings_row.method),
        capacity=settings_row.capacity,
        channel_capacity=int(channel_capacity) if channel_capacity is not None else None,
        last_agent_id=settings_row.last_agent_id,
        fallen_back=(waited or timedelta(0)) >= fallback,
        sticky_open_id=open_id,
        sticky_last_id=last_id,
    )
    candidates, agents = selectors.candidates_for(
        team, channel=fresh.channel, at=at, require_shift=settings_row.require_shift
    )
    decision = engine.choose(candidates, needs, policy)
    if decision.agent_id is None:
        data = _event_data(
            decision, agent=None, channel=fresh.channel, minutes=settings_row.fallback_minutes
        )
        _wait(case=fresh, row=row, at=at, actor=actor, data=data)
        return RouteResult(Outcome.WAITING, None, decision.code, _text(data))
    agent = agents[decision.agent_id]
    data = _event_data(
        decision, agent=agent, channel=fresh.channel, minutes=settings_row.fallback_minutes
    )
    if not _give(case=fresh, agent=agent, at=at, actor=actor, data=data, row=row):
        return _skipped("owned")
    if policy.method == engine.Method.ROUND_ROBIN:
        TeamRouting.objects.filter(pk=settings_row.pk).update(last_agent=agent)
    return RouteResult(Outcome.ROUTED, agent, decision.code, _text(data))


def _related(obj: object, name: str) -> Any:
    """A reverse one-to-one fetched by ``select_related``, or None when there is no row."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _text(data: dict[str, Any]) -> str:
    return reasons.decision_text(str(data["code"]), data)


def route_waiting_due(*, now: datetime, limit: int = 500) -> int:
    """Try again every waiting case whose retry is due (the clock's job); returns how
    many were given to someone. A case that fails is logged by the caller's loop and
    tried at the next tick; each case runs in its own savepoint."""
    routed = 0
    due = (
        CaseRouting.objects.filter(status=CaseRouting.Status.WAITING, next_try_at__lte=now)
        .select_related("case")
        .order_by("next_try_at", "pk")[:limit]
    )
    for row in due:
        with transaction.atomic():
            if route_case(row.case, at=now).is_routed:
                routed += 1
    return routed


# -- settings, skills and requirements -----------------------------------------------------

_CHOICE_VALUES: dict[str, tuple[str, ...]] = {
    SkillKind.CATEGORY: tuple(Case.Category.values),
    SkillKind.CHANNEL: tuple(Channel.values),
    SkillKind.TIER: tuple(Organisation.Tier.values),
}


def _language_values() -> tuple[str, ...]:
    from django.conf import settings

    return tuple(code for code, _label in settings.LANGUAGES)


def clean_requirement(kind: str, value: str, level: int) -> engine.Requirement:
    """A skill or requirement checked: a known kind, a value of that kind, level 1-3."""
    if kind not in SkillKind.values:
        raise DomainError(
            RoutingErrorCode.UNKNOWN_SKILL_KIND,
            _(
                "Choose a kind of skill: category, language, channel, customer tier, region "
                "or topic."
            ),
        )
    value = value.strip()
    allowed = _language_values() if kind == SkillKind.LANGUAGE else _CHOICE_VALUES.get(kind)
    if not value or len(value) > 100 or (allowed is not None and value not in allowed):
        raise DomainError(
            RoutingErrorCode.UNKNOWN_SKILL_VALUE,
            _("“%(value)s” is not a %(kind)s the desk knows; pick one from the list."),
            value=value[:100],
            kind=reasons.kind_label(kind),
        )
    if level not in (1, 2, 3):
        raise DomainError(RoutingErrorCode.BAD_LEVEL, _("A level is 1, 2 or 3."))
    return engine.Requirement(kind, value, level)


@transaction.atomic
def team_routing_save(
    *,
    actor: User,
    team: Team,
    at: datetime,
    method: str,
    is_enabled: bool = True,
    fallback_minutes: int = 10,
    require_shift: bool = True,
    sticky_days: int = 7,
    capacity: int = 15,
    channel_capacity: dict[str, int] | None = None,
) -> TeamRouting:
    """Create or change ``team``'s routing; the actor must manage the team."""
    selectors.access_team(actor, team.pk)
    if method not in RoutingMethod.values:
        raise DomainError(
            RoutingErrorCode.UNKNOWN_METHOD,
            _("Choose round robin, least loaded or skills first."),
        )
    limits = {str(k): int(v) for k, v in (channel_capacity or {}).items()}
    unknown = [name for name in limits if name not in Channel.values]
    if unknown:
        raise DomainError(
            RoutingErrorCode.BAD_CAPACITY,
            _("No such channel: %(channel)s."),
            channel=", ".join(unknown),
        )
    numbers = [fallback_minutes, sticky_days, capacity, *limits.values()]
    if any(n < 0 or n > 10_000 for n in numbers) or capacity < 1:
        raise DomainError(
            RoutingErrorCode.BAD_CAPACITY,
            _(
                "Capacities, minutes and days are whole numbers from 0 to 10000 "
                "(capacity at least 1)."
            ),
        )
    values = {
        "method": method,
        "is_enabled": is_enabled,
        "fallback_minutes": fallback_minutes,
        "require_shift": require_shift,
        "sticky_days": sticky_days,
        "capacity": capacity,
        "channel_capacity": limits,
    }
    existing = TeamRouting.objects.filter(team=team).first()
    before = {key: getattr(existing, key) for key in values} if existing else None
    row, _created = TeamRouting.objects.update_or_create(
        team=team, defaults={**values, "updated_at": at}
    )
    audit_record(
        actor=actor, action="routing.team_saved", target=team, at=at, before=before, after=values
    )
    return row


@transaction.atomic
def skill_set(
    *, actor: User, agent: User, kind: str, value: str, level: int, at: datetime
) -> AgentSkill:
    """Give ``agent`` a skill at ``level`` (or change its level)."""
    selectors.authorize_manage(actor)
    if agent.team_id is None or not selectors.teams_for(actor).filter(pk=agent.team_id).exists():
        raise DomainError(
            RoutingErrorCode.AGENT_NOT_IN_TEAM,
            _("%(agent)s is not in a team you manage."),
            agent=str(agent),
        )
    need = clean_requirement(kind, value, level)
    skill, _created = AgentSkill.objects.update_or_create(
        agent=agent,
        kind=need.kind,
        value=need.value,
        defaults={"level": need.level, "updated_at": at},
    )
    audit_record(
        actor=actor,
        action="routing.skill_saved",
        target=agent,
        at=at,
        after={"kind": need.kind, "value": need.value, "level": need.level},
    )
    return skill


@transaction.atomic
def skill_remove(*, actor: User, skill: AgentSkill, at: datetime) -> None:
    """Take the skill away (``skill`` comes from ``selectors.access_skill``)."""
    selectors.authorize_manage(actor)
    audit_record(
        actor=actor,
        action="routing.skill_removed",
        target=skill.agent,
        at=at,
        before={"kind": skill.kind, "value": skill.value, "level": skill.level},
    )
    skill.delete()


@transaction.atomic
def case_requirements_set(
    *, actor: User, case: Case, requirements: list[dict[str, Any]] | None, at: datetime
) -> CaseRouting:
    """Set the case's requirements by hand (``None``: read them from the case again),
    then route it at once if nobody owns it. ``case`` comes from ``access_case``."""
    selectors.authorize_manage(actor)
    if not case.is_open:
        raise DomainError(RoutingErrorCode.CASE_CLOSED, _("The case is closed; reopen it first."))
    cleaned = [
        clean_requirement(
            str(item.get("kind", "")), str(item.get("value", "")), int(item.get("level", 1))
        )
        for item in requirements or []
    ]
    stored = [{"kind": n.kind, "value": n.value, "level": n.level} for n in cleaned]
    row, _created = CaseRouting.objects.update_or_create(
        case=case,
        defaults={"requirements": stored, "is_manual": requirements is not None, "updated_at": at},
    )
    audit_record(
        actor=actor,
        action="routing.requirements_set",
        target=case,
        at=at,
        after={"requirements": stored, "manual": requirements is not None},
    )
    if case.owner_id is None:
        route_case(case, at=at, actor=actor)
        row.refresh_from_db()
    return row


def case_route_now(*, actor: User, case: Case, at: datetime) -> RouteResult:
    """A lead's "route now" on an unowned case (``case`` from ``access_case``)."""
    selectors.authorize_manage(actor)
    with transaction.atomic():
        return route_case(case, at=at, actor=actor)
