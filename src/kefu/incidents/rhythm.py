"""Pure arithmetic of incidents: the update rhythm, retry backoff and the measures.

No Django imports: plain datetimes and numbers in, frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# An update sent within this time of its due moment counts as on time.
UPDATE_GRACE = timedelta(hours=1)
# A due draft nobody sent goes out on its own after this long.
AUTO_SEND_AFTER = timedelta(minutes=15)
# Temporary failures: attempts before giving up on a channel, and the waits between them.
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
DEFAULT_INTERVALS = (3, 6, 12, 24)


def clean_intervals(hours: Sequence[int]) -> tuple[int, ...]:
    """The interval list as given, or the default when empty; each must be 1..168 hours."""
    values = tuple(int(h) for h in hours) or DEFAULT_INTERVALS
    if any(h < 1 or h > 168 for h in values):
        raise ValueError("each update interval must be between 1 and 168 hours")
    return values


def interval_after(updates_sent: int, hours: Sequence[int]) -> timedelta:
    """The wait before the next update once ``updates_sent`` updates went out (the last repeats).

    After the first notice (0 updates sent) the first interval applies.
    """
    values = clean_intervals(hours)
    return timedelta(hours=values[min(updates_sent, len(values) - 1)])


def next_update_due(*, sent_at: datetime, updates_sent: int, hours: Sequence[int]) -> datetime:
    """When the next update falls due after a notice sent at ``sent_at``."""
    return sent_at + interval_after(updates_sent, hours)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th temporary failure: doubling from a minute, capped."""
    return min(BACKOFF_BASE * (1 << max(attempts - 1, 0)), BACKOFF_CAP)


def may_retry(attempts: int) -> bool:
    """Whether a channel that failed temporarily ``attempts`` times is tried again."""
    return attempts < MAX_ATTEMPTS


@dataclass(frozen=True)
class UpdateSlot:
    """A due update and when (if ever) it went out."""

    due_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class Adherence:
    due: int
    on_time: int
    late: int
    missed: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def adherence(
    slots: Sequence[UpdateSlot], *, now: datetime, grace: timedelta = UPDATE_GRACE
) -> Adherence:
    """Count due updates that went out on time, late, or not at all by ``now``.

    A slot not yet past its grace at ``now`` is not counted.
    """
    on_time = late = missed = 0
    for slot in slots:
        deadline = slot.due_at + grace
        if slot.sent_at is None:
            if now > deadline:
                missed += 1
        elif slot.sent_at <= deadline:
            on_time += 1
        else:
            late += 1
    return Adherence(due=on_time + late + missed, on_time=on_time, late=late, missed=missed)


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None
    p90: float | None
    maximum: float | None


def spread(values: Sequence[float]) -> Spread:
    """Median, 90th percentile (nearest rank) and maximum of ``values``."""
    if not values:
        return Spread(count=0, median=None, p90=None, maximum=None)
    ordered = sorted(values)
    n = len(ordered)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    rank = max(int(-(-0.9 * n // 1)) - 1, 0)
    return Spread(count=n, median=median, p90=ordered[rank], maximum=ordered[-1])


def reach_rate(reached: int, affected: int) -> float | None:
    return reached / affected if affected else None
