"""Reads of the workforce app, with who may see what.

Planners (``PLAN_WORKFORCE``) and team viewers (``VIEW_TEAM``) see queues,
forecasts and every schedule; every signed-in staff member sees their own
shifts, and only from published schedules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Prefetch, QuerySet

from kefu.core.authz import not_allowed
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.workforce.errors import WorkforceNotFoundError
from kefu.workforce.models import (
    Forecast,
    ForecastInterval,
    HistoryInterval,
    Queue,
    Schedule,
    ScheduledShift,
    ShiftActivity,
)

LOCAL = ZoneInfo("Asia/Shanghai")


def can_plan(actor: User) -> bool:
    return actor.has_role_perm(Perm.PLAN_WORKFORCE)


def can_view(actor: User) -> bool:
    return can_plan(actor) or actor.has_role_perm(Perm.VIEW_TEAM)


def authorize_view(actor: User) -> None:
    """Raise unless ``actor`` may see forecasts and team schedules."""
    if not can_view(actor):
        raise not_allowed(actor, Perm.VIEW_TEAM)


def queue_list(*, actor: User) -> list[dict[str, Any]]:
    """Every queue with its history's size and span."""
    authorize_view(actor)
    spans = {
        row["queue"]: row
        for row in HistoryInterval.objects.values("queue").annotate(
            count=Count("pk"), first=Min("interval_start"), last=Max("interval_start")
        )
    }
    return [
        {"queue": queue, **{k: v for k, v in spans.get(queue.pk, {}).items() if k != "queue"}}
        for queue in Queue.objects.select_related("team")
    ]


def forecast_list(*, actor: User, limit: int = 50) -> QuerySet[Forecast]:
    authorize_view(actor)
    return Forecast.objects.select_related("queue", "created_by")[:limit]


def access_forecast(actor: User, forecast_id: int) -> Forecast:
    authorize_view(actor)
    forecast = Forecast.objects.select_related("queue", "queue__team").filter(pk=forecast_id)
    found = forecast.first()
    if found is None:
        raise WorkforceNotFoundError()
    return found


def forecast_intervals(forecast: Forecast) -> list[ForecastInterval]:
    return list(forecast.intervals.order_by("interval_start"))


def forecast_history(forecast: Forecast, *, weeks: int = 2) -> list[tuple[datetime, float]]:
    """The queue's offered contacts for the ``weeks`` weeks before the forecast starts."""
    begin = datetime.combine(forecast.start, datetime.min.time(), LOCAL)
    rows = HistoryInterval.objects.filter(
        queue=forecast.queue,
        interval_start__gte=begin - timedelta(weeks=weeks),
        interval_start__lt=begin,
    ).order_by("interval_start")
    return [(row.interval_start, float(row.offered)) for row in rows]


def schedule_list(*, actor: User, limit: int = 50) -> QuerySet[Schedule]:
    authorize_view(actor)
    return Schedule.objects.select_related("team", "forecast", "created_by")[:limit]


def access_schedule(actor: User, schedule_id: int) -> Schedule:
    authorize_view(actor)
    schedule = Schedule.objects.select_related("team", "forecast").filter(pk=schedule_id).first()
    if schedule is None:
        raise WorkforceNotFoundError()
    return schedule


def _with_activities(shifts: QuerySet[ScheduledShift]) -> list[ScheduledShift]:
    return list(
        shifts.select_related("agent", "schedule").prefetch_related(
            Prefetch("activities", queryset=ShiftActivity.objects.order_by("start"))
        )
    )


def schedule_shifts(schedule: Schedule) -> list[ScheduledShift]:
    return _with_activities(schedule.shifts.order_by("agent__username", "start"))


def my_shifts(*, actor: User, since: date) -> list[ScheduledShift]:
    """``actor``'s shifts from ``since`` on, from published schedules only."""
    begin = datetime.combine(since, datetime.min.time(), LOCAL)
    return _with_activities(
        ScheduledShift.objects.filter(
            agent=actor, schedule__status=Schedule.Status.PUBLISHED, end__gte=begin
        ).order_by("start")
    )


