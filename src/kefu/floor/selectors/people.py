"""Reads of people: an agent's history, retention figures, exits, coaching, candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm, Role
from kefu.floor.errors import PeopleErrorCode
from kefu.floor.models import (
    Candidate,
    CareerEvent,
    CoachingConversation,
    DisciplinaryNote,
    ExitRecord,
)
from kefu.floor.retention import Retention, Tenure, retention_summary
from kefu.floor.services._common import require_watch


@dataclass(frozen=True)
class QaPoint:
    on: date
    score: float


@dataclass(frozen=True)
class AgentHistory:
    agent: User
    hired_on: date | None
    events: list[CareerEvent]
    coaching: list[CoachingConversation]
    notes: list[DisciplinaryNote]
    exit: ExitRecord | None
    qa_trend: list[QaPoint]


def access_person(actor: User, user_id: int) -> User:
    """The staff member ``user_id`` when ``actor`` is them or looks after them."""
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFoundError(PeopleErrorCode.PERSON_NOT_FOUND, _("No such person."))
    if person.pk != actor.pk:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, person)
    return person


def qa_trend(agent: User) -> list[QaPoint]:
    """Monthly average QA score of ``agent`` (first of the month, 0-100), oldest first.

    Read from the quality app's ``QaScore`` (agent, total, created_at) when it
    is installed; empty otherwise.
    """
    try:
        model = apps.get_model("quality", "QaScore")
    except LookupError:
        return []
    rows = (
        model._default_manager.filter(agent=agent)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(average=Avg("total"))
        .order_by("month")
    )
    return [QaPoint(on=row["month"].date(), score=round(row["average"], 1)) for row in rows]


def agent_history(actor: User, agent: User) -> AgentHistory:
    """Everything the people page shows about one agent. Notes only for those who look after
    the agent (an agent sees their own coaching, and the notes that rest on it)."""
    if agent.pk != actor.pk:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, agent)
    events = list(CareerEvent.objects.filter(agent=agent).order_by("on", "pk"))
    hired = next((e.on for e in events if e.kind == CareerEvent.Kind.HIRED), None)
    return AgentHistory(
        agent=agent,
        hired_on=hired or agent.date_joined.date(),
        events=events,
        coaching=list(CoachingConversation.objects.filter(agent=agent).select_related("lead")),
        notes=list(DisciplinaryNote.objects.filter(agent=agent).select_related("author")),
        exit=ExitRecord.objects.filter(agent=agent).first(),
        qa_trend=qa_trend(agent),
    )


def people_list_for(actor: User) -> QuerySet[User]:
    """Agents and leads ``actor`` looks after, with their hire date where recorded."""
    authorize(actor, Perm.VIEW_TEAM)
    rows = User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEAD]).select_related("team")
    if not actor.has_role_perm(Perm.WATCH_FLOOR):
        rows = rows.filter(team_id=actor.team_id) if actor.team_id else rows.none()
    return rows.order_by("username")


def retention_for(actor: User, *, today: date) -> Retention:
    """Retention figures over every agent and lead ever on record. Needs ``VIEW_USERS``."""
    authorize(actor, Perm.VIEW_USERS)
    hired = dict(
        CareerEvent.objects.filter(kind=CareerEvent.Kind.HIRED).values_list("agent_id", "on")
    )
    changed = set(
        CareerEvent.objects.filter(kind=CareerEvent.Kind.ROLE_CHANGE).values_list(
            "agent_id", flat=True
        )
    )
    left = dict(ExitRecord.objects.values_list("agent_id", "left_on"))
    people = [
        Tenure(
            hired_on=hired.get(pk, joined.date()),
            left_on=left.get(pk),
            changed_role=pk in changed,
        )
        for pk, joined in User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEAD]).values_list(
            "pk", "date_joined"
        )
    ]
    return retention_summary(people, today=today)


def exit_reasons_for(actor: User) -> list[tuple[str, str, int]]:
    """(reason, label, count) for every exit reason, most frequent first."""
    authorize(actor, Perm.VIEW_USERS)
    counts = dict(
        ExitRecord.objects.values_list("reason").annotate(n=Count("pk")).values_list("reason", "n")
    )
    rows = [(value, str(label), counts.get(value, 0)) for value, label in ExitRecord.Reason.choices]
    return sorted(rows, key=lambda row: -row[2])


def exits_for(actor: User) -> QuerySet[ExitRecord]:
    authorize(actor, Perm.VIEW_USERS)
    return ExitRecord.objects.select_related("agent").order_by("-left_on")


def candidates_for(actor: User, *, stage: str = "") -> QuerySet[Candidate]:
    """Candidates, newest first, optionally at one stage. Needs ``VIEW_TEAM``."""
    authorize(actor, Perm.VIEW_TEAM)
    rows = Candidate.objects.order_by("-created_at", "pk")
    return rows.filter(stage=stage) if stage else rows


def access_candidate(actor: User, candidate_id: int) -> Candidate:
    authorize(actor, Perm.VIEW_TEAM)
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFoundError(PeopleErrorCode.CANDIDATE_NOT_FOUND, _("No such candidate."))
    return candidate


def coaching_for(actor: User, agent: User) -> QuerySet[CoachingConversation]:
    """Coaching conversations with ``agent`` (the agent themself or who looks after them)."""
    if agent.pk != actor.pk:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, agent)
    return CoachingConversation.objects.filter(agent=agent).select_related("lead")
