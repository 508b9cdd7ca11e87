"""Reads against the plan: the intraday view, adherence, meal alerts and meal delays."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kefu.core.authz import authorize
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor import plan
from kefu.floor.adherence import IntervalAdherence as AdherenceInterval
from kefu.floor.adherence import (
    PlannedSpan,
    StateSpan,
    adherence_by_interval,
    adherence_total,
    plan_from_shift,
)
from kefu.floor.days import day_bounds
from kefu.floor.intraday import (
    CallOutcome,
    IntervalForecast,
    actuals_by_interval,
    reforecast,
    reforecast_scale,
)
from kefu.floor.meals import AgentDay
from kefu.floor.models import PHONE_STATES, AgentState, MealAlert, QueueCall
from kefu.floor.selectors.floor import _scope
from kefu.floor.services._common import require_watch

DEFAULT_OPEN, DEFAULT_CLOSE = time(8), time(22)


@dataclass(frozen=True)
class IntradayRow:
    start: datetime
    forecast_offered: float | None
    reforecast_offered: float | None
    required: int | None
    reforecast_required: int | None
    scheduled: float
    on_phone: float | None
    offered: int
    answered: int
    service_level: float | None
    answer_rate: float | None
    is_past: bool

    @property
    def gap(self) -> float | None:
        """Scheduled on the phones minus the requirement that applies (reforecast ahead)."""
        need = self.reforecast_required if self.reforecast_required is not None else self.required
        return None if need is None else round(self.scheduled - need, 1)


@dataclass(frozen=True)
class IntradayView:
    queue: plan.QueueInfo | None
    queues: list[plan.QueueInfo]
    day: date
    rows: list[IntradayRow]
    scale: float
    on_leave: list[str]
    service_level: float | None
    answer_rate: float | None


def queue_choices() -> list[plan.QueueInfo]:
    """Workforce queues, or one queue per name seen in the calls when there are none."""
    queues = plan.queue_list()
    if queues:
        return queues
    names = QueueCall.objects.order_by("queue_name").values_list("queue_name", flat=True)
    return [
        plan.QueueInfo(None, name, plan.DEFAULT_INTERVAL_SECONDS, 0.8, 20)
        for name in dict.fromkeys(names)
    ]


def _starts(day: date, forecast: list[IntervalForecast], step: timedelta) -> list[datetime]:
    if forecast:
        return [item.start for item in forecast]
    tz = timezone.get_current_timezone()
    at = datetime.combine(day, DEFAULT_OPEN, tzinfo=tz)
    end = datetime.combine(day, DEFAULT_CLOSE, tzinfo=tz)
    starts = []
    while at < end:
        starts.append(at)
        at += step
    return starts


def _on_phone(day: date, starts: list[datetime], step: timedelta, now: datetime) -> list[float]:
    """Average agents in a phone state over the elapsed part of each interval."""
    start, end = day_bounds(day)
    spans = AgentState.objects.filter(state__in=PHONE_STATES, started_at__lt=min(end, now)).exclude(
        ended_at__lte=start
    )
    result = []
    rows = [(s.started_at, s.ended_at or now) for s in spans]
    for lo in starts:
        hi = min(lo + step, now)
        if hi <= lo:
            result.append(0.0)
            continue
        covered = sum(max(0.0, (min(b, hi) - max(a, lo)).total_seconds()) for a, b in rows)
        result.append(covered / (hi - lo).total_seconds())
    return result


def intraday_view(
    *, actor: User, day: date, now: datetime, queue_id: int | None = None, queue_name: str = ""
) -> IntradayView:
    """Per interval: required (forecast and reforecast), scheduled on the phones after
    leave, actually on the phones, calls offered and answered, realised service level
    and answer rate. Needs ``VIEW_TEAM``."""
    authorize(actor, Perm.VIEW_TEAM)
    queues = queue_choices()
    queue = next(
        (q for q in queues if (queue_id is not None and q.id == queue_id) or q.name == queue_name),
        queues[0] if queues else None,
    )
    step = timedelta(seconds=queue.interval_seconds if queue else plan.DEFAULT_INTERVAL_SECONDS)
    forecast = plan.forecast_for(queue, day) if queue else []
    starts = _starts(day, forecast, step)
    calls = (
        QueueCall.objects.filter(
            queue_name=queue.name, arrived_at__gte=starts[0], arrived_at__lt=starts[-1] + step
        )
        if queue and starts
        else QueueCall.objects.none()
    )
    outcomes = [
        CallOutcome(
            arrived_at=c.arrived_at,
            wait_seconds=(c.answered_at - c.arrived_at).total_seconds() if c.answered_at else None,
            abandoned=c.abandoned_at is not None,
        )
        for c in calls.only("arrived_at", "answered_at", "abandoned_at")
    ]
    actual = actuals_by_interval(
        outcomes,
        starts=starts,
        interval_seconds=int(step.total_seconds()),
        answer_time_seconds=queue.answer_seconds if queue else 20,
    )
    ended = {start: row for start, row in actual.items() if start + step <= now}
    scale = reforecast_scale(forecast, ended, now=now)
    ahead = reforecast(forecast, ended, now=now, interval_seconds=int(step.total_seconds()))
    by_start = {item.start: item for item in forecast}
    ahead_by_start = {item.start: item for item in ahead}
    days = plan.agent_days(day)
    everyone = {d.agent_id: d.name for d in plan.agent_days(day, include_leave=True)}
    present = {d.agent_id for d in days}
    on_phone = _on_phone(day, starts, step, now)
    rows = []
    for index, start in enumerate(starts):
        item, again, got = by_start.get(start), ahead_by_start.get(start), actual[start]
        is_past = start + step <= now
        rows.append(
            IntradayRow(
                start=start,
                forecast_offered=item.offered if item else None,
                reforecast_offered=None if is_past or again is None else again.offered,
                required=plan.required_agents(queue, item) if queue and item else None,
                reforecast_required=(
                    plan.required_agents(queue, again) if queue and again and not is_past else None
                ),
                scheduled=round(sum(d.on_phone(start, start + step) for d in days), 1),
                on_phone=round(on_phone[index], 1) if start < now else None,
                offered=got.offered,
                answered=got.answered,
                service_level=got.service_level,
                answer_rate=got.answer_rate,
                is_past=is_past,
            )
        )
    offered = sum(r.offered for r in rows)
    in_target = sum(actual[s].answered_in_target for s in starts)
    answered = sum(r.answered for r in rows)
    return IntradayView(
        queue=queue,
        queues=queues,
        day=day,
        rows=rows,
        scale=scale,
        on_leave=sorted(name for pk, name in everyone.items() if pk not in present),
        service_level=in_target / offered if offered else None,
        answer_rate=answered / offered if offered else None,
    )


def required_by_interval(day: date, *, now: datetime) -> tuple[dict[datetime, int], timedelta]:
    """The reforecast requirement summed over every queue, per interval start."""
    required: dict[datetime, int] = defaultdict(int)
    step = timedelta(seconds=plan.DEFAULT_INTERVAL_SECONDS)
    for queue in plan.queue_list():
        step = timedelta(seconds=queue.interval_seconds)
        forecast = plan.forecast_for(queue, day)
        if not forecast:
            continue
        starts = [item.start for item in forecast]
        calls = QueueCall.objects.filter(
            queue_name=queue.name,
            arrived_at__gte=starts[0],
            arrived_at__lt=min(now, starts[-1] + step),
        ).only("arrived_at", "answered_at", "abandoned_at")
        outcomes = [
            CallOutcome(
                c.arrived_at,
                (c.answered_at - c.arrived_at).total_seconds() if c.answered_at else None,
                c.abandoned_at is not None,
            )
            for c in calls
        ]
        actual = actuals_by_interval(
            outcomes,
            starts=starts,
            interval_seconds=queue.interval_seconds,
            answer_time_seconds=queue.answer_seconds,
        )
        ended = {s: row for s, row in actual.items() if s + step <= now}
        for item in reforecast(forecast, ended, now=now, interval_seconds=queue.interval_seconds):
            required[item.start] += plan.required_agents(queue, item)
    return dict(required), step


@dataclass(frozen=True)
class AdherenceRow:
    agent_id: int
    name: str
    adherence: float | None
    intervals: list[AdherenceInterval]


def _spans_of(day: AgentDay) -> list[PlannedSpan]:
    return plan_from_shift(
        shift_start=day.shift_start,
        shift_end=day.shift_end,
        activities=[PlannedSpan(a.start, a.end, a.kind) for a in day.activities],
    )


def _team_ids(actor: User) -> set[int]:
    if actor.team_id is None:
        return set()
    return set(User.objects.filter(team_id=actor.team_id).values_list("pk", flat=True))


def adherence_for(
    *, actor: User, day: date, now: datetime, agent: User | None = None
) -> list[AdherenceRow]:
    """Adherence to the published schedule per agent and interval, up to ``now``.

    An agent sees their own; leads their team; floor watchers everyone.
    """
    start, end = day_bounds(day)
    step = timedelta(seconds=plan.DEFAULT_INTERVAL_SECONDS)
    visible: set[int] | None
    if agent is not None and agent.pk == actor.pk:
        visible = {actor.pk}
    elif agent is not None:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, agent)
        visible = {agent.pk}
    else:
        authorize(actor, Perm.VIEW_TEAM)
        visible = None if actor.has_role_perm(Perm.WATCH_FLOOR) else _team_ids(actor)
    rows = []
    states: dict[int, list[StateSpan]] = defaultdict(list)
    rows_of_day = AgentState.objects.filter(started_at__lt=min(end, now)).exclude(
        ended_at__lte=start
    )
    if visible is not None:
        rows_of_day = rows_of_day.filter(agent_id__in=visible)
    for state in rows_of_day:
        states[state.agent_id].append(
            StateSpan(state.started_at, min(state.ended_at or now, now), state.state)
        )
    for day_plan in plan.agent_days(day):
        if visible is not None and day_plan.agent_id not in visible:
            continue
        spans = [
            PlannedSpan(s.start, min(s.end, now), s.kind)
            for s in _spans_of(day_plan)
            if s.start < now
        ]
        intervals = adherence_by_interval(
            planned=spans,
            actual=states[day_plan.agent_id],
            day_start=day_plan.shift_start,
            day_end=min(day_plan.shift_end, max(now, day_plan.shift_start)),
            interval=step,
        )
        rows.append(
            AdherenceRow(day_plan.agent_id, day_plan.name, adherence_total(intervals), intervals)
        )
    return rows


def meal_alerts_for(actor: User, *, day: date) -> QuerySet[MealAlert]:
    """Meal alerts of ``day``. Needs ``VIEW_TEAM``."""
    authorize(actor, Perm.VIEW_TEAM)
    start, end = day_bounds(day)
    return MealAlert.objects.filter(
        _scope(actor), meal_start__gte=start, meal_start__lt=end
    ).select_related("agent")


@dataclass(frozen=True)
class MealDelay:
    agent_id: int
    name: str
    planned_start: datetime
    actual_start: datetime | None
    delay_minutes: int | None


def meal_delays_for(*, actor: User, day: date, now: datetime) -> list[MealDelay]:
    """Each planned meal of ``day`` that has begun, against when the meal was actually taken."""
    authorize(actor, Perm.VIEW_TEAM)
    start, end = day_bounds(day)
    taken: dict[int, list[datetime]] = defaultdict(list)
    for agent_id, at in AgentState.objects.filter(
        state=AgentState.State.MEAL, started_at__gte=start, started_at__lt=end
    ).values_list("agent_id", "started_at"):
        taken[agent_id].append(at)
    report = []
    for day_plan in plan.agent_days(day):
        for meal in day_plan.activities:
            if meal.kind != "meal" or meal.start > now:
                continue
            actual = min(taken[day_plan.agent_id], default=None)
            delay = (
                None
                if actual is None
                else max(0, round((actual - meal.start).total_seconds() / 60))
            )
            report.append(MealDelay(day_plan.agent_id, day_plan.name, meal.start, actual, delay))
    return report
