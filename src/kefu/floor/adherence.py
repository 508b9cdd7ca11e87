"""Pure core: adherence of what agents did to what the published schedule planned.

No Django. Adherence here is a planning signal for the real-time analyst (is
the plan realistic?), not a score for the agent: a special break shows up as
time away from the plan and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class PlanKind(StrEnum):
    PHONE = "phone"
    BREAK = "break"
    MEAL = "meal"
    TRAINING = "training"
    MEETING = "meeting"


# Which recorded states count as doing what the plan said.
MATCHING_STATES: dict[PlanKind, frozenset[str]] = {
    PlanKind.PHONE: frozenset({"available", "on_contact", "after_contact"}),
    PlanKind.BREAK: frozenset({"scheduled_break"}),
    PlanKind.MEAL: frozenset({"meal"}),
    PlanKind.TRAINING: frozenset({"training"}),
    PlanKind.MEETING: frozenset({"meeting"}),
}


@dataclass(frozen=True)
class PlannedSpan:
    start: datetime
    end: datetime
    kind: PlanKind


@dataclass(frozen=True)
class StateSpan:
    start: datetime
    end: datetime
    state: str


@dataclass(frozen=True)
class IntervalAdherence:
    start: datetime
    scheduled_seconds: int
    adherent_seconds: int

    @property
    def ratio(self) -> float | None:
        """Share of the scheduled time spent as planned, or None when nothing was planned."""
        if self.scheduled_seconds == 0:
            return None
        return self.adherent_seconds / self.scheduled_seconds


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def plan_from_shift(
    *, shift_start: datetime, shift_end: datetime, activities: Iterable[PlannedSpan]
) -> list[PlannedSpan]:
    """A shift split into phone time around its activities (breaks, meals, courses).

    Activities are clipped to the shift; the gaps between them are phone time.
    """
    spans: list[PlannedSpan] = []
    cursor = shift_start
    for activity in sorted(activities, key=lambda span: span.start):
        start = max(activity.start, shift_start)
        end = min(activity.end, shift_end)
        if end <= start:
            continue
        if start > cursor:
            spans.append(PlannedSpan(cursor, start, PlanKind.PHONE))
        spans.append(PlannedSpan(max(start, cursor), end, activity.kind))
        cursor = max(cursor, end)
    if cursor < shift_end:
        spans.append(PlannedSpan(cursor, shift_end, PlanKind.PHONE))
    return spans


def adherence_by_interval(
    *,
    planned: Sequence[PlannedSpan],
    actual: Sequence[StateSpan],
    day_start: datetime,
    day_end: datetime,
    interval: timedelta,
) -> list[IntervalAdherence]:
    """Scheduled and adherent seconds for each interval from ``day_start`` to ``day_end``.

    Time outside every planned span is not counted either way.
    """
    result: list[IntervalAdherence] = []
    start = day_start
    while start < day_end:
        end = min(start + interval, day_end)
        scheduled = adherent = 0.0
        for span in planned:
            in_interval = _overlap(span.start, span.end, start, end)
            if not in_interval:
                continue
            scheduled += in_interval
            lo, hi = max(span.start, start), min(span.end, end)
            for state in actual:
                if state.state in MATCHING_STATES[span.kind]:
                    adherent += _overlap(state.start, state.end, lo, hi)
        result.append(IntervalAdherence(start, round(scheduled), round(adherent)))
        start = end
    return result


def adherence_total(intervals: Iterable[IntervalAdherence]) -> float | None:
    """Adherence over all ``intervals`` together, or None when nothing was planned."""
    items = list(intervals)
    scheduled = sum(item.scheduled_seconds for item in items)
    if scheduled == 0:
        return None
    return sum(item.adherent_seconds for item in items) / scheduled
