"""Schedules: checked before solving, solved in a task, published to the agents."""

from __future__ import annotations

import logging
import threading
import time as monotonic_time
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError
from kefu.core.models import Team, User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.workforce import notification_kinds, scheduling
from kefu.workforce.errors import (
    ScheduleProblemsError,
    WorkforceErrorCode,
)
from kefu.workforce.messages import explain
from kefu.workforce.models import (
    Forecast,
    ForecastInterval,
    Schedule,
    ScheduledShift,
    ShiftActivity,
)
from kefu.workforce.services.contracts import contract_json, core_contracts, team_agents
from kefu.workforce.services.forecasts import DEFAULT_AHT_SECONDS

logger = logging.getLogger(__name__)

LOCAL = ZoneInfo("Asia/Shanghai")
#: The solver's progress is written to the schedule row at most this often.
PROGRESS_EVERY_SECONDS = 1.0

DEFAULT_RULES: dict[str, Any] = {
    "interval_minutes": 15,
    "shift_lengths_hours": [8],
    "breaks": [
        {"minutes": 15, "earliest_after_hours": 1.5, "latest_after_hours": 3.5},
        {"minutes": 15, "earliest_after_hours": 5.5, "latest_after_hours": 7.5},
    ],
    "meal": {"minutes": 60, "earliest_after_hours": 3, "latest_after_hours": 5.5},
    "min_rest_hours": 11,
    "max_consecutive_days": 6,
}


# --------------------------------------------------------------------------- schedules


