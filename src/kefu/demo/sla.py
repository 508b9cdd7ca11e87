"""The SLA clocks of the demo history, as the desk's services would have left them.

The history is bulk-created past the desk's services, so this module replays
what they do (``kefu.cases.services.sla``): the most specific active policy for
the case's priority, category and customer tier; due times on the team's
business calendar from the opening; a reply to the customer meets the first
response and restarts the update cadence; waiting on the customer stops the
clocks at the last reply; resolving stops them for good.

Open cases whose running due times passed before the demo's first morning
(``today`` 09:00, Asia/Shanghai) are recorded as the clock would have left
them: one ``SlaBreach`` per target at its due time, the breach count and the
escalation level of the ladder (the owner is left as it is). Those targets get
no due rows, so the clock loop does not fire a storm of escalations when the
demo starts; the due times still ahead get their rows exactly as the desk
schedules them, and are breached at the right time.

A queue where every open case is overdue looks like no desk anyone runs: where
too few open cases are on track, the owners of some cases whose only lapse is
the update cadence sent a progress update on the evening before, so that
about ``ON_TRACK_SHARE`` of the running cases are due in the future.

The desk looks alive on the day it is built: at most ``OVERDUE_HANDFUL`` running
cases are overdue on the first morning, none by more than ``MAX_OVERDUE`` (older
lapses are brought forward or left waiting on the customer), and some cases
fall due tomorrow, not only today.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TypeVar

from kefu.cases import ladder
from kefu.cases import sla as rules
from kefu.cases.models import Case, Message, SlaBreach
from kefu.cases.services.sla import SLA_JOB, TARGETS, active_policies, team_calendar
from kefu.core.calendar import BusinessCalendar
from kefu.core.models import ScheduledJob, Team, User
from kefu.core.roles import Role
from kefu.demo.history import SHANGHAI, Draft, owner_message

# The demo's first morning: due times up to then count as passed.
MORNING = time(9)
# Statuses whose clocks run (waiting on the customer stops them).
RUNNING = frozenset({Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING_DEPARTMENT})
ON_TRACK_SHARE = 0.7
MIN_ON_TRACK_SHARE = 0.62
# How many days later a lapsed open case may be opened instead.
_MAX_SHIFT_DAYS = 14
# How far past the morning a refreshed cadence falls due at least.
_MARGIN = timedelta(minutes=30)
_SLOT = timedelta(minutes=10)
# Staff send updates between 08:30 and 20:30 (as in history.py).
_STAFF_DAY = (time(8, 30), time(20, 30))

# At most this many running cases overdue on the first morning, none by more than MAX_OVERDUE.
OVERDUE_HANDFUL = 5
MAX_OVERDUE = timedelta(days=3)
# At least this many running cases due tomorrow (when the history has cases to place).
DUE_TOMORROW = 3

T = TypeVar("T")


def demo_morning(today: date) -> datetime:
    return datetime.combine(today, MORNING, tzinfo=SHANGHAI)


class Calendars:
    """Team calendars as the desk builds them (overrides included), once per team."""

    def __init__(self) -> None:
        self._calendars: dict[int | None, BusinessCalendar] = {}

    def of(self, team: Team | None) -> BusinessCalendar:
        key = team.pk if team is not None else None
        if key not in self._calendars:
            self._calendars[key] = team_calendar(team)
        return self._calendars[key]

    def compute(self, team: Team | None, compute: Callable[[BusinessCalendar], T]) -> T:
        return compute(self.of(team))


@dataclass
class CaseClock:
    """One case's clocks: what the desk would hold, and the rows still to write."""

    case: Case
    messages: list[Message]
    policy: rules.PolicyTargets | None
    due: rules.SlaDue = field(default_factory=lambda: rules.SlaDue(None, None, None))
    # The first response's due time from the opening, kept once the reply met it.
    first_due: datetime | None = None
    breaches: list[tuple[str, datetime]] = field(default_factory=list)
    jobs: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.policy is not None and self.case.status in RUNNING


@dataclass(frozen=True)
class SlaPlan:
    morning: datetime
    clocks: list[CaseClock]

    @property
    def running(self) -> list[CaseClock]:
        return [clock for clock in self.clocks if clock.running]


