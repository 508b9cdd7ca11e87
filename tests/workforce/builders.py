"""Builders for workforce tests: history CSV text, a queue with history, a small team."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.workforce.models import AgentContract, HistoryInterval, Queue, Schedule
from tests.core.factories import make_department, make_staff, make_team

LOCAL = ZoneInfo("Asia/Shanghai")
#: Four weeks of Monday-to-Friday history before the week of 2026-11-23.
HISTORY_FIRST = date(2026, 10, 26)
HISTORY_LAST = date(2026, 11, 20)
WEEK = date(2026, 11, 23)


def offered_at(day: date, slot: int) -> int:
    """A weekday pattern with a lunch dip: 09:00-18:00, 30-minute slots 0..17."""
    base = 8 + 6 * math.sin(math.pi * slot / 17)
    if slot in (6, 7):  # 12:00-13:00
        base *= 0.5
    return round(base * (1.2 if day.weekday() == 0 else 1.0))


def history_rows(first: date = HISTORY_FIRST, last: date = HISTORY_LAST) -> list[str]:
    rows = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            for slot in range(18):
                start = datetime.combine(day, time(9), LOCAL) + timedelta(minutes=30 * slot)
                offered = offered_at(day, slot)
                rows.append(f"{start.isoformat()},hotline,{offered},{offered - 1},1,200")
        day += timedelta(days=1)
    return rows


def history_csv(rows: list[str] | None = None) -> str:
    header = "interval_start,queue,offered,answered,abandoned,aht\n"
    return header + "\n".join(history_rows() if rows is None else rows) + "\n"


def queue_with_history(team: Team | None = None) -> Queue:
    queue = Queue.objects.create(name="hotline", interval_minutes=30, team=team)
    objects = []
    for line in history_rows():
        start, _queue, offered, answered, abandoned, aht = line.split(",")
        objects.append(
            HistoryInterval(
                queue=queue,
                interval_start=datetime.fromisoformat(start),
                offered=int(offered),
                answered=int(answered),
                abandoned=int(abandoned),
                aht_seconds=float(aht),
            )
        )
    HistoryInterval.objects.bulk_create(objects)
    return queue


def small_team(size: int = 4) -> tuple[Team, list[User]]:
    """A team of agents available 08:00-19:00, 40 hours over at most 5 days."""
    department = make_department()
    team = make_team(department=department, name="热线测试组")
    agents = []
    for n in range(size):
        agent = make_staff(
            username=f"wf.agent{n}", role=Role.AGENT, team=team, department=department
        )
        AgentContract.objects.create(
            user=agent,
            max_hours_per_week=40,
            max_days_per_week=5,
            available_from=time(8, 0),
            available_to=time(19, 0),
        )
        agents.append(agent)
    return team, agents


def solved_schedule(planner: User, *, publish: bool = False) -> Schedule:
    """A small team's week for the forecast of the builders' history, solved in one second."""
    from kefu.workforce import services

    at = datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL)
    team, _agents = small_team()
    queue = queue_with_history(team)
    forecast = services.forecast_run(actor=planner, queue=queue, start=WEEK, days=7, at=at)
    schedule = services.schedule_prepare(
        actor=planner,
        team=team,
        forecast=forecast,
        week_start=WEEK,
        rules=services.DEFAULT_RULES,
        time_limit_s=1,
        at=at,
    )
    schedule = services.schedule_solve(schedule_id=schedule.pk, at=at)
    if publish:
        schedule = services.schedule_publish(actor=planner, schedule=schedule, at=at)
    return schedule
