"""SLA clocks on the team's business calendar: start, reply, pause, resume, breach."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings

from kefu.cases import sla
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, SlaPolicy
from kefu.core import clock
from kefu.core.calendar import BusinessCalendar
from kefu.core.calendar_overrides import (
    DEFAULT_HOURS,
    affected_teams,
    calendar_cache_clear,
    team_calendar,
    team_calendar_before,
)
from kefu.core.models import ScheduledJob, Team
from kefu.core.process_cache import TtlCache

SLA_JOB = "cases.sla"
SLA_WARNING_JOB = "cases.sla_warning"
TARGETS = ("first_response", "next_update", "resolution")
__all__ = [
    "DEFAULT_HOURS",
    "SLA_JOB",
    "SLA_WARNING_JOB",
    "TARGETS",
    "active_policies",
    "sla_retime_for_calendar",
    "team_calendar",
]


def active_policies() -> list[sla.PolicyTargets]:
    """The active SLA policies as plain data for the pure core (cached per process
    for a while: ``sla_policy_save`` clears it, see ``kefu.core.process_cache``)."""
    return policies_cache.get()


def _load_policies() -> list[sla.PolicyTargets]:
    return [
        sla.PolicyTargets(
            key=p.pk,
            priority=p.priority,
            category=p.category,
            tier=p.tier,
            first_response_minutes=p.first_response_minutes,
            next_update_minutes=p.next_update_minutes,
            resolution_minutes=p.resolution_minutes,
        )
        for p in SlaPolicy.objects.filter(is_active=True).order_by("pk")
    ]


policies_cache: TtlCache[list[sla.PolicyTargets]] = TtlCache(_load_policies)


def _policy_for(case: Case) -> sla.PolicyTargets | None:
    tier = case.organisation.tier if case.organisation_id and case.organisation else ""
    return sla.choose_policy(
        active_policies(), priority=case.priority, category=case.category, tier=tier
    )


def _current(case: Case) -> sla.SlaDue:
    """The running due times: the first response stops running once it was made
    (``first_response_at``); its due time stays on the case for the record."""
    return sla.SlaDue(
        first_response=case.first_response_due_at if case.first_response_at is None else None,
        next_update=case.next_update_due_at,
        resolution=case.resolution_due_at,
    )


def _compute(case: Case, compute: Callable[[BusinessCalendar], sla.SlaDue]) -> sla.SlaDue:
    """Run ``compute`` on the team's calendar (overrides included; a year with no
    holiday schedule at all runs on the team's weekdays, logged, rather than stop
    the desk: see :func:`kefu.core.calendar_overrides.team_calendar`)."""
    return compute(team_calendar(case.team))


def _fields(due: sla.SlaDue, case: Case | None = None, *, answered: bool = False) -> dict[str, Any]:
    """The case fields of ``due``. Once the first response is made (``answered``,
    or ``case.first_response_at`` set) its due time is kept, never cleared: the
    service level compares the two (``kefu.quality.metrics``)."""
    fields = {
        "first_response_due_at": due.first_response,
        "next_update_due_at": due.next_update,
        "resolution_due_at": due.resolution,
        "sla_due_at": due.earliest,
    }
    if answered or (case is not None and case.first_response_at is not None):
        del fields["first_response_due_at"]
    return fields


def warning_at(case: Case, *, start: datetime, due: datetime) -> datetime | None:
    """When the SLA warning for a target running from ``start`` to ``due`` falls:
    ``KEFU_SLA_WARNING_PERCENT`` (default 75) of the working time between them, on
    the team's calendar. None when warnings are off (0) or no working time is left."""
    percent = int(getattr(settings, "KEFU_SLA_WARNING_PERCENT", 75))
    if not 0 < percent < 100 or due <= start:
        return None
    calendar = team_calendar(case.team)
    left = calendar.working_time_between(start, due)
    if left <= timedelta(0):
        return None
    return calendar.add_working_time(start, left * percent / 100)


def _warning_job(case: Case, target: str, due_at: datetime, *, at: datetime) -> ScheduledJob | None:
    when = warning_at(case, start=at, due=due_at)
    if when is None:
        return None
    return ScheduledJob(
        kind=SLA_WARNING_JOB,
        key=f"case:{case.pk}:sla_warning:{target}",
        due_at=when,
        payload={"case_id": case.pk, "target": target, "due_at": due_at.isoformat()},
    )


def _schedule(case: Case, due: sla.SlaDue, *, at: datetime, new: bool = False) -> None:
    """Keep one due row per running target (the breach) and one for its warning."""
    if new:
        # A new case has no due rows yet: one insert for all of them.
        rows = [
            ScheduledJob(
                kind=SLA_JOB,
                key=f"case:{case.pk}:sla:{target}",
                due_at=getattr(due, target),
                payload={
                    "case_id": case.pk,
                    "target": target,
                    "due_at": getattr(due, target).isoformat(),
                },
            )
            for target in TARGETS
            if getattr(due, target) is not None
        ]
        warnings = (
            _warning_job(case, target, getattr(due, target), at=at)
            for target in TARGETS
            if getattr(due, target) is not None
        )
        ScheduledJob.objects.bulk_create([*rows, *(job for job in warnings if job is not None)])
        return
    for target in TARGETS:
        key = f"case:{case.pk}:sla:{target}"
        warning_key = f"case:{case.pk}:sla_warning:{target}"
        value = getattr(due, target)
        if value is None:
            clock.job_cancel(key=key, at=at)
            clock.job_cancel(key=warning_key, at=at)
        else:
            clock.job_schedule(
                kind=SLA_JOB,
                key=key,
                due_at=value,
                payload={"case_id": case.pk, "target": target, "due_at": value.isoformat()},
            )
            if ScheduledJob.objects.filter(
                key=warning_key, payload__due_at=value.isoformat()
            ).exists():
                continue  # The due time did not move: neither does its warning.
            when = warning_at(case, start=at, due=value)
            if when is None:
                clock.job_cancel(key=warning_key, at=at)
            else:
                clock.job_schedule(
                    kind=SLA_WARNING_JOB,
                    key=warning_key,
                    due_at=when,
                    payload={"case_id": case.pk, "target": target, "due_at": value.isoformat()},
                )