def _replay(clock: CaseClock, calendars: Calendars) -> None:
    """The due times after the opening and every reply to the customer."""
    policy, case = clock.policy, clock.case
    if policy is None:
        clock.due = rules.SlaDue(None, None, None)
        clock.first_due = None
        return
    due = calendars.compute(
        case.team, lambda cal: rules.due_on_open(policy, opened_at=case.created_at, calendar=cal)
    )
    clock.first_due = due.first_response
    for message in clock.messages:
        if message.direction == Message.Direction.OUTBOUND:
            due = calendars.compute(case.team, partial(_after_reply, policy, due, message))
    clock.due = due


def _after_reply(
    policy: rules.PolicyTargets, due: rules.SlaDue, reply: Message, calendar: BusinessCalendar
) -> rules.SlaDue:
    return rules.due_after_reply(policy, due, replied_at=reply.created_at, calendar=calendar)


def _slots(clock: CaseClock, morning: datetime) -> list[datetime]:
    """Times in the staff's day on the two days before ``morning``, after the
    case's last message, for one more message from its owner."""
    last = max(message.created_at for message in clock.messages)
    slots: list[datetime] = []
    for back in (2, 1):
        day = morning.date() - timedelta(days=back)
        moment = datetime.combine(day, _STAFF_DAY[0], tzinfo=SHANGHAI)
        end = datetime.combine(day, _STAFF_DAY[1], tzinfo=SHANGHAI)
        while moment <= end:
            if moment > last + _SLOT:
                slots.append(moment)
            moment += _SLOT
    return slots


def _refresh(clock: CaseClock, calendars: Calendars, morning: datetime, rng: random.Random) -> bool:
    """Send a progress update late enough that the cadence falls due after ``morning``."""
    policy = clock.policy
    if policy is None or policy.next_update_minutes is None:
        return False
    cadence = timedelta(minutes=policy.next_update_minutes)
    slots = _slots(clock, morning)

    def on_track(index: int) -> bool:
        moment = slots[index]
        due = calendars.compute(clock.case.team, lambda cal: cal.add_working_time(moment, cadence))
        return due > morning + _MARGIN

    # The cadence's due time only grows with the update's time: bisect for the
    # first slot that puts it after the morning.
    first = bisect_left(range(len(slots)), True, key=on_track)
    if first == len(slots):
        return False
    moment = rng.choice(slots[first:])
    clock.messages.append(owner_message(clock.case, moment, rng=rng))
    _replay(clock, calendars)
    return True


def _only_cadence_lapsed(clock: CaseClock, morning: datetime) -> bool:
    due = clock.due
    return (
        due.first_response is None
        and due.next_update is not None
        and due.next_update <= morning
        and due.resolution is not None
        and due.resolution > morning + _MARGIN
    )


def _shift(clock: CaseClock, delta: timedelta) -> None:
    case = clock.case
    case.created_at += delta
    case.updated_at += delta
    if case.first_response_at is not None:
        case.first_response_at += delta
    for message in clock.messages:
        message.created_at += delta


def _bring_forward(
    clock: CaseClock,
    calendars: Calendars,
    morning: datetime,
    rng: random.Random,
    *,
    max_days: int = _MAX_SHIFT_DAYS,
) -> bool:
    """Put a lapsed open case back on track: a progress update where only the
    cadence lapsed, else the same conversation some days later (and an update
    if it needs one); False, and the case as it was, when neither does."""
    if _only_cadence_lapsed(clock, morning):
        return _refresh(clock, calendars, morning, rng)
    midnight = datetime.combine(morning.date(), time(0), tzinfo=SHANGHAI)
    last = max(message.created_at for message in clock.messages)
    for days in range(1, max_days + 1):
        delta = timedelta(days=days)
        if last + delta >= midnight:
            break
        _shift(clock, delta)
        _replay(clock, calendars)
        if _earliest(clock) > morning or (
            _only_cadence_lapsed(clock, morning) and _refresh(clock, calendars, morning, rng)
        ):
            return True
        _shift(clock, -delta)
    _replay(clock, calendars)
    return False


def _wait_on_customer(
    clock: CaseClock, calendars: Calendars, morning: datetime, rng: random.Random
) -> bool:
    """The owner asked the customer a question: the case waits on them, clocks stopped."""
    slots = _slots(clock, morning)
    if clock.case.owner_id is None or clock.case.status == Case.Status.NEW or not slots:
        return False
    clock.messages.append(owner_message(clock.case, rng.choice(slots), rng=rng, asking=True))
    clock.case.status = Case.Status.WAITING_CUSTOMER
    _replay(clock, calendars)
    return True


