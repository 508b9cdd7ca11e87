"""The floor's one window on the workforce plan: queues, forecasts, published schedules.

Everything the floor needs from ``kefu.workforce`` passes through here and comes
back as the plain dataclasses of the pure cores, so that the floor keeps
working (with empty plans) when no forecast or schedule has been published,
and so that a renamed workforce field is fixed in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Model, Q

from kefu.core.models import User
from kefu.floor.adherence import PlanKind
from kefu.floor.days import day_bounds
from kefu.floor.intraday import IntervalForecast
from kefu.floor.meals import Activity, AgentDay
from kefu.floor.models import Leave
from kefu.workforce import erlang

DEFAULT_INTERVAL_SECONDS = 1800
_ACTIVITY_KINDS = {
    "break": PlanKind.BREAK,
    "meal": PlanKind.MEAL,
    "training": PlanKind.TRAINING,
    "meeting": PlanKind.MEETING,
}


@dataclass(frozen=True)
class QueueInfo:
    id: int | None
    name: str
    interval_seconds: int
    target_service_level: float
    answer_seconds: float
    max_occupancy: float | None = 0.85


@dataclass(frozen=True)
class PlannedActivity:
    id: int
    kind: PlanKind
    start: datetime
    end: datetime


def _model(name: str) -> type[Model] | None:
    try:
        return apps.get_model("workforce", name)
    except LookupError:
        return None


def _field(obj: object, *names: str, default: object = None) -> object:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _queue_info(queue: Model) -> QueueInfo:
    interval = _field(queue, "interval_minutes", default=30)
    target = float(str(_field(queue, "service_level", "service_level_target", default=0.8)))
    occupancy = _field(queue, "max_occupancy", default=None)
    return QueueInfo(
        id=int(str(queue.pk)),
        name=str(_field(queue, "name", default=str(queue))),
        interval_seconds=int(str(interval)) * 60,
        target_service_level=target,
        answer_seconds=float(str(_field(queue, "answer_time_seconds", default=20))),
        max_occupancy=float(str(occupancy)) if occupancy is not None else None,
    )


def queue_list() -> list[QueueInfo]:
    """Every workforce queue, or none when the workforce app has no queues yet."""
    model = _model("Queue")
    if model is None:
        return []
    return [_queue_info(queue) for queue in model._default_manager.order_by("pk")]


def queue_get(queue_id: int | None) -> QueueInfo | None:
    """The queue ``queue_id``, or the first queue when None."""
    queues = queue_list()
    if queue_id is None:
        return queues[0] if queues else None
    return next((queue for queue in queues if queue.id == queue_id), None)


def forecast_for(queue: QueueInfo, day: date) -> list[IntervalForecast]:
    """The newest forecast's intervals of ``queue`` on ``day``, in time order."""
    model = _model("ForecastInterval")
    if model is None or queue.id is None:
        return []
    start, end = day_bounds(day)
    rows = model._default_manager.filter(
        forecast__queue_id=queue.id, interval_start__gte=start, interval_start__lt=end
    ).order_by("interval_start", "-forecast__created_at", "-forecast_id")
    seen: dict[datetime, IntervalForecast] = {}
    for row in rows:
        at = row.interval_start  # type: ignore[attr-defined]
        if at in seen:
            continue  # an older forecast of the same interval
        aht = float(str(_field(row, "aht_seconds", "aht", default=0) or 0))
        planned = _field(row, "required", default=None)
        seen[at] = IntervalForecast(
            at,
            float(str(_field(row, "offered", default=0))),
            aht,
            required=int(str(planned)) if planned is not None else None,
        )
    return list(seen.values())


def required_agents(queue: QueueInfo, item: IntervalForecast) -> int:
    """Agents on the phones ``item``'s traffic needs to meet ``queue``'s targets (Erlang C,
    from ``kefu.workforce.erlang``; no shrinkage: this is the on-phone requirement)."""
    if item.required is not None:
        return item.required  # the forecast's own figure, as Workforce planned it
    if item.offered <= 0 or item.aht_seconds <= 0:
        return 0
    staffing = erlang.required(
        calls=item.offered,
        interval_s=queue.interval_seconds,
        aht_s=item.aht_seconds,
        service_level=queue.target_service_level,
        answer_time_s=queue.answer_seconds,
        max_occupancy=queue.max_occupancy,
    )
    return int(staffing.agents)


def on_leave(day: date) -> set[int]:
    """Ids of agents on approved leave on ``day``."""
    return set(
        Leave.objects.filter(
            status=Leave.Status.APPROVED, start_date__lte=day, end_date__gte=day
        ).values_list("agent_id", flat=True)
    )


def _published_shifts(day: date) -> Iterable[Model]:
    model = _model("ScheduledShift")
    if model is None:
        return []
    start, end = day_bounds(day)
    return (
        model._default_manager.filter(schedule__status="published", start__lt=end, end__gt=start)
        .select_related("agent")
        .prefetch_related("activities")
        .order_by("start", "pk")
    )


def _activities(shift: Model) -> list[PlannedActivity]:
    manager = _field(shift, "activities", "shiftactivity_set")
    if manager is None:
        return []
    result: list[PlannedActivity] = []
    items = sorted(manager.all(), key=lambda a: a.start)  # type: ignore[attr-defined]
    for activity in items:
        code = str(_field(activity, "kind", "type", default=""))
        if code == "rest" and result and result[-1].kind is PlanKind.MEAL:
            # The rest after the meal is the meal's time off the phones going on: the
            # floor plans, protects and measures them as one span (docs/floor.md).
            meal = result[-1]
            result[-1] = PlannedActivity(meal.id, meal.kind, meal.start, activity.end)
            continue
        kind = _ACTIVITY_KINDS.get(code)
        if kind is not None:
            result.append(PlannedActivity(activity.pk, kind, activity.start, activity.end))
    return result


def agent_days(day: date, *, include_leave: bool = False) -> list[AgentDay]:
    """Each agent's published shift on ``day`` as phone time around activities.

    Agents on approved leave that day are left out (the leave takes them off
    the schedule's on-phone count) unless ``include_leave``.
    """
    away = set() if include_leave else on_leave(day)
    days = []
    for shift in _published_shifts(day):
        agent: User = shift.agent  # type: ignore[attr-defined]
        if agent.pk in away:
            continue
        days.append(
            AgentDay(
                agent_id=agent.pk,
                name=str(agent),
                shift_start=shift.start,  # type: ignore[attr-defined]
                shift_end=shift.end,  # type: ignore[attr-defined]
                activities=tuple(Activity(a.kind, a.start, a.end) for a in _activities(shift)),
            )
        )
    return days


def planned_activity_near(
    agent: User, at: datetime, *, kinds: frozenset[PlanKind], early: timedelta
) -> PlannedActivity | None:
    """The agent's planned activity of ``kinds`` running at ``at`` or starting within ``early``."""
    model = _model("ScheduledShift")
    if model is None:
        return None
    shifts = model._default_manager.filter(
        Q(schedule__status="published"),
        Q(agent=agent),
        Q(start__lte=at + early),
        Q(end__gt=at),
    ).prefetch_related("activities")
    for shift in shifts:
        for activity in _activities(shift):
            if activity.kind in kinds and activity.start - early <= at < activity.end:
                return activity
    return None
