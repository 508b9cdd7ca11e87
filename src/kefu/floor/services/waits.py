"""Waits that call for someone: a raised hand nobody answered, a long break outside the plan.

Each is a due row of the clock loop (``kefu.core.clock``), scheduled when the hand
goes up or the break starts and checked when it falls due; a hand answered or a
break ended by then makes the row do nothing. The times are settings
(``KEFU_HAND_ALERT_MINUTES``, default 3; ``KEFU_SPECIAL_BREAK_CHECK_MINUTES``,
default 20).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from kefu.core import clock
from kefu.core.models import Notification, User
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.floor import notification_kinds
from kefu.floor.models import AgentState, RaisedHand
from kefu.floor.services._common import leads_of

HAND_WAITING = "floor.hand_waiting"
SPECIAL_BREAK_LONG = "floor.special_break_long"


def hand_alert_minutes() -> int:
    return int(settings.KEFU_HAND_ALERT_MINUTES)


def special_break_minutes() -> int:
    return int(settings.KEFU_SPECIAL_BREAK_CHECK_MINUTES)


def hand_wait_schedule(hand: RaisedHand) -> None:
    clock.job_schedule(
        kind=HAND_WAITING,
        key=f"{HAND_WAITING}:{hand.pk}",
        due_at=hand.raised_at + timedelta(minutes=hand_alert_minutes()),
        payload={"hand": hand.pk},
    )


def special_break_schedule(state: AgentState) -> None:
    clock.job_schedule(
        kind=SPECIAL_BREAK_LONG,
        key=f"{SPECIAL_BREAK_LONG}:{state.pk}",
        due_at=state.started_at + timedelta(minutes=special_break_minutes()),
        payload={"state": state.pk},
    )


def leads_lead_and_analysts(agent: User) -> list[User]:
    """Who hears of a hand nobody answered: the department managers of the agent's
    department (the lead's lead) and every real-time analyst."""
    managers = User.objects.filter(role=Role.DEPARTMENT_MANAGER, is_active=True)
    if agent.department_id is not None:
        managers = managers.filter(department_id=agent.department_id)
    analysts = User.objects.filter(role=Role.REALTIME_ANALYST, is_active=True)
    people = {user.pk: user for user in [*managers, *analysts]}
    return [people[pk] for pk in sorted(people)]


def hand_wait_check(*, hand_id: int, at: datetime) -> int:
    """Alert the lead's lead and the analysts if hand ``hand_id`` is still up and
    unanswered; returns how many were told. Safe to run twice: a second run after the
    alert finds it already sent (the hand's alert is keyed on the hand)."""
    hand = (
        RaisedHand.objects.filter(pk=hand_id, acknowledged_at__isnull=True, closed_at__isnull=True)
        .select_related("agent", "case")
        .first()
    )
    if hand is None:
        return 0
    waited = max(1, int((at - hand.raised_at).total_seconds() // 60))
    told = 0
    for person in leads_lead_and_analysts(hand.agent):
        if Notification.objects.filter(
            recipient=person, code=notification_kinds.HAND_WAITING, params__hand=hand.pk
        ).exists():
            continue
        notification_send(
            recipient=person,
            code=notification_kinds.HAND_WAITING,
            params={
                "hand": hand.pk,
                "agent": str(hand.agent),
                "minutes": waited,
                "raised_at": hand.raised_at.isoformat(),
                "ref": hand.case.reference if hand.case is not None else "",
                "note": hand.note,
            },
            link=reverse("floor:index"),
            at=at,
        )
        told += 1
    return told


def special_break_check(*, state_id: int, at: datetime) -> int:
    """Ask the agent's leads to look in, kindly, if special break ``state_id`` is still
    going; returns how many leads were asked. Safe to run twice."""
    state = (
        AgentState.objects.filter(
            pk=state_id, state=AgentState.State.SPECIAL_BREAK, ended_at__isnull=True
        )
        .select_related("agent")
        .first()
    )
    if state is None:
        return 0
    minutes = max(1, int((at - state.started_at).total_seconds() // 60))
    asked = 0
    for lead in leads_of(state.agent):
        if Notification.objects.filter(
            recipient=lead, code=notification_kinds.SPECIAL_BREAK_LONG, params__state=state.pk
        ).exists():
            continue
        notification_send(
            recipient=lead,
            code=notification_kinds.SPECIAL_BREAK_LONG,
            params={
                "state": state.pk,
                "agent": str(state.agent),
                "since": state.started_at.isoformat(),
                "minutes": minutes,
            },
            link=reverse("floor:index"),
            at=at,
        )
        asked += 1
    return asked