def my_published_schedule(
    *, actor: User, schedule_id: int
) -> tuple[Schedule, list[ScheduledShift]]:
    """A published schedule and ``actor``'s shifts in it; not found unless both exist."""
    shifts = _with_activities(
        ScheduledShift.objects.filter(
            agent=actor, schedule_id=schedule_id, schedule__status=Schedule.Status.PUBLISHED
        ).order_by("start")
    )
    if not shifts:
        raise WorkforceNotFoundError()
    return shifts[0].schedule, shifts


def shift_json(shift: ScheduledShift) -> dict[str, Any]:
    return {
        "agent": shift.agent.username,
        "start": shift.start.astimezone(LOCAL).isoformat(),
        "end": shift.end.astimezone(LOCAL).isoformat(),
        "activities": [
            {
                "type": activity.type,
                "start": activity.start.astimezone(LOCAL).isoformat(),
                "end": activity.end.astimezone(LOCAL).isoformat(),
            }
            for activity in shift.activities.all()
        ],
    }


def schedule_json(schedule: Schedule, shifts: list[ScheduledShift]) -> dict[str, Any]:
    """The schedule in the ``kefu schedule --json`` format, with its id, team and status."""
    return {
        "id": schedule.pk,
        "team": schedule.team.name,
        "week_start": schedule.week_start.isoformat(),
        "status": schedule.status,
        "shifts": [shift_json(shift) for shift in shifts],
        "metrics": schedule.metrics,
    }


@dataclass(frozen=True)
class CoverageRow:
    start: datetime
    required: int
    on_phone: int
    staffed: int

    @property
    def gap(self) -> int:
        return self.on_phone - self.required


def schedule_coverage(schedule: Schedule, shifts: list[ScheduledShift]) -> list[CoverageRow]:
    """Per requirement interval: required, agents on shift, and agents on the phones."""
    step = timedelta(minutes=int(schedule.rules.get("interval_minutes", 15)))
    staffed: dict[datetime, int] = defaultdict(int)
    away: dict[datetime, int] = defaultdict(int)
    for shift in shifts:
        moment = shift.start
        while moment < shift.end:
            staffed[moment] += 1
            moment += step
        for activity in shift.activities.all():
            moment = activity.start
            while moment < activity.end:
                away[moment] += 1
                moment += step
    rows = []
    for start_text, required in schedule.requirements:
        start = datetime.fromisoformat(start_text)
        on_shift = staffed.get(start, 0)
        rows.append(CoverageRow(start, int(required), on_shift - away.get(start, 0), on_shift))
    return rows


@dataclass(frozen=True)
class GridRow:
    agent: User
    days: list[list[ScheduledShift]]
    hours: float


def schedule_grid(
    schedule: Schedule, shifts: list[ScheduledShift]
) -> tuple[list[date], list[GridRow]]:
    """Agents by days of the week, with each day's shifts (start date in local time)."""
    days = [schedule.week_start + timedelta(days=n) for n in range(7)]
    by_agent: dict[int, list[ScheduledShift]] = defaultdict(list)
    agents: dict[int, User] = {}
    for shift in shifts:
        by_agent[shift.agent_id].append(shift)
        agents[shift.agent_id] = shift.agent
    names = [item["agent"] for item in schedule.contracts]
    for user in User.objects.filter(username__in=names).exclude(pk__in=agents):
        agents[user.pk] = user
    rows = []
    for agent in sorted(agents.values(), key=lambda user: user.username):
        cells: list[list[ScheduledShift]] = [[] for _day in days]
        hours = 0.0
        for shift in by_agent.get(agent.pk, []):
            offset = (shift.start.astimezone(LOCAL).date() - schedule.week_start).days
            if 0 <= offset < 7:
                cells[offset].append(shift)
            hours += (shift.end - shift.start).total_seconds() / 3600
        rows.append(GridRow(agent, cells, hours))
    return days, rows
