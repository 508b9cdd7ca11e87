"""Promises the demo's owners made to customers and still have to keep.

About ``OPEN_PROMISES`` open cases carry a promise made in their last reply,
due in the next one to three working days of the team, with the reminder and
overdue rows the desk schedules (``kefu.cases.services.promises``); a few more
fell due before ``today`` and were flagged overdue by the clock, on themselves
and on their case, as ``commitment_mark_overdue`` leaves them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from kefu.cases.models import Case, Commitment, Message
from kefu.cases.services.promises import OVERDUE_JOB, REMIND_BEFORE, REMINDER_JOB
from kefu.core.calendar import BusinessCalendar
from kefu.core.models import ScheduledJob, User
from kefu.demo.history import SHANGHAI
from kefu.demo.sla import Calendars, SlaPlan, schedule

OPEN_PROMISES = 15
OVERDUE_PROMISES = 3
_RECENT = timedelta(days=7)
_PROMISED_WITHIN = timedelta(hours=6)
_TIMES = (time(10), time(11), time(14), time(15), time(16), time(17))

# What was promised, as the owner wrote it down.
WHAT_ZH: tuple[str, ...] = (
    "回电告知维修师傅的上门时间",
    "提供书面整改方案和工期安排",
    "确认退款到账时间并告知客户",
    "安排工程师现场复查并反馈结果",
    "反馈相关部门的处理结论",
    "发送更换材料的报价明细",
    "核对合同条款后回复客户",
    "提供故障原因分析报告",
)
WHAT_EN: tuple[str, ...] = (
    "Call back with the technician's visit time",
    "Send the written repair plan and schedule",
    "Confirm when the refund will arrive",
    "Send the root-cause report of the outage",
    "Reply after checking the contract terms",
)


@dataclass(frozen=True)
class Promise:
    case: Case
    owner: User
    what: str
    created_at: datetime
    due_at: datetime
    overdue: bool


def _working_days_after(calendar: BusinessCalendar, today: date, count: int) -> date:
    day = today
    while count:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _due(calendars: Calendars, case: Case, today: date, rng: random.Random) -> datetime:
    """A time within working hours on one of the next three working days after ``today``."""
    days = rng.randint(1, 3)
    moment = rng.choice(_TIMES)

    def compute(calendar: BusinessCalendar) -> datetime:
        day = _working_days_after(calendar, today, days)
        return calendar.next_working_instant(datetime.combine(day, moment, tzinfo=SHANGHAI))

    return calendars.compute(case.team, compute)


def promises_plan(plan: SlaPlan, *, today: date, rng: random.Random) -> list[Promise]:
    """Choose the promised cases and their promises; flags the overdue ones' unsaved cases.

    Each promise was made in the case's last reply within the last week: the
    open ones are due in the next working days, the overdue ones were due a few
    working hours after that reply, before ``today``.
    """
    calendars = Calendars()
    midnight = datetime.combine(today, time(0), tzinfo=SHANGHAI)
    recent: list[tuple[Case, User, datetime]] = []
    for clock in plan.clocks:
        case, outbound = clock.case, Message.Direction.OUTBOUND
        replies = [m.created_at for m in clock.messages if m.direction == outbound]
        if case.is_open and case.owner is not None and replies:
            replied = max(replies)
            if replied >= midnight - _RECENT:
                recent.append((case, case.owner, replied))
    promises: list[Promise] = []
    for case, owner, replied in rng.sample(recent, min(len(recent), OPEN_PROMISES)):
        due_at = _due(calendars, case, today, rng)
        promises.append(Promise(case, owner, _what(case, rng), replied, due_at, overdue=False))
    chosen = {id(promise.case) for promise in promises}
    lapsed: list[tuple[Case, User, datetime, datetime]] = []
    for case, owner, replied in recent:
        soon = calendars.compute(case.team, partial(_promised_by, replied))
        if id(case) not in chosen and soon < midnight:
            lapsed.append((case, owner, replied, soon))
    for case, owner, replied, due_at in rng.sample(lapsed, min(len(lapsed), OVERDUE_PROMISES)):
        case.has_overdue_commitment = True
        promises.append(Promise(case, owner, _what(case, rng), replied, due_at, overdue=True))
    return promises


def _promised_by(replied: datetime, calendar: BusinessCalendar) -> datetime:
    return calendar.add_working_time(replied, _PROMISED_WITHIN)


def _what(case: Case, rng: random.Random) -> str:
    return rng.choice(WHAT_EN if case.contact.language == "en" else WHAT_ZH)


def promises_save(promises: list[Promise]) -> tuple[int, int]:
    """Write the promises of the saved cases and their due rows; returns ``(promises, jobs)``."""
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                case=promise.case,
                what=promise.what,
                owner=promise.owner,
                due_at=promise.due_at,
                created_at=promise.created_at,
                created_by=promise.owner,
                is_overdue=promise.overdue,
                # The reminder went out an hour before an overdue promise fell due.
                reminded_at=(
                    max(promise.created_at, promise.due_at - REMIND_BEFORE)
                    if promise.overdue
                    else None
                ),
            )
            for promise in promises
        ]
    )
    jobs = []
    for commitment in commitments:
        if commitment.is_overdue:
            continue
        payload: dict[str, object] = {"commitment_id": commitment.pk}
        reminder = max(commitment.created_at, commitment.due_at - REMIND_BEFORE)
        jobs.append(
            ScheduledJob(
                kind=REMINDER_JOB,
                key=f"commitment:{commitment.pk}:reminder",
                due_at=reminder,
                payload=payload,
            )
        )
        jobs.append(
            ScheduledJob(
                kind=OVERDUE_JOB,
                key=f"commitment:{commitment.pk}:overdue",
                due_at=commitment.due_at,
                payload=dict(payload),
            )
        )
    schedule(jobs)
    return len(commitments), len(jobs)
