"""``kefu demo`` looks alive on whatever day it is built: cases due today and
tomorrow, at most a handful overdue (and not by months), the agent login's
queue holds current cases, the coach has read every customer message, this
week's schedule is published and today's calls are recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kefu.cases.models import Case, Message
from kefu.demo.builder import build_demo
from kefu.demo.history import FEATURED_AGENT
from kefu.demo.sla import MAX_OVERDUE, OVERDUE_HANDFUL
from kefu.floor.models import AgentState, Leave, QueueCall
from kefu.workforce.models import Schedule, ScheduledShift

SHANGHAI = ZoneInfo("Asia/Shanghai")
RUNNING = [Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING_DEPARTMENT]
CURRENT = [*RUNNING, Case.Status.WAITING_CUSTOMER]
# Two weekdays far apart: the demo must not be anchored to the day it was written.
DAYS = [date(2026, 6, 10), date(2027, 11, 23)]


@pytest.fixture(scope="module", params=DAYS, ids=[day.isoformat() for day in DAYS])
def today(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[date]:
    """The demo built at 11:00 on the day, the clock left there, rolled back after."""
    day: date = request.param
    moment = datetime.combine(day, time(11), tzinfo=SHANGHAI)
    with (
        time_machine.travel(moment, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        build_demo(seed=7)
        yield day
        transaction.set_rollback(True)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


@pytest.mark.django_db
def test_the_queue_has_cases_due_today_and_tomorrow(today: date) -> None:
    due = [
        _local_day(moment)
        for moment in Case.objects.filter(status__in=RUNNING).values_list("sla_due_at", flat=True)
        if moment is not None
    ]
    assert due.count(today) >= 3
    assert due.count(today + timedelta(days=1)) >= 1


@pytest.mark.django_db
def test_at_most_a_handful_is_overdue_on_the_first_morning_and_none_by_months(
    today: date,
) -> None:
    morning = datetime.combine(today, time(9), tzinfo=SHANGHAI)
    overdue = Case.objects.filter(status__in=RUNNING, sla_due_at__lte=morning)
    assert overdue.count() <= OVERDUE_HANDFUL
    assert not overdue.filter(sla_due_at__lt=morning - MAX_OVERDUE).exists()
    # Later in the morning the queue has work overdue by hours, as any desk has.
    noon = datetime.combine(today, time(12), tzinfo=SHANGHAI)
    assert Case.objects.filter(status__in=RUNNING, sla_due_at__lte=noon).exists()


@pytest.mark.django_db
def test_the_agent_login_has_several_current_cases(today: date) -> None:
    mine = Case.objects.filter(owner__username=FEATURED_AGENT, status__in=CURRENT)
    assert mine.count() >= 4
    assert mine.filter(status__in=RUNNING).exists()


@pytest.mark.django_db
def test_the_coach_has_read_every_customer_message(today: date) -> None:
    inbound = Message.objects.filter(direction=Message.Direction.INBOUND)
    assert inbound.count() > 500
    assert not inbound.filter(reading=None).exists()
    assert not inbound.filter(sentiment="").exists()
    # Some customers of the demo are upset, and the coach says so.
    assert inbound.filter(upset=True).exists()


@pytest.mark.django_db
def test_this_weeks_schedule_is_published_with_shifts_today(today: date) -> None:
    monday = today - timedelta(days=today.weekday())
    schedule = Schedule.objects.get(week_start=monday)
    assert schedule.status == Schedule.Status.PUBLISHED
    start = datetime.combine(today, time(0), tzinfo=SHANGHAI)
    assert ScheduledShift.objects.filter(
        schedule=schedule, start__gte=start, start__lt=start + timedelta(days=1)
    ).exists()


@pytest.mark.django_db
def test_todays_calls_are_recorded_up_to_the_moment_of_the_build(today: date) -> None:
    start = datetime.combine(today, time(0), tzinfo=SHANGHAI)
    built = datetime.combine(today, time(11), tzinfo=SHANGHAI)
    calls = QueueCall.objects.filter(arrived_at__gte=start, arrived_at__lt=built)
    assert calls.count() > 20
    assert not QueueCall.objects.filter(arrived_at__gte=built).exists()
    assert calls.filter(arrived_at__gte=built - timedelta(hours=1)).exists()


@pytest.mark.django_db
def test_the_scheduled_agents_have_their_day_so_far_recorded_for_adherence(today: date) -> None:
    start = datetime.combine(today, time(0), tzinfo=SHANGHAI)
    built = datetime.combine(today, time(11), tzinfo=SHANGHAI)
    on_shift = set(
        ScheduledShift.objects.filter(
            schedule__status=Schedule.Status.PUBLISHED, start__gte=start, start__lt=built
        ).values_list("agent_id", flat=True)
    )
    assert on_shift
    recorded = set(
        AgentState.objects.filter(started_at__gte=start, started_at__lt=built).values_list(
            "agent_id", flat=True
        )
    )
    sick = set(
        Leave.objects.filter(start_date__lte=today, end_date__gte=today).values_list(
            "agent_id", flat=True
        )
    )
    assert on_shift - sick <= recorded
    # The spells of one agent never overlap, and at most one is open.
    for agent_id in recorded:
        spells = list(
            AgentState.objects.filter(agent_id=agent_id, started_at__gte=start)
            .order_by("started_at")
            .values_list("started_at", "ended_at")
        )
        assert sum(1 for _start, end in spells if end is None) <= 1
        for (_start, end), (following, _end) in pairwise(spells):
            assert end is not None
            assert end <= following