def sla_start(case: Case, *, at: datetime) -> dict[str, Any]:
    """Fields that start the SLA clocks of a new case; schedules the due rows."""
    policy = _policy_for(case)
    if policy is None:
        return {"sla_policy": None}
    due = _compute(case, lambda cal: sla.due_on_open(policy, opened_at=at, calendar=cal))
    _schedule(case, due, at=at, new=True)
    return {"sla_policy_id": policy.key, **_fields(due)}


def sla_after_reply(case: Case, *, at: datetime) -> dict[str, Any]:
    """Fields after a reply to the customer: first response met, cadence restarted."""
    policy = _policy_for(case) if case.sla_policy_id else None
    if policy is None or case.sla_paused_at is not None:
        return {}
    due = _compute(
        case, lambda cal: sla.due_after_reply(policy, _current(case), replied_at=at, calendar=cal)
    )
    _schedule(case, due, at=at)
    return _fields(due, answered=True)


def sla_tighten(case: Case, *, at: datetime) -> dict[str, Any]:
    """Fields after the case's priority rose (``case.priority`` already set): the
    policy for the new priority applies from ``at`` wherever it is stricter."""
    policy = _policy_for(case)
    if policy is None or case.sla_paused_at is not None:
        return {}
    due = _compute(case, lambda cal: sla.due_tightened(policy, _current(case), at=at, calendar=cal))
    _schedule(case, due, at=at)
    return {"sla_policy_id": policy.key, **_fields(due, case)}


def sla_pause(case: Case, *, at: datetime) -> dict[str, Any]:
    """Stop the clocks while waiting on the customer."""
    if case.sla_paused_at is not None or not case.sla_policy_id:
        return {}
    _schedule(case, sla.SlaDue(None, None, None), at=at)
    return {"sla_paused_at": at, "sla_due_at": None}


def sla_resume(case: Case, *, at: datetime) -> dict[str, Any]:
    """Start the clocks again, moving every due time on by the paused working time."""
    paused_at = case.sla_paused_at
    if paused_at is None:
        return {}
    due = _compute(
        case,
        lambda cal: sla.due_after_pause(
            _current(case), paused_at=paused_at, resumed_at=at, calendar=cal
        ),
    )
    _schedule(case, due, at=at)
    return {"sla_paused_at": None, **_fields(due, case)}


def sla_reopen(case: Case, *, at: datetime) -> dict[str, Any]:
    """Fields that start the clocks again on a resolved or closed case reopened."""
    policy = _policy_for(case)
    if policy is None:
        return {}
    due = _compute(case, lambda cal: sla.due_on_reopen(policy, reopened_at=at, calendar=cal))
    _schedule(case, due, at=at)
    return {"sla_paused_at": None, **_fields(due, case)}


def sla_stop(case: Case, *, at: datetime) -> dict[str, Any]:
    """Resolved or closed: no clock runs any more. A first response made keeps its
    due time for the record; one never made is dropped (it was not needed)."""
    _schedule(case, sla.SlaDue(None, None, None), at=at)
    fields: dict[str, Any] = {"sla_due_at": None, "next_update_due_at": None}
    if case.first_response_at is None:
        fields["first_response_due_at"] = None
    return fields


def sla_retime_for_calendar(
    *, region: str, team_id: int | None, before: Mapping[str, str | None], at: datetime
) -> int:
    """Move the running SLA clocks of every open case of the teams a calendar
    change touches (``before``: each changed date, ISO, and its earlier state).
    A running clock keeps the working time it had left at ``at``; a paused one
    what it had left when it was paused. Returns how many cases moved.

    Each case is written with a compare-and-swap on its due times: a case that
    changed meanwhile was computed on the new calendar already and is left.
    """
    calendar_cache_clear()
    changed = {date.fromisoformat(day): state for day, state in before.items()}
    teams: list[Team | None] = list(affected_teams(region=region, team_id=team_id))
    if team_id is None and region == "cn":
        teams.append(None)  # a case without a team runs on China's calendar
    moved = 0
    for team in teams:
        new = team_calendar(team)
        old = team_calendar_before(team, region=region, team_id=team_id, before=changed)
        cases = Case.objects.exclude(status__in=(Case.Status.RESOLVED, Case.Status.CLOSED)).filter(
            sla_policy__isnull=False
        )
        cases = cases.filter(team=team) if team is not None else cases.filter(team__isnull=True)
        for case in cases.select_related("team").order_by("pk"):
            since = case.sla_paused_at or at
            current = _current(case)
            due = sla.due_retimed(current, since=since, old=old, new=new, changed=changed)
            if due == current:
                continue
            fields = _fields(due, case)
            if case.sla_paused_at is not None:
                fields.pop("sla_due_at")  # no clock runs while paused
            updated = Case.objects.filter(
                pk=case.pk,
                first_response_due_at=case.first_response_due_at,
                next_update_due_at=current.next_update,
                resolution_due_at=current.resolution,
            ).update(**fields)
            if updated != 1:
                continue
            if case.sla_paused_at is None:
                _schedule(case, due, at=at)
            case_event_record(
                case=case,
                kind="sla_retimed",
                at=at,
                actor=None,
                dates=[day.isoformat() for day in sorted(changed)],
            )
            moved += 1
    return moved
