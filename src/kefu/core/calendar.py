"""The business calendar: working hours, working days and working-time arithmetic.

Pure Python on purpose: nothing here imports Django or another kefu app, so the
SLA clocks, the workforce planner and the ``kefu calendar`` command can share it
and it can be tested without settings or a database.

A :class:`BusinessCalendar` is a set of daily working intervals (wall-clock
times in the calendar's time zone), a set of ISO weekdays and a
:class:`HolidayRegion` that decides which dates are working days. The ``cn``
region knows China's statutory holidays and make-up working days (调休) through
the ``chinese_calendar`` package; ``none`` only looks at the weekdays.

Conventions used throughout:

* working time is half-open: an interval ``09:00-18:00`` contains 09:00 and
  excludes 18:00;
* instants handed in must be timezone-aware; results are in the calendar's
  time zone;
* every mistake in the input raises :class:`CalendarError` with a plain English
  message (callers with users, such as the management command, translate and
  wrap it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

__all__ = [
    "DEFAULT_TZ",
    "DEFAULT_WEEKDAYS",
    "MAX_IDLE_DAYS",
    "REGIONS",
    "BusinessCalendar",
    "CalendarError",
    "ChinaRegion",
    "HolidayRegion",
    "Interval",
    "OverriddenRegion",
    "PlainRegion",
    "get_region",
    "parse_time_zone",
    "parse_weekdays",
    "parse_working_hours",
    "region_covers",
    "register_region",
]

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_WEEKDAYS: frozenset[int] = frozenset({1, 2, 3, 4, 5})
#: How many consecutive days without any working time the arithmetic tolerates
#: before it decides the calendar never works (about three years).
MAX_IDLE_DAYS = 3 * 366

logger = logging.getLogger(__name__)

_MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_WEEKDAY_RANGE_RE = re.compile(r"^(\d)\s*-\s*(\d)$")


class CalendarError(ValueError):
    """The calendar cannot answer: bad input, unknown region or a year without data."""


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """One daily working interval ``[start, end)`` in wall-clock time.

    ``end`` must be after ``start``; the one exception is ``end == time(0)``,
    which means midnight at the *end* of the day (written ``24:00``), so
    ``00:00-24:00`` is a round-the-clock day.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CalendarError("working hours are wall-clock times; drop the time zone")
        if not self.ends_at_midnight and self.end <= self.start:
            raise CalendarError(
                f"working interval {self}: the end must be after the start "
                "(use 24:00 for midnight at the end of the day)"
            )

    @property
    def ends_at_midnight(self) -> bool:
        """True when the interval runs to midnight at the end of the day (``24:00``)."""
        return self.end == _MIDNIGHT

    def span_on(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The interval on ``day`` as aware UTC instants ``(start, end)``."""
        start = datetime.combine(day, self.start, tzinfo=tz)
        end_day = day + _ONE_DAY if self.ends_at_midnight else day
        end = datetime.combine(end_day, self.end, tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        end = "24:00" if self.ends_at_midnight else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


def _parse_clock(text: str, *, whole: str, allow_24: bool) -> time:
    match = _TIME_RE.match(text.strip())
    if match is None:
        raise CalendarError(f"working hours {whole!r}: {text.strip()!r} is not a time like 09:00")
    hour, minute = int(match.group(1)), int(match.group(2))
    if allow_24 and (hour, minute) == (24, 0):
        return _MIDNIGHT
    if hour > 23 or minute > 59:
        raise CalendarError(f"working hours {whole!r}: {text.strip()!r} is not a valid time")
    return time(hour, minute)


def _check_intervals(intervals: Iterable[Interval], *, whole: str) -> tuple[Interval, ...]:
    ordered = tuple(sorted(intervals, key=lambda interval: interval.start))
    if not ordered:
        raise CalendarError(f"working hours {whole!r}: give at least one interval like 09:00-18:00")
    for before, after in pairwise(ordered):
        if before.ends_at_midnight or after.start < before.end:
            raise CalendarError(f"working hours {whole!r}: {before} overlaps {after}")
    return ordered


def parse_working_hours(text: str) -> tuple[Interval, ...]:
    """Parse daily working hours such as ``"09:00-18:00"`` or ``"09:00-12:00,13:00-18:00"``.

    Intervals are separated by commas, each is ``HH:MM-HH:MM`` (``24:00`` is
    allowed as an end). The result is sorted by start time and never overlaps;
    touching intervals (``09:00-12:00,12:00-18:00``) are allowed. Raises
    :class:`CalendarError` for bad syntax, an end not after its start, or an
    overlap.
    """
    whole = text.strip()
    if not whole:
        raise CalendarError("working hours are empty; give intervals like 09:00-18:00")
    intervals = []
    for part in whole.split(","):
        bounds = part.split("-")
        if len(bounds) != 2:
            raise CalendarError(
                f"working hours {whole!r}: {part.strip()!r} is not an interval like 09:00-18:00"
            )
        start = _parse_clock(bounds[0], whole=whole, allow_24=False)
        end = _parse_clock(bounds[1], whole=whole, allow_24=True)
        if end != _MIDNIGHT and end <= start:
            raise CalendarError(
                f"working hours {whole!r}: in {part.strip()!r} the end must be after the start"
            )
        intervals.append(Interval(start=start, end=end))
    return _check_intervals(intervals, whole=whole)


def parse_weekdays(text: str) -> frozenset[int]:
    """Parse ISO weekdays (Monday = 1 … Sunday = 7): ``"1,2,3,4,5"``, ``"1-5"`` or ``"1-5,7"``.

    Raises :class:`CalendarError` for anything else, or when no weekday is given.
    """
    days: set[int] = set()
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            continue
        span = _WEEKDAY_RANGE_RE.match(part)
        if span is not None:
            first, last = int(span.group(1)), int(span.group(2))
        elif part.isdigit():
            first = last = int(part)
        else:
            raise CalendarError(f"weekdays {text!r}: {part!r} is not an ISO weekday (1-7)")
        if not 1 <= first <= last <= 7:
            raise CalendarError(
                f"weekdays {text!r}: {part!r} is not within 1 (Monday) to 7 (Sunday)"
            )
        days.update(range(first, last + 1))
    if not days:
        raise CalendarError("weekdays are empty; give ISO weekdays like 1,2,3,4,5")
    return frozenset(days)


# --------------------------------------------------------------------------- regions


class HolidayRegion(Protocol):
    """Decides which dates are working days; register new ones with :func:`register_region`."""

    @property
    def code(self) -> str:
        """Short stable identifier, e.g. ``"cn"``."""
        ...

    def is_working_day(self, day: date, *, weekdays: frozenset[int]) -> bool:
        """Whether ``day`` is a working day, given the ISO ``weekdays`` normally worked."""
        ...


@lru_cache(maxsize=8192)
def _china_day(day: date) -> bool | None:
    """True: make-up working day; False: statutory holiday; None: an ordinary day."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        covered = sorted({d.year for d in chinese_calendar.holidays})
        raise CalendarError(
            f"the 'cn' holiday calendar has no data for year {day.year} "
            f"(chinese-calendar covers {covered[0]}-{covered[-1]}); "
            "import that year's holidays and make-up working days "
            "(kefu calendar import FILE) or use region 'none'"
        ) from None
    if name is None:
        return None
    return not is_holiday


@dataclass(frozen=True)
class ChinaRegion:
    """Mainland China: statutory holidays are off, make-up working days (调休) are on.

    Dates that are neither fall back to the calendar's weekdays. Raises
    :class:`CalendarError` for years ``chinese_calendar`` does not cover.
    """

    code: str = "cn"

    def is_working_day(self, day: date, *, weekdays: frozenset[int]) -> bool:
        """Holiday data first, then ``weekdays``."""
        special = _china_day(day)
        if special is None:
            return day.isoweekday() in weekdays
        return special


@dataclass(frozen=True)
class PlainRegion:
    """No holidays at all: a day works when its ISO weekday is in ``weekdays``."""

    code: str = "none"

    def is_working_day(self, day: date, *, weekdays: frozenset[int]) -> bool:
        """Only the weekday counts."""
        return day.isoweekday() in weekdays


class OverriddenRegion:
    """A region with dated exceptions on top: ``days`` maps a date to True (a
    working day, e.g. a make-up Saturday) or False (a day off).

    The exceptions win over ``base`` for the dates they name. A year ``base``
    has no data for (``CalendarError``) but that has at least one exception is
    computed from the exceptions plus the calendar's weekdays. A year with
    neither raises as ``base`` does, unless ``lenient``: then it falls back to
    the weekdays and logs a warning once per year (what the desk wants rather
    than stopping its clocks; the product warns administrators ahead of time).
    """

    __slots__ = ("_days", "_warned", "base", "lenient", "years")

    def __init__(
        self, base: HolidayRegion, days: Mapping[date, bool], *, lenient: bool = False
    ) -> None:
        self.base = base
        self._days = dict(days)
        self.years = frozenset(day.year for day in self._days)
        self.lenient = lenient
        self._warned: set[int] = set()

    @property
    def code(self) -> str:
        """The code of the region underneath."""
        return self.base.code

    @property
    def days(self) -> Mapping[date, bool]:
        """The exceptions, date to working (True) or off (False)."""
        return dict(self._days)

    def is_working_day(self, day: date, *, weekdays: frozenset[int]) -> bool:
        """The exception for ``day`` if any, else ``base``, else the weekdays (see above)."""
        special = self._days.get(day)
        if special is not None:
            return special
        try:
            return self.base.is_working_day(day, weekdays=weekdays)
        except CalendarError:
            if day.year not in self.years and not self.lenient:
                raise
            if day.year not in self.years and day.year not in self._warned:
                self._warned.add(day.year)
                logger.warning(
                    "holiday region %r has no schedule for %s: weekdays only", self.code, day.year
                )
            return day.isoweekday() in weekdays


def region_covers(region: HolidayRegion, year: int) -> bool:
    """Whether ``region`` can answer for every date of ``year`` (its data covers it)."""
    probe = region.base if isinstance(region, OverriddenRegion) else region
    if isinstance(region, OverriddenRegion) and year in region.years:
        return True
    try:
        probe.is_working_day(date(year, 1, 1), weekdays=DEFAULT_WEEKDAYS)
        probe.is_working_day(date(year, 12, 31), weekdays=DEFAULT_WEEKDAYS)
    except CalendarError:
        return False
    return True


REGIONS: dict[str, HolidayRegion] = {}


def register_region(region: HolidayRegion, *, replace: bool = False) -> None:
    """Make ``region`` available to :func:`get_region` under ``region.code``.

    Registering a code twice raises :class:`CalendarError` unless ``replace``.
    """
    if region.code in REGIONS and not replace:
        raise CalendarError(f"holiday region {region.code!r} is already registered")
    REGIONS[region.code] = region


def get_region(code: str) -> HolidayRegion:
    """The registered region for ``code``; :class:`CalendarError` naming the known codes if none."""
    try:
        return REGIONS[code]
    except KeyError:
        known = ", ".join(sorted(REGIONS))
        raise CalendarError(f"unknown holiday region {code!r}; known regions: {known}") from None


register_region(ChinaRegion())
register_region(PlainRegion())


def parse_time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; :class:`CalendarError` when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            f"unknown time zone {name!r}; use an IANA name like Asia/Shanghai"
        ) from None