def _keep_on_track(plan: SlaPlan, calendars: Calendars, rng: random.Random) -> None:
    """Bring lapsed open cases back on track, in random order, until about
    ``ON_TRACK_SHARE`` of the running ones are; where that is not reached,
    put some of the rest on the customer until ``MIN_ON_TRACK_SHARE`` is."""
    running = plan.running
    on_track = sum(1 for clock in running if _earliest(clock) > plan.morning)
    lapsed = [clock for clock in running if _earliest(clock) <= plan.morning]
    rng.shuffle(lapsed)
    left = []
    for clock in lapsed:
        if on_track >= round(ON_TRACK_SHARE * len(running)):
            break
        if _bring_forward(clock, calendars, plan.morning, rng):
            on_track += 1
        else:
            left.append(clock)
    count = len(running)
    for clock in left:
        if on_track >= MIN_ON_TRACK_SHARE * count:
            break
        if _wait_on_customer(clock, calendars, plan.morning, rng):
            count -= 1


def _cap_overdue(plan: SlaPlan, calendars: Calendars, rng: random.Random) -> None:
    """No running case overdue by more than ``MAX_OVERDUE``, at most ``OVERDUE_HANDFUL``
    overdue at all: older lapses are brought forward (any number of days), else left
    on the customer, else (an unanswered case nobody could have answered in time)
    opened on the last day the conversation fits in; then the oldest lapses beyond
    the handful are brought forward or left on the customer."""

    def lapsed() -> list[CaseClock]:
        return sorted((c for c in plan.running if _earliest(c) <= plan.morning), key=_earliest)

    def put_right(clock: CaseClock) -> bool:
        days = (plan.morning - clock.case.created_at).days + 1
        return _bring_forward(
            clock, calendars, plan.morning, rng, max_days=days
        ) or _wait_on_customer(clock, calendars, plan.morning, rng)

    for clock in lapsed():
        if _earliest(clock) <= plan.morning - MAX_OVERDUE and not put_right(clock):
            _bring_near(clock, calendars, plan.morning)
    extra = lapsed()
    for clock in extra[: max(0, len(extra) - OVERDUE_HANDFUL)]:
        put_right(clock)


def _bring_near(clock: CaseClock, calendars: Calendars, morning: datetime) -> None:
    """The same conversation as many whole days later as still ends before today."""
    midnight = datetime.combine(morning.date(), time(0), tzinfo=SHANGHAI)
    last = max(message.created_at for message in clock.messages)
    days = (midnight - last).days
    if last + timedelta(days=days) >= midnight:
        days -= 1
    if days > 0:
        _shift(clock, timedelta(days=days))
        _replay(clock, calendars)


def _due_tomorrow(
    plan: SlaPlan, calendars: Calendars, policies: Sequence[rules.PolicyTargets]
) -> None:
    """Make some on-track cases low priority (no update cadence), opened up to three
    days earlier or later, so that at least ``DUE_TOMORROW`` running cases fall due
    tomorrow: a cadence always falls due within a working day of the last update."""
    tomorrow = plan.morning.date() + timedelta(days=1)
    midnight = datetime.combine(plan.morning.date(), time(0), tzinfo=SHANGHAI)

    def due_tomorrow(clock: CaseClock) -> bool:
        return (
            _earliest(clock) > plan.morning + _MARGIN
            and _earliest(clock).astimezone(SHANGHAI).date() == tomorrow
        )

    count = sum(1 for clock in plan.running if due_tomorrow(clock))
    for clock in plan.running:
        if count >= DUE_TOMORROW:
            return
        case = clock.case
        if due_tomorrow(clock) or _earliest(clock) <= plan.morning + _MARGIN:
            continue
        if case.priority not in (Case.Priority.LOW, Case.Priority.NORMAL):
            continue
        before = (case.priority, clock.policy)
        case.priority = Case.Priority.LOW
        tier = case.organisation.tier if case.organisation else ""
        clock.policy = rules.choose_policy(
            policies, priority=case.priority, category=case.category, tier=tier
        )
        last = max(message.created_at for message in clock.messages)
        for days in (0, 1, -1, 2, -2, 3, -3):
            delta = timedelta(days=days)
            if last + delta >= midnight:
                continue
            _shift(clock, delta)
            _replay(clock, calendars)
            if due_tomorrow(clock):
                count += 1
                break
            _shift(clock, -delta)
        else:
            case.priority, clock.policy = before
        _replay(clock, calendars)


