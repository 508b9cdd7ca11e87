"""Reads of the floor: raised hands, states, special breaks, leave, check-in suggestions."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor.days import day_bounds
from kefu.floor.errors import FloorErrorCode
from kefu.floor.models import AgentState, CheckInSuggestion, Leave, RaisedHand
from kefu.floor.services._common import may_watch


def _scope(actor: User, field: str = "agent") -> Q:
    """Rows of agents ``actor`` looks after: all for floor watchers, the team for leads."""
    if actor.has_role_perm(Perm.WATCH_FLOOR):
        return Q()
    return Q(**{f"{field}__team_id": actor.team_id}) if actor.team_id else Q(pk__in=[])


def _with_case_visibility(actor: User, hands: QuerySet[RaisedHand]) -> QuerySet[RaisedHand]:
    """Each hand with ``case_visible``: whether ``actor`` may see the case it names
    (a confidential case only inside its department, as the desk's ``visible_cases``);
    a lead of another department sees that a hand is up, not which case it is about."""
    if actor.is_superuser or actor.role == "administrator":
        return hands.annotate(case_visible=Value(True, output_field=BooleanField()))
    visible = Q(case__is_confidential=False) | Q(case__department_id=actor.department_id)
    return hands.annotate(case_visible=ExpressionWrapper(visible, output_field=BooleanField()))


def hands_open_for(actor: User) -> QuerySet[RaisedHand]:
    """Open hands of the agents ``actor`` looks after, longest waiting first."""
    authorize(actor, Perm.VIEW_TEAM)
    return _with_case_visibility(
        actor,
        RaisedHand.objects.filter(_scope(actor), closed_at__isnull=True)
        .select_related("agent", "case", "acknowledged_by")
        .order_by("raised_at", "pk"),
    )


def hands_recent_for(actor: User, *, day: date) -> QuerySet[RaisedHand]:
    """Hands closed on ``day`` with their time to help (the lead's own measure)."""
    authorize(actor, Perm.VIEW_TEAM)
    start, end = day_bounds(day)
    return _with_case_visibility(
        actor,
        RaisedHand.objects.filter(_scope(actor), raised_at__gte=start, raised_at__lt=end)
        .exclude(closed_at__isnull=True)
        .select_related("agent", "case", "acknowledged_by")
        .order_by("-raised_at"),
    )


def access_hand(actor: User, hand_id: int) -> RaisedHand:
    """The hand ``hand_id`` when it is ``actor``'s own or of an agent they look after."""
    hand = RaisedHand.objects.select_related("agent").filter(pk=hand_id).first()
    if hand is None or (hand.agent_id != actor.pk and not may_watch(actor, hand.agent)):
        raise NotFoundError(FloorErrorCode.HAND_NOT_FOUND, _("No such raised hand."))
    return hand


def states_for_agent(agent: User, *, day: date) -> QuerySet[AgentState]:
    """``agent``'s state rows overlapping ``day``, in time order."""
    start, end = day_bounds(day)
    return AgentState.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start), agent=agent, started_at__lt=end
    ).order_by("started_at", "pk")


def team_states_for(actor: User) -> QuerySet[AgentState]:
    """The open state of every agent ``actor`` looks after."""
    authorize(actor, Perm.VIEW_TEAM)
    return (
        AgentState.objects.filter(_scope(actor), ended_at__isnull=True)
        .select_related("agent")
        .order_by("agent__username")
    )


def special_breaks_for(actor: User, *, day: date) -> QuerySet[AgentState]:
    """Special breaks taken on ``day``: the agent's own, or their team's for a lead."""
    start, end = day_bounds(day)
    rows = AgentState.objects.filter(
        state=AgentState.State.SPECIAL_BREAK, started_at__gte=start, started_at__lt=end
    ).select_related("agent")
    if actor.has_role_perm(Perm.VIEW_TEAM):
        return rows.filter(_scope(actor) | Q(agent=actor)).order_by("-started_at")
    return rows.filter(agent=actor).order_by("-started_at")


def leave_list_for(actor: User, *, mine: bool = False) -> QuerySet[Leave]:
    """Leave ``actor`` may see: their own, plus their team's for a lead (unless ``mine``)."""
    rows = Leave.objects.select_related("agent", "decided_by")
    if mine or not actor.has_role_perm(Perm.VIEW_TEAM):
        return rows.filter(agent=actor)
    return rows.filter(_scope(actor) | Q(agent=actor))


def access_leave(actor: User, leave_id: int) -> Leave:
    """The leave ``leave_id`` when it is ``actor``'s own or of an agent they look after."""
    leave = Leave.objects.select_related("agent").filter(pk=leave_id).first()
    if leave is None or (leave.agent_id != actor.pk and not may_watch(actor, leave.agent)):
        raise NotFoundError(FloorErrorCode.LEAVE_NOT_FOUND, _("No such leave."))
    return leave


def suggestions_open_for(actor: User) -> QuerySet[CheckInSuggestion]:
    """Open check-in suggestions about agents ``actor`` looks after."""
    authorize(actor, Perm.VIEW_TEAM)
    return (
        CheckInSuggestion.objects.filter(_scope(actor), status=CheckInSuggestion.Status.OPEN)
        .select_related("agent")
        .order_by("-created_at")
    )
