"""Agent states and breaks. Every change is a row; a break outside the plan is never refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import domain_events
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor import plan
from kefu.floor.adherence import PlanKind
from kefu.floor.errors import FloorErrorCode
from kefu.floor.models import BREAK_STATES, AgentState
from kefu.floor.services import waits

# A scheduled break may be started this long before its planned start.
EARLY_START = timedelta(minutes=10)

State = AgentState.State


class BreakKind(StrEnum):
    """What the agent clicked: the planned break, the planned meal, or a break now."""

    SCHEDULED = "scheduled"
    MEAL = "meal"
    SPECIAL = "special"


def state_current(agent: User) -> AgentState | None:
    """The agent's open state row, or None (never recorded: offline)."""
    return AgentState.objects.filter(agent=agent, ended_at__isnull=True).first()


def _switch(
    *,
    agent: User,
    state: str,
    at: datetime,
    reason: str = "",
    planned: plan.PlannedActivity | None = None,
) -> AgentState:
    current = state_current(agent)
    if current is not None:
        # Compare-and-swap: two tabs switching at once produce one open row.
        closed = AgentState.objects.filter(pk=current.pk, ended_at__isnull=True).update(
            ended_at=max(at, current.started_at)
        )
        if closed != 1:
            raise ConflictError(
                FloorErrorCode.STATE_CHANGED_CONCURRENTLY,
                _("Your state changed in another window; look again and retry."),
            )
    try:
        with transaction.atomic():
            return AgentState.objects.create(
                agent=agent,
                state=state,
                started_at=at,
                reason=reason.strip()[:200],
                planned_activity_id=planned.id if planned else None,
                planned_start=planned.start if planned else None,
            )
    except IntegrityError as exc:
        raise ConflictError(
            FloorErrorCode.STATE_CHANGED_CONCURRENTLY,
            _("Your state changed in another window; look again and retry."),
        ) from exc


def _special(*, agent: User, at: datetime, reason: str) -> AgentState:
    state = _switch(agent=agent, state=State.SPECIAL_BREAK, at=at, reason=reason)
    # Never refused, never timed against the agent: past a while, the lead is asked to look in.
    waits.special_break_schedule(state)
    return state


@transaction.atomic
def state_change(*, actor: User, state: str, at: datetime, reason: str = "") -> AgentState:
    """Record that ``actor`` is now in ``state`` (not a break: see ``break_start``).

    Staying in the same state is a no-op that returns the open row.
    """
    authorize(actor, Perm.WORK_CASES)
    if state not in State.values or state in BREAK_STATES:
        raise DomainError(
            FloorErrorCode.UNKNOWN_STATE,
            _("Choose one of the working states; breaks start with the break buttons."),
        )
    current = state_current(actor)
    if current is not None and current.state == state:
        return current
    return _switch(agent=actor, state=state, at=at, reason=reason)


@transaction.atomic
def break_start(*, actor: User, kind: str, at: datetime, reason: str = "") -> AgentState:
    """Start a break for ``actor``. Never refused for being outside the plan.

    ``scheduled`` takes the break the published schedule plans now (or within
    ten minutes); with none planned it becomes a special break. ``meal`` takes
    the planned meal, or a meal outside the plan. ``special`` is a break now,
    with an optional reason, needing nobody's approval. Already on a break →
    ``already_on_break``.
    """
    authorize(actor, Perm.WORK_CASES)
    current = state_current(actor)
    if current is not None and current.state in BREAK_STATES:
        since = formats.time_format(timezone.localtime(current.started_at), "H:i")
        raise ConflictError(
            FloorErrorCode.ALREADY_ON_BREAK,
            _("You are already on a break (%(state)s since %(since)s); end it first."),
            state=current.get_state_display(),
            since=since,
        )
    if kind == BreakKind.SPECIAL:
        state = _special(agent=actor, at=at, reason=reason)
    else:
        wanted = PlanKind.MEAL if kind == BreakKind.MEAL else PlanKind.BREAK
        planned = plan.planned_activity_near(
            actor, at, kinds=frozenset({wanted}), early=EARLY_START
        )
        if kind == BreakKind.MEAL:
            state = _switch(agent=actor, state=State.MEAL, at=at, reason=reason, planned=planned)
        elif planned is None:
            state = _special(agent=actor, at=at, reason=reason)
        else:
            state = _switch(
                agent=actor, state=State.SCHEDULED_BREAK, at=at, reason=reason, planned=planned
            )
    _publish_break("floor.break_started", state, at=at)
    return state


@transaction.atomic
def break_end(*, actor: User, at: datetime) -> AgentState:
    """End ``actor``'s break: back to available. Not on a break → ``not_on_break``."""
    authorize(actor, Perm.WORK_CASES)
    current = state_current(actor)
    if current is None or current.state not in BREAK_STATES:
        raise ConflictError(FloorErrorCode.NOT_ON_BREAK, _("You are not on a break."))
    state = _switch(agent=actor, state=State.AVAILABLE, at=at)
    current.refresh_from_db(fields=["ended_at"])
    _publish_break("floor.break_ended", current, at=at)
    return state


def _publish_break(code: str, state: AgentState, *, at: datetime) -> None:
    """Outbound webhooks hear of the break: its kind code and instants, never the reason."""
    domain_events.publish(
        code,
        {
            "state": state.pk,
            "agent": state.agent_id,
            "kind": state.state,
            "is_planned": state.planned_activity_id is not None,
            "started_at": state.started_at.isoformat(),
            "ended_at": state.ended_at.isoformat() if state.ended_at else None,
        },
        at=at,
    )
