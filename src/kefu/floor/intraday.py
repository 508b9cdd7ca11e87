"""Pure core: realised service level and answer rate, reforecast of the rest of the day.

The reforecast scales what is left of the day's forecast by how the day has
run so far (actual offered / forecast offered over the elapsed intervals), the
usual intraday correction, bounded so that one odd interval cannot multiply the
afternoon by more than four. Staffing for the reforecast comes from
``kefu.workforce.erlang``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

MIN_SCALE, MAX_SCALE = 0.25, 4.0


@dataclass(frozen=True)
class IntervalForecast:
    start: datetime
    offered: float
    aht_seconds: float
    # The requirement planned with the forecast; None once the traffic is reforecast.
    required: int | None = None


@dataclass(frozen=True)
class CallOutcome:
    arrived_at: datetime
    wait_seconds: float | None  # None when abandoned or still waiting
    abandoned: bool


@dataclass(frozen=True)
class IntervalActual:
    start: datetime
    offered: int
    answered: int
    answered_in_target: int
    abandoned: int

    @property
    def service_level(self) -> float | None:
        """Answered within the target answer time, over calls offered."""
        return self.answered_in_target / self.offered if self.offered else None

    @property
    def answer_rate(self) -> float | None:
        """Answered over offered (接通率)."""
        return self.answered / self.offered if self.offered else None


def actuals_by_interval(
    calls: Iterable[CallOutcome],
    *,
    starts: Sequence[datetime],
    interval_seconds: int,
    answer_time_seconds: float,
) -> dict[datetime, IntervalActual]:
    """Count ``calls`` into the intervals beginning at ``starts`` (sorted, contiguous)."""
    counts = {start: [0, 0, 0, 0] for start in starts}
    if not starts:
        return {}
    origin = starts[0]
    for call in calls:
        index = int((call.arrived_at - origin).total_seconds() // interval_seconds)
        if index < 0 or index >= len(starts):
            continue
        row = counts[starts[index]]
        row[0] += 1
        if call.wait_seconds is not None:
            row[1] += 1
            if call.wait_seconds <= answer_time_seconds:
                row[2] += 1
        elif call.abandoned:
            row[3] += 1
    return {start: IntervalActual(start, *row) for start, row in counts.items()}


def reforecast_scale(
    forecast: Sequence[IntervalForecast],
    actual: Mapping[datetime, IntervalActual],
    *,
    now: datetime,
) -> float:
    """Actual over forecast offered for the intervals ended by ``now``; 1 without calls."""
    planned = seen = 0.0
    for item in forecast:
        if item.start >= now or item.start not in actual:
            continue
        planned += item.offered
        seen += actual[item.start].offered
    if planned <= 0 or seen == 0:
        # No calls recorded yet is missing data (no import), not a dead day.
        return 1.0
    return min(MAX_SCALE, max(MIN_SCALE, seen / planned))


def reforecast(
    forecast: Sequence[IntervalForecast],
    actual: Mapping[datetime, IntervalActual],
    *,
    now: datetime,
    interval_seconds: int,
) -> list[IntervalForecast]:
    """The forecast with every interval not yet ended scaled by ``reforecast_scale``."""
    scale = reforecast_scale(forecast, actual, now=now)
    result = []
    for item in forecast:
        ended = (item.start - now).total_seconds() + interval_seconds <= 0
        result.append(
            item
            if ended or scale == 1
            else replace(item, offered=item.offered * scale, required=None)
        )
    return result