def _earliest(clock: CaseClock) -> datetime:
    # A running case with a policy always has a resolution target.
    return clock.due.earliest or clock.case.created_at


class _Ladder:
    """Who the desk's breach escalation would find, by department (see services/escalation)."""

    def __init__(self) -> None:
        self.staffed: set[tuple[str, int]] = set(
            User.objects.filter(
                is_active=True, role__in=[Role.TEAM_LEAD, Role.DEPARTMENT_MANAGER]
            ).values_list("role", "department_id")
        )

    def level_after(self, case: Case, breaches: int) -> int:
        level = case.escalation_level
        for number in range(1, breaches + 1):
            step = ladder.step_for_breach(number)
            if level < step.level and (step.role, case.department_id) in self.staffed:
                level = int(step.level)
        return level


def _settle(clock: CaseClock, morning: datetime, staffing: _Ladder) -> None:
    """Write the clocks onto the unsaved case; note its breaches and due rows."""
    case, due = clock.case, clock.due
    case.sla_policy_id = clock.policy.key if clock.policy else None
    answered = case.first_response_at is not None
    # As the desk keeps it: once met, the first response's due time stays for the record.
    case.first_response_due_at = clock.first_due if answered else due.first_response
    case.next_update_due_at = due.next_update
    case.resolution_due_at = due.resolution
    case.sla_due_at = None
    if clock.policy is None:
        return
    if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        # As sla_stop leaves them: the resolution target (and a first response
        # made, with its due time) stay for the record.
        case.next_update_due_at = None
        if not answered:
            case.first_response_due_at = None
        return
    if case.status == Case.Status.WAITING_CUSTOMER:
        outbound = [
            m.created_at for m in clock.messages if m.direction == Message.Direction.OUTBOUND
        ]
        case.sla_paused_at = max(outbound) if outbound else case.created_at
        return
    case.sla_due_at = due.earliest
    for target in TARGETS:
        value: datetime | None = getattr(due, target)
        if value is None:
            continue
        (clock.breaches if value <= morning else clock.jobs).append((target, value))
    clock.breaches.sort(key=lambda breach: breach[1])
    case.breach_count = len(clock.breaches)
    case.escalation_level = staffing.level_after(case, len(clock.breaches))


def sla_plan(drafts: Sequence[Draft], *, today: date, rng: random.Random) -> SlaPlan:
    """Set every draft case's SLA fields as the desk would have them on ``today``'s morning.

    May add a progress update to some open cases (see the module's docstring).
    Returns the plan whose breaches and due rows ``sla_save`` writes once the
    cases are saved. Deterministic in ``rng``, ``today`` and the drafts.
    """
    policies = active_policies()
    calendars = Calendars()
    clocks = []
    for case, messages in drafts:
        tier = case.organisation.tier if case.organisation else ""
        policy = rules.choose_policy(
            policies, priority=case.priority, category=case.category, tier=tier
        )
        clock = CaseClock(case=case, messages=messages, policy=policy)
        _replay(clock, calendars)
        clocks.append(clock)
    plan = SlaPlan(morning=demo_morning(today), clocks=clocks)
    _keep_on_track(plan, calendars, rng)
    _cap_overdue(plan, calendars, rng)
    _due_tomorrow(plan, calendars, policies)
    staffing = _Ladder()
    for clock in clocks:
        _settle(clock, plan.morning, staffing)
    return plan


def sla_save(plan: SlaPlan) -> tuple[int, int]:
    """Write the breaches and due rows of the saved cases; returns ``(breaches, jobs)``."""
    breaches = [
        SlaBreach(case=clock.case, target=target, due_at=due_at, breached_at=due_at)
        for clock in plan.clocks
        for target, due_at in clock.breaches
    ]
    SlaBreach.objects.bulk_create(breaches, batch_size=500)
    jobs = [
        ScheduledJob(
            kind=SLA_JOB,
            key=f"case:{clock.case.pk}:sla:{target}",
            due_at=due_at,
            payload={"case_id": clock.case.pk, "target": target, "due_at": due_at.isoformat()},
        )
        for clock in plan.clocks
        for target, due_at in clock.jobs
    ]
    schedule(jobs)
    return len(breaches), len(jobs)


def schedule(jobs: list[ScheduledJob]) -> None:
    """Create the due rows, or move pending ones of the same key (as ``job_schedule``)."""
    ScheduledJob.objects.bulk_create(
        jobs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["kind", "due_at", "payload", "repeat_seconds", "done_at", "locked_until"],
    )
