"""The demo's workforce data: a hotline queue, eight weeks of history, this week published.

Deterministic for a given ``at``: the same volumes, the same forecast, a
schedule solved with a short time limit (a few seconds).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db import transaction

from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.workforce.errors import CoreInputError, ScheduleProblemsError
from kefu.workforce.models import AgentContract, Forecast, HistoryInterval, Queue, Schedule
from kefu.workforce.services.forecasts import forecast_run
from kefu.workforce.services.schedules import (
    DEFAULT_RULES,
    schedule_prepare,
    schedule_publish,
    schedule_solve,
)

LOCAL = ZoneInfo("Asia/Shanghai")
QUEUE_NAME = "热线"
TEAM_NAME = "热线一组"
PLANNERS = ("analyst.zhouyu", "manager.chenjing", "admin")
OPEN = time(8, 30)
CLOSE = time(20, 0)
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.0)  # Sunday closed
SOLVE_SECONDS = 4


@dataclass(frozen=True)
class DemoWorkforce:
    queue: Queue
    history_rows: int
    schedule: Schedule | None


def _is_open(day: date) -> bool:
    """Mon-Sat; closed on Sundays and statutory holidays, open on make-up working days (调休)."""
    try:
        if chinese_calendar.is_workday(day):
            return True
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the calendar does not know yet
        return day.weekday() < 6
    return day.weekday() == 5 and name is None


def _intraday(minutes: int) -> float:
    """Share of the daily peak at ``minutes`` after midnight: two humps and a lunch dip."""
    hour = minutes / 60
    morning = math.exp(-(((hour - 10.5) / 1.3) ** 2))
    afternoon = 0.9 * math.exp(-(((hour - 15.5) / 1.8) ** 2))
    lunch = 0.45 * math.exp(-(((hour - 12.5) / 0.6) ** 2))
    return max(0.15, morning + afternoon - lunch + 0.2)


def _history(queue: Queue, *, first: date, last: date, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    rows = []
    day = first
    while day <= last:
        factor = WEEKDAY_FACTOR[day.weekday()] or 0.6  # a make-up Sunday is a quiet day
        if _is_open(day):
            start = datetime.combine(day, OPEN, LOCAL)
            while start.time() < CLOSE:
                minutes = start.hour * 60 + start.minute
                mean = 15 * factor * _intraday(minutes)
                offered = max(0, round(rng.gauss(mean, math.sqrt(mean) * 0.8)))
                abandoned = min(offered, round(offered * rng.uniform(0.02, 0.08)))
                rows.append(
                    HistoryInterval(
                        queue=queue,
                        interval_start=start,
                        offered=offered,
                        answered=offered - abandoned,
                        abandoned=abandoned,
                        aht_seconds=round(rng.gauss(240, 20), 1),
                    )
                )
                start += timedelta(minutes=30)
        day += timedelta(days=1)
    HistoryInterval.objects.filter(queue=queue, interval_start__date__gte=first).delete()
    HistoryInterval.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _contracts(team: Team) -> list[User]:
    agents = list(User.objects.filter(team=team, role=Role.AGENT, is_active=True))
    for n, agent in enumerate(sorted(agents, key=lambda user: user.username)):
        AgentContract.objects.update_or_create(
            user=agent,
            defaults={
                "max_hours_per_week": 40,
                "max_days_per_week": 5,
                "available_from": OPEN,
                "available_to": CLOSE,
                "days_off": [],
            },
        )
        if n == 0:  # one agent asked for no early shifts: the contract says so
            AgentContract.objects.filter(user=agent).update(available_from=time(10, 0))
    return agents


def demo_load(*, at: datetime, seed: int = 9) -> DemoWorkforce:
    """Create the demo's hotline queue, its history up to the day before ``at``, and a week.

    The published schedule is for the week of ``at`` (Monday to Sunday), so the
    intraday, adherence and meal pages have a plan for today; it is forecast from
    the history before that Monday, and the days of the week before ``at`` are
    recorded afterwards as what happened. It is planned for the 热线一组 agents
    when the demo staff exist; without them only the queue and its history are
    created.
    """
    today = at.astimezone(LOCAL).date()
    week_start = today - timedelta(days=today.weekday())
    team = Team.objects.filter(name=TEAM_NAME).first()
    with transaction.atomic():
        queue, _created = Queue.objects.update_or_create(
            name=QUEUE_NAME,
            defaults={
                "team": team,
                "interval_minutes": 30,
                "service_level": 0.8,
                "answer_time_seconds": 20,
                "max_occupancy": 0.85,
                "shrinkage": 0.3,
            },
        )
        count = _history(
            queue,
            first=week_start - timedelta(weeks=8),
            last=week_start - timedelta(days=1),
            seed=seed,
        )
    planner = (
        User.objects.filter(username__in=PLANNERS, is_active=True).order_by("username").first()
    )
    if team is None or planner is None or not planner.is_active:
        count += _this_week(queue, week_start=week_start, today=today, seed=seed)
        return DemoWorkforce(queue, count, None)
    _contracts(team)
    try:
        forecast = _forecast(planner, queue, week_start=week_start, at=at)
        with transaction.atomic():
            schedule = schedule_prepare(
                actor=planner,
                team=team,
                forecast=forecast,
                week_start=week_start,
                rules=DEFAULT_RULES,
                time_limit_s=SOLVE_SECONDS,
                at=at,
            )
    except (CoreInputError, ScheduleProblemsError):
        count += _this_week(queue, week_start=week_start, today=today, seed=seed)
        return DemoWorkforce(queue, count, None)
    schedule = schedule_solve(schedule_id=schedule.pk, at=at)
    if schedule.status == Schedule.Status.READY:
        schedule = schedule_publish(actor=planner, schedule=schedule, at=at)
    count += _this_week(queue, week_start=week_start, today=today, seed=seed)
    return DemoWorkforce(queue, count, schedule)


def _forecast(planner: User, queue: Queue, *, week_start: date, at: datetime) -> Forecast:
    """This week's forecast; without holidays where the calendar does not know the year
    yet (the demo must look alive on any day, also before the State Council's notice)."""
    try:
        return forecast_run(actor=planner, queue=queue, start=week_start, days=7, at=at)
    except CoreInputError as exc:
        if exc.code != "calendar_year_unknown":
            raise
    return forecast_run(actor=planner, queue=queue, start=week_start, days=7, at=at, region="none")


def _this_week(queue: Queue, *, week_start: date, today: date, seed: int) -> int:
    """What happened on the days of this week before today (after the forecast was made)."""
    if today <= week_start:
        return 0
    with transaction.atomic():
        return _history(queue, first=week_start, last=today - timedelta(days=1), seed=seed + 1)