def week_requirements(
    forecast: Forecast, *, week_start: date, interval_minutes: int
) -> list[tuple[datetime, int]]:
    """The forecast's on-phone requirement for the seven days from ``week_start``.

    Re-gridded to the rules' interval: a longer forecast interval is split (each
    part needs the same agents), shorter ones are merged taking the highest.
    """
    begin = datetime.combine(week_start, time(), LOCAL)
    rows = ForecastInterval.objects.filter(
        forecast=forecast, interval_start__gte=begin, interval_start__lt=begin + timedelta(days=7)
    ).values_list("interval_start", "required")
    source = forecast.queue.interval_minutes
    step = timedelta(minutes=interval_minutes)
    merged: dict[datetime, int] = {}
    for start, required in rows:
        local = start.astimezone(LOCAL)
        if source >= interval_minutes:
            for part in range(max(1, source // interval_minutes)):
                slot = local + part * step
                merged[slot] = max(merged.get(slot, 0), required)
        else:
            offset = (local.hour * 60 + local.minute) % interval_minutes
            slot = local - timedelta(minutes=offset)
            merged[slot] = max(merged.get(slot, 0), required)
    return sorted(merged.items())


def week_calls(
    forecast: Forecast, *, week_start: date, interval_minutes: int
) -> list[tuple[datetime, float, float]]:
    """The forecast's contacts per planning interval ``(start, offered, aht)`` for the week."""
    begin = datetime.combine(week_start, time(), LOCAL)
    rows = ForecastInterval.objects.filter(
        forecast=forecast, interval_start__gte=begin, interval_start__lt=begin + timedelta(days=7)
    ).values_list("interval_start", "offered", "aht_seconds")
    source = forecast.queue.interval_minutes
    step = timedelta(minutes=interval_minutes)
    volume: dict[datetime, float] = defaultdict(float)
    weighted: dict[datetime, float] = defaultdict(float)
    for start, offered, aht in rows:
        local = start.astimezone(LOCAL)
        if source >= interval_minutes:
            parts = max(1, source // interval_minutes)
            for part in range(parts):
                slot = local + part * step
                volume[slot] += offered / parts
                weighted[slot] += offered / parts * aht
        else:
            offset = (local.hour * 60 + local.minute) % interval_minutes
            slot = local - timedelta(minutes=offset)
            volume[slot] += offered
            weighted[slot] += offered * aht
    return [
        (slot, volume[slot], weighted[slot] / volume[slot] if volume[slot] else DEFAULT_AHT_SECONDS)
        for slot in sorted(volume)
    ]


def _rules(data: dict[str, Any]) -> scheduling.Rules:
    try:
        return scheduling.Rules.from_json(data)
    except scheduling.ScheduleInputError as exc:
        raise ScheduleProblemsError(exc.problems or [(exc.code, exc.params)]) from None
    except (KeyError, TypeError, ValueError) as exc:  # a shape from_json did not foresee
        raise ScheduleProblemsError([("bad_rules", {"detail": str(exc)})]) from None


def schedule_check(
    *, team: Team, forecast: Forecast, week_start: date, rules: dict[str, Any]
) -> tuple[list[tuple[datetime, int]], list[dict[str, Any]]]:
    """The requirements and contracts a schedule would be solved with, or the problems.

    Raises ``ScheduleProblemsError`` with every problem ``scheduling.check``
    finds (and for an empty week or a team without agents), before any solving.
    """
    core_rules = _rules(rules)
    requirements = week_requirements(
        forecast, week_start=week_start, interval_minutes=core_rules.interval_minutes
    )
    contracts = [contract_json(user, team) for user in team_agents(team)]
    problems: list[tuple[str, dict[str, Any]]] = []
    if not any(required for _start, required in requirements):
        problems.append((WorkforceErrorCode.NO_REQUIREMENTS.value, {"week": str(week_start)}))
    if not contracts:
        problems.append((WorkforceErrorCode.NO_AGENTS.value, {"team": team.name}))
    if problems:
        raise ScheduleProblemsError(problems)
    try:
        found = scheduling.check(requirements, core_contracts(contracts), core_rules)
    except scheduling.ScheduleInputError as exc:
        found = exc.problems or [(exc.code, exc.params)]
    if found:
        raise ScheduleProblemsError(found)
    return requirements, contracts


def schedule_prepare(
    *,
    actor: User | None,
    team: Team,
    forecast: Forecast,
    week_start: date,
    rules: dict[str, Any],
    time_limit_s: int,
    at: datetime,
) -> Schedule:
    """Check and store a draft schedule without queueing the solver (the demo solves inline)."""
    requirements, contracts = schedule_check(
        team=team, forecast=forecast, week_start=week_start, rules=rules
    )
    schedule = Schedule.objects.create(
        team=team,
        forecast=forecast,
        week_start=week_start,
        rules=rules,
        requirements=[[start.isoformat(), required] for start, required in requirements],
        contracts=contracts,
        time_limit_seconds=time_limit_s,
        created_by=actor,
        created_at=at,
    )
    audit_record(
        actor=actor,
        action="workforce.schedule_create",
        target=schedule,
        at=at,
        after={"week_start": week_start.isoformat(), "rules": rules},
    )
    return schedule


@transaction.atomic
def schedule_create(
    *,
    actor: User,
    team: Team,
    forecast: Forecast,
    week_start: date,
    rules: dict[str, Any],
    time_limit_s: int,
    at: datetime,
) -> Schedule:
    """Check the rules and contracts, then queue the solver for ``team``'s week.

    Problems are raised (``ScheduleProblemsError``) before anything is stored.
    The schedule starts as a draft; the ``schedule_solve`` task solves it after
    the transaction commits.
    """
    authorize(actor, Perm.PLAN_WORKFORCE)
    schedule = schedule_prepare(
        actor=actor,
        team=team,
        forecast=forecast,
        week_start=week_start,
        rules=rules,
        time_limit_s=time_limit_s,
        at=at,
    )
    from kefu.workforce.tasks import schedule_solve as schedule_solve_task

    transaction.on_commit(lambda: schedule_solve_task.enqueue(schedule_id=schedule.pk))
    return schedule


class _ProgressWriter:
    """Stores the solver's progress on the schedule row, at most once a second.

    The solver may call back from its own threads; each write is a single
    UPDATE, and a thread other than the caller's closes its connection after.
    """

    def __init__(self, schedule_id: int) -> None:
        self.schedule_id = schedule_id
        self.last = 0.0
        self.owner = threading.get_ident()

    def __call__(self, info: Any = None, *args: Any, **kwargs: Any) -> None:
        now = monotonic_time.monotonic()
        if now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        data = dict(info) if isinstance(info, dict) else {"message": str(info)}
        data.update({key: value for key, value in kwargs.items() if _is_json(value)})
        data = {key: value for key, value in data.items() if _is_json(value)}
        try:
            Schedule.objects.filter(pk=self.schedule_id).update(progress=data)
        except Exception:  # a progress display must never stop the solve
            logger.exception("schedule %s: progress not stored", self.schedule_id)
        finally:
            if threading.get_ident() != self.owner:
                connection.close()


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def schedule_solve(*, schedule_id: int, at: datetime) -> Schedule:
    """Solve a queued schedule and store its shifts, breaks, meals and metrics.

    Idempotent: the schedule is claimed (draft -> solving) with a
    compare-and-swap, so a second run does nothing. A refusal of the solver
    marks it failed with the reason in words.
    """
    claimed = Schedule.objects.filter(pk=schedule_id, status=Schedule.Status.DRAFT).update(
        status=Schedule.Status.SOLVING, progress={"message": "started"}
    )
    schedule = Schedule.objects.get(pk=schedule_id)
    if not claimed:
        return schedule
    requirements = [
        (datetime.fromisoformat(start), int(required)) for start, required in schedule.requirements
    ]
    calls = None
    if schedule.forecast is not None:
        calls = week_calls(
            schedule.forecast,
            week_start=schedule.week_start,
            interval_minutes=int(schedule.rules.get("interval_minutes", 15)),
        )
    try:
        result = scheduling.solve(
            requirements,
            core_contracts(schedule.contracts),
            _rules(schedule.rules),
            time_limit_s=schedule.time_limit_seconds,
            # Inside a transaction (the demo, a test) nobody else could see the
            # progress before the commit, and a solver thread would wait on our lock.
            progress=None if connection.in_atomic_block else _ProgressWriter(schedule_id),
            calls=calls,
        )
    except scheduling.ScheduleInputError as exc:
        problems = exc.problems or [(exc.code, exc.params)]
        return _schedule_fail(schedule, " ".join(explain(code, p) for code, p in problems))
    except ScheduleProblemsError as exc:
        return _schedule_fail(schedule, " ".join(exc.sentences()))
    metrics = result.to_json()["metrics"]
    names = [item["agent"] for item in schedule.contracts]
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    with transaction.atomic():
        for plan in result.shifts:
            shift = ScheduledShift.objects.create(
                schedule=schedule, agent=users[plan.agent], start=plan.start, end=plan.end
            )
            ShiftActivity.objects.bulk_create(
                ShiftActivity(
                    shift=shift, type=activity.type, start=activity.start, end=activity.end
                )
                for activity in plan.activities
            )
        Schedule.objects.filter(pk=schedule_id).update(
            status=Schedule.Status.READY, metrics=metrics, progress={"message": "done"}
        )
    schedule.refresh_from_db()
    return schedule


def _schedule_fail(schedule: Schedule, reason: str) -> Schedule:
    Schedule.objects.filter(pk=schedule.pk).update(status=Schedule.Status.FAILED, error=reason)
    schedule.refresh_from_db()
    return schedule


@transaction.atomic
def schedule_publish(*, actor: User, schedule: Schedule, at: datetime) -> Schedule:
    """Publish a ready schedule: its agents see it and are notified.

    A schedule published earlier for the same team and week is superseded, so
    an agent never sees two plans for one week. The status is re-checked in the
    UPDATE so two planners publishing at once publish once.
    """
    authorize(actor, Perm.PLAN_WORKFORCE)
    updated = Schedule.objects.filter(pk=schedule.pk, status=Schedule.Status.READY).update(
        status=Schedule.Status.PUBLISHED, published_at=at
    )
    if updated != 1:
        raise ConflictError(
            WorkforceErrorCode.NOT_READY,
            _("Only a schedule that is ready can be published (this one is %(status)s)."),
            status=schedule.get_status_display(),
        )
    Schedule.objects.filter(
        team=schedule.team_id, week_start=schedule.week_start, status=Schedule.Status.PUBLISHED
    ).exclude(pk=schedule.pk).update(status=Schedule.Status.SUPERSEDED)
    schedule.refresh_from_db()
    audit_record(
        actor=actor,
        action="workforce.schedule_publish",
        target=schedule,
        at=at,
        before={"status": "ready"},
        after={"status": "published"},
    )
    agents = User.objects.filter(workforce_shifts__schedule=schedule).distinct()
    link = reverse("workforce:my")
    for agent in agents:
        notification_send(
            recipient=agent,
            code=notification_kinds.SCHEDULE_PUBLISHED,
            link=link,
            at=at,
            params={"week": schedule.week_start.isoformat()},
        )
    return schedule
