"""Typed builders for floor tests: a team on the floor, a published day of the workforce plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.workforce.models import (
    Forecast,
    ForecastInterval,
    Queue,
    Schedule,
    ScheduledShift,
    ShiftActivity,
)
from tests.core.factories import make_department, make_staff, make_team

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 24)  # a Tuesday


def at(text: str) -> datetime:
    """An instant in Shanghai from 'YYYY-MM-DD HH:MM' or 'HH:MM' on ``DAY``."""
    if len(text) <= 5:
        text = f"{DAY.isoformat()} {text}"
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@dataclass
class Floor:
    team: Team
    lead: User
    agents: list[User]


def make_floor(*, agents: int = 2, team_name: str = "热线一组") -> Floor:
    department = make_department()
    team = make_team(department=department, name=team_name)
    lead = make_staff(role=Role.TEAM_LEAD, team=team, department=department)
    members = [make_staff(role=Role.AGENT, team=team, department=department) for _ in range(agents)]
    return Floor(team=team, lead=lead, agents=members)


def make_queue(*, name: str = "热线", interval_minutes: int = 30) -> Queue:
    return Queue.objects.create(
        name=name,
        interval_minutes=interval_minutes,
        service_level=0.8,
        answer_time_seconds=20,
        max_occupancy=0.85,
    )


def make_forecast(
    queue: Queue,
    *,
    day: date = DAY,
    offered: float = 60,
    aht_seconds: float = 180,
    first: str = "08:00",
    last: str = "18:00",
    required: int | None = None,
) -> Forecast:
    """A flat forecast of ``offered`` calls per interval between ``first`` and ``last``."""
    forecast = Forecast.objects.create(
        queue=queue, start=day, days=1, method="flat", backtest_wape=0.1, created_at=at("07:00")
    )
    step = timedelta(minutes=queue.interval_minutes)
    start, end = at(f"{day.isoformat()} {first}"), at(f"{day.isoformat()} {last}")
    rows = []
    while start < end:
        rows.append(
            ForecastInterval(
                forecast=forecast,
                interval_start=start,
                offered=offered,
                aht_seconds=aht_seconds,
                required=required if required is not None else 0,
                scheduled=0,
                service_level=0.8,
            )
        )
        start += step
    ForecastInterval.objects.bulk_create(rows)
    return forecast


def publish_shifts(
    team: Team,
    plans: list[tuple[User, str, str, list[tuple[str, str, str]]]],
    *,
    day: date = DAY,
) -> Schedule:
    """A published schedule: (agent, start, end, [(type, start, end), ...]) per shift."""
    schedule = Schedule.objects.create(
        team=team,
        week_start=day - timedelta(days=day.weekday()),
        rules={},
        status=Schedule.Status.PUBLISHED,
        created_at=at("07:00"),
        published_at=at("07:00"),
    )
    for agent, start, end, activities in plans:
        shift = ScheduledShift.objects.create(
            schedule=schedule,
            agent=agent,
            start=at(f"{day.isoformat()} {start}"),
            end=at(f"{day.isoformat()} {end}"),
        )
        for kind, a, b in activities:
            ShiftActivity.objects.create(
                shift=shift,
                type=kind,
                start=at(f"{day.isoformat()} {a}"),
                end=at(f"{day.isoformat()} {b}"),
            )
    return schedule