def _require_aware(value: datetime, *, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError(f"{what} {value.isoformat()} has no time zone; give an aware datetime")


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours on working days, in one time zone.

    ``hours`` are sorted, non-overlapping daily intervals (see
    :func:`parse_working_hours`); ``weekdays`` are the ISO weekdays normally
    worked; ``region`` adds holidays and make-up days on top; ``tz`` is where
    the wall-clock hours live and the zone results are returned in.
    """

    hours: tuple[Interval, ...]
    region: HolidayRegion
    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    tz: ZoneInfo = DEFAULT_TZ

    def __post_init__(self) -> None:
        whole = ",".join(str(interval) for interval in self.hours)
        if _check_intervals(self.hours, whole=whole) != tuple(self.hours):
            raise CalendarError(f"working hours {whole!r} must be sorted by start time")
        if not self.weekdays <= frozenset(range(1, 8)):
            raise CalendarError(f"weekdays {sorted(self.weekdays)} must be ISO weekdays 1-7")

    @classmethod
    def from_text(
        cls,
        *,
        hours: str,
        region: str = "cn",
        weekdays: str = "1,2,3,4,5",
        tz: str = "Asia/Shanghai",
    ) -> BusinessCalendar:
        """Build a calendar from operator text; :class:`CalendarError` on any bad part."""
        return cls(
            hours=parse_working_hours(hours),
            region=get_region(region),
            weekdays=parse_weekdays(weekdays),
            tz=parse_time_zone(tz),
        )

    # ----------------------------------------------------------------- days

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (a date in the calendar's zone) is a working day."""
        return self.region.is_working_day(day, weekdays=self.weekdays)

    def _spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working spans of ``day`` as UTC instants; empty on days off."""
        if not self.is_working_day(day):
            return []
        spans = (interval.span_on(day, self.tz) for interval in self.hours)
        return [(start, end) for start, end in spans if end > start]

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def _days_from(self, first: date) -> Iterator[tuple[date, list[tuple[datetime, datetime]]]]:
        """Days from ``first`` onwards with their spans; gives up after a long idle run."""
        day, idle = first, 0
        while True:
            spans = self._spans(day)
            if spans:
                idle = 0
            else:
                idle += 1
                if idle > MAX_IDLE_DAYS:
                    raise CalendarError(
                        f"no working time in the {MAX_IDLE_DAYS} days after {first.isoformat()}; "
                        "check the working hours, weekdays and region"
                    )
            yield day, spans
            day += _ONE_DAY

    # ----------------------------------------------------------------- instants

    def is_working_time(self, instant: datetime) -> bool:
        """Whether the aware ``instant`` falls in working time (interval start in, end out)."""
        _require_aware(instant, what="instant")
        return any(start <= instant < end for start, end in self._spans(self._local_date(instant)))

    def next_working_instant(self, instant: datetime) -> datetime:
        """The earliest working instant at or after the aware ``instant``, in the calendar zone."""
        _require_aware(instant, what="instant")
        for _day, spans in self._days_from(self._local_date(instant)):
            for start, end in spans:
                if end > instant:
                    return max(start, instant).astimezone(self.tz)
        raise AssertionError("unreachable")  # pragma: no cover - _days_from raises first

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which ``amount`` of working time has elapsed since ``start``.

        ``start`` must be aware and ``amount`` non-negative, else
        :class:`CalendarError`. A zero amount returns ``start`` itself (same
        instant, in the calendar zone) even outside working time. When the
        amount runs out exactly at the end of an interval the result is that end
        (e.g. 18:00), not the next morning. Whole days are skipped at once; a
        calendar that never works raises :class:`CalendarError` after
        :data:`MAX_IDLE_DAYS` idle days, and the ``cn`` region raises it for
        years it has no data for.
        """
        _require_aware(start, what="start")
        if amount < _ZERO:
            raise CalendarError(f"working time to add must not be negative (got {amount})")
        if amount == _ZERO:
            return start.astimezone(self.tz)
        remaining = amount
        for _day, spans in self._days_from(self._local_date(start)):
            for span_start, span_end in spans:
                begin = max(span_start, start)
                if span_end <= begin:
                    continue
                available = span_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(self.tz)
                remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover - _days_from raises first

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; zero when ``end <= start``. Both must be aware."""
        _require_aware(start, what="start")
        _require_aware(end, what="end")
        if end <= start:
            return _ZERO
        total = _ZERO
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            for span_start, span_end in self._spans(day):
                overlap = min(span_end, end) - max(span_start, start)
                if overlap > _ZERO:
                    total += overlap
            day += _ONE_DAY
        return total
