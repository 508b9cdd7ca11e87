"""Leave: sick leave is self-declared (no certificate), frequent absence suggests a talk."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.core import domain_events
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.floor import notification_kinds
from kefu.floor.absence import Absence, absence_patterns
from kefu.floor.days import local_day
from kefu.floor.errors import FloorErrorCode
from kefu.floor.models import CheckInSuggestion, Leave
from kefu.floor.services._common import leads_of, require_watch

_LIVE = (Leave.Status.REQUESTED, Leave.Status.APPROVED)


@transaction.atomic
def leave_request(
    *,
    actor: User,
    kind: str,
    start_date: date,
    end_date: date,
    at: datetime,
    note: str = "",
    agent: User | None = None,
) -> Leave:
    """Enter leave for ``actor`` (or, for a lead, for an agent they look after).

    Sick leave is approved as entered: no certificate is asked for, and there
    is no field to hold one. Other kinds wait for the lead. A last day before
    the first → ``leave_ends_before_start``; overlapping live leave →
    ``leave_overlaps``. Approved leave takes the agent off the day's on-phone
    count (``kefu.floor.plan.agent_days``).
    """
    authorize(actor, Perm.WORK_CASES)
    person = agent or actor
    if person.pk != actor.pk:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, person)
    if kind not in Leave.Kind.values:
        raise DomainError(FloorErrorCode.UNKNOWN_STATE, _("Choose a kind of leave."))
    if end_date < start_date:
        raise DomainError(
            FloorErrorCode.LEAVE_ENDS_BEFORE_START,
            _("The leave ends (%(end)s) before it starts (%(start)s)."),
            end=end_date.isoformat(),
            start=start_date.isoformat(),
        )
    if Leave.objects.filter(
        agent=person, status__in=_LIVE, start_date__lte=end_date, end_date__gte=start_date
    ).exists():
        raise ConflictError(
            FloorErrorCode.LEAVE_OVERLAPS,
            _("Leave from %(start)s to %(end)s overlaps leave already entered."),
            start=start_date.isoformat(),
            end=end_date.isoformat(),
        )
    sick = kind == Leave.Kind.SICK
    leave = Leave.objects.create(
        agent=person,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        note=note.strip()[:300],
        status=Leave.Status.APPROVED if sick else Leave.Status.REQUESTED,
        created_at=at,
        decided_at=at if sick else None,
    )
    audit_record(
        actor=actor,
        action="leave.entered",
        target=leave,
        at=at,
        after={
            "kind": kind,
            "start": str(start_date),
            "end": str(end_date),
            "status": leave.status,
        },
    )
    if sick:
        absence_check(agent=person, at=at)
    # Outbound webhooks learn that the person is away, not why: the kind of leave
    # (sick leave is health data) and the note stay inside the desk.
    domain_events.publish(
        "floor.leave_recorded",
        {
            "leave": leave.pk,
            "agent": person.pk,
            "status": leave.status,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
        },
        at=at,
    )
    return leave


@transaction.atomic
def leave_decide(*, actor: User, leave: Leave, approve: bool, at: datetime) -> Leave:
    """Approve or decline requested leave (a lead who looks after the agent)."""
    authorize(actor, Perm.VIEW_TEAM)
    require_watch(actor, leave.agent)
    status = Leave.Status.APPROVED if approve else Leave.Status.DECLINED
    updated = Leave.objects.filter(pk=leave.pk, status=Leave.Status.REQUESTED).update(
        status=status, decided_at=at, decided_by=actor
    )
    if updated != 1:
        raise ConflictError(FloorErrorCode.LEAVE_NOT_PENDING, _("That leave is not waiting."))
    leave.refresh_from_db()
    audit_record(
        actor=actor,
        action="leave.approved" if approve else "leave.declined",
        target=leave,
        at=at,
        before={"status": Leave.Status.REQUESTED},
        after={"status": status},
    )
    if approve:
        absence_check(agent=leave.agent, at=at)
    return leave


@transaction.atomic
def leave_cancel(*, actor: User, leave: Leave, at: datetime) -> Leave:
    """Cancel live leave: the agent themself, or a lead who looks after them."""
    if actor.pk != leave.agent_id:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, leave.agent)
    before = leave.status
    updated = Leave.objects.filter(pk=leave.pk, status__in=_LIVE).update(
        status=Leave.Status.CANCELLED, decided_at=at, decided_by=actor
    )
    if updated != 1:
        raise ConflictError(FloorErrorCode.LEAVE_NOT_PENDING, _("That leave is no longer live."))
    leave.refresh_from_db()
    audit_record(
        actor=actor,
        action="leave.cancelled",
        target=leave,
        at=at,
        before={"status": before},
        after={"status": leave.status},
    )
    return leave


def absence_check(*, agent: User, at: datetime) -> list[CheckInSuggestion]:
    """Suggest a supportive check-in to ``agent``'s leads for each new absence pattern.

    One open suggestion per pattern: a pattern already suggested and not yet
    talked about is not suggested again. Nothing here penalises anyone.
    """
    today = local_day(at)
    since = today - timedelta(days=120)
    absences = [
        Absence(kind=leave.kind, start=leave.start_date, end=leave.end_date)
        for leave in Leave.objects.filter(
            agent=agent, status=Leave.Status.APPROVED, end_date__gte=since
        )
    ]
    created = []
    for found in absence_patterns(absences, today=today):
        params = {"count": found.count, "days": found.window_days}
        detail = json.dumps(params)
        if CheckInSuggestion.objects.filter(
            agent=agent, pattern=found.pattern, status=CheckInSuggestion.Status.OPEN
        ).exists():
            continue
        try:
            with transaction.atomic():
                suggestion = CheckInSuggestion.objects.create(
                    agent=agent, pattern=found.pattern, detail=detail[:300], created_at=at
                )
        except IntegrityError:
            continue
        created.append(suggestion)
        for lead in leads_of(agent):
            notification_send(
                recipient=lead,
                code=notification_kinds.CHECK_IN[found.pattern],
                params={"agent": str(agent), **params},
                link=reverse("floor:leave"),
                at=at,
            )
    return created


def suggestion_close(
    *, actor: User, suggestion: CheckInSuggestion, done: bool, at: datetime
) -> CheckInSuggestion:
    """Mark a check-in suggestion talked about (``done``) or dismissed."""
    authorize(actor, Perm.VIEW_TEAM)
    require_watch(actor, suggestion.agent)
    status = CheckInSuggestion.Status.DONE if done else CheckInSuggestion.Status.DISMISSED
    CheckInSuggestion.objects.filter(pk=suggestion.pk, status=CheckInSuggestion.Status.OPEN).update(
        status=status, closed_at=at
    )
    suggestion.refresh_from_db()
    return suggestion
