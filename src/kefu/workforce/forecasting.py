"""Contact forecasts per interval from interval history. Pure: no Django.

The history is a list of ``(interval_start, offered)`` with timezone-aware
starts. Days with no rows at all are *closed* days; the interval length is the
most common gap between two starts on the same day.

Which future days are open is learnt from the history:

* per weekday (a weekday is open when at least half of its past days were);
* with ``region="cn"``, China's statutory holidays form their own class (closed
  when the history shows holidays closed; with no holiday in the history they
  follow their weekday), and a make-up working day (调休) behaves like an
  ordinary Monday-to-Friday workday. Holiday data comes from
  :mod:`kefu.core.calendar` (``chinese_calendar``).

Three methods, each giving a total per open day times an intraday profile:

``weekday_profile``
    mean of the last four totals of the same day class x the class's profile;
``seasonal_naive``
    the same weekday last week, interval by interval;
``holt_winters``
    statsmodels' additive Holt-Winters (damped trend, weekly season) on the daily
    totals (closed and special days imputed with the class mean) x profile.

Each method is backtested on the last week of history (the last two weeks once
there are eight); the lowest WAPE (sum of absolute errors over sum of actuals,
per interval) wins and is refitted on the whole history.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

from kefu.core.calendar import CalendarError, HolidayRegion, get_region

__all__ = ["METHODS", "Forecast", "ForecastInputError", "forecast"]

METHODS = ("weekday_profile", "seasonal_naive", "holt_winters")
MIN_HISTORY_DAYS = 14
_ALL_DAYS = frozenset(range(1, 8))
_NO_DAYS: frozenset[int] = frozenset()
_RECENT = 4
_PROFILE_DAYS = 8

DayClass = int | str  # 0..6 (Monday..Sunday), "holiday" or "workday" (make-up day)
Day = dict[int, float]  # slot index -> offered


class ForecastInputError(ValueError):
    """Unusable history or arguments; ``code`` and ``params`` say which and why."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


@dataclass(frozen=True)
class Forecast:
    """The chosen method, its backtest error and the forecast intervals."""

    method: str
    backtest_wape: float
    intervals: list[tuple[datetime, float]]
    candidates: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON with ISO 8601 instants."""
        return {
            "method": self.method,
            "backtest_wape": round(self.backtest_wape, 6),
            "intervals": [
                {"interval_start": start.isoformat(), "offered": round(value, 3)}
                for start, value in self.intervals
            ],
            "candidates": {name: round(wape, 6) for name, wape in self.candidates.items()},
        }


# --------------------------------------------------------------------------- calendar


class _Calendar:
    """Day classes for a region; caches the holiday look-ups."""

    def __init__(self, region: str, holidays: HolidayRegion | None = None) -> None:
        if region not in ("cn", "none"):
            raise ForecastInputError("unknown_region", region=region)
        self.region = region
        self.holidays = holidays
        self._cache: dict[date, DayClass] = {}

    def day_class(self, day: date) -> DayClass:
        found = self._cache.get(day)
        if found is not None:
            return found
        result: DayClass = day.weekday()
        if self.region == "cn":
            china = self.holidays or get_region("cn")
            try:
                if china.is_working_day(day, weekdays=_NO_DAYS):
                    result = "workday"
                elif not china.is_working_day(day, weekdays=_ALL_DAYS):
                    result = "holiday"
            except CalendarError:
                raise ForecastInputError("calendar_year_unknown", year=day.year) from None
        self._cache[day] = result
        return result


# --------------------------------------------------------------------------- history


@dataclass
class _History:
    days: dict[date, Day]
    first: date
    last: date
    slot_minutes: int


def _parse(history: Sequence[tuple[datetime, float]], tz: tzinfo) -> _History:
    if not history:
        raise ForecastInputError("no_history")
    days: dict[date, Day] = defaultdict(dict)
    local_starts: list[datetime] = []
    for index, (start, offered) in enumerate(history, start=1):
        if start.tzinfo is None or start.utcoffset() is None:
            raise ForecastInputError("naive_datetime", row=index, value=start.isoformat())
        value: Any = offered
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ForecastInputError("offered_negative", row=index, value=offered)
        local_starts.append(start.astimezone(tz))
    gaps: Counter[int] = Counter()
    ordered = sorted(zip(local_starts, (o for _, o in history), strict=True))
    for (a, _), (b, _) in pairwise(ordered):
        minutes = round((b - a).total_seconds() / 60)
        if a.date() == b.date() and minutes > 0:
            gaps[minutes] += 1
    slot = gaps.most_common(1)[0][0] if gaps else 60
    if slot <= 0 or 1440 % slot:
        raise ForecastInputError("interval_irregular", minutes=slot)
    for start, offered in ordered:
        minute = start.hour * 60 + start.minute
        if minute % slot:
            raise ForecastInputError("interval_misaligned", value=start.isoformat(), minutes=slot)
        day = days[start.date()]
        day[minute // slot] = day.get(minute // slot, 0.0) + float(offered)
    first, last = ordered[0][0].date(), ordered[-1][0].date()
    return _History(days=dict(days), first=first, last=last, slot_minutes=slot)


# --------------------------------------------------------------------------- model


class _Model:
    """What the training days say: open pattern, profiles, recent totals."""

    def __init__(self, days: Mapping[date, Day], first: date, last: date, cal: _Calendar):
        self.days = days
        self.first = first
        self.last = last
        self.cal = cal
        self.by_class: dict[DayClass, list[date]] = defaultdict(list)
        seen: dict[DayClass, list[bool]] = defaultdict(list)
        for day in _dates(first, last):
            klass = cal.day_class(day)
            seen[klass].append(day in days)
            if day in days:
                self.by_class[klass].append(day)
        self._open = {klass: sum(flags) * 2 >= len(flags) for klass, flags in seen.items()}

    def is_open(self, day: date) -> bool:
        klass = self.cal.day_class(day)
        if klass == "workday":
            weekdays = [self._open.get(d, False) for d in range(5)]
            return sum(weekdays) * 2 >= 5 if "workday" not in self._open else self._open[klass]
        if klass == "holiday" and "holiday" not in self._open:
            return self._open.get(day.weekday(), False)
        return self._open.get(klass, False)

    def source_class(self, day: date) -> list[DayClass]:
        """The classes whose days stand for ``day``, best first."""
        klass = self.cal.day_class(day)
        if klass == "workday":
            return ["workday", 0, 1, 2, 3, 4]
        if klass == "holiday":
            return ["holiday", day.weekday()]
        return [klass]

    def recent(self, day: date, count: int) -> list[date]:
        for klass in self.source_class(day):
            found = self.by_class.get(klass, [])
            if found:
                return found[-count:]
        merged = sorted(d for ds in self.by_class.values() for d in ds)
        return merged[-count:]

    def total(self, day: date) -> float:
        return sum(self.days[day].values())

    def mean_total(self, day: date) -> float:
        recent = self.recent(day, _RECENT)
        return fmean(self.total(d) for d in recent) if recent else 0.0

    def profile(self, day: date) -> dict[int, float]:
        recent = self.recent(day, _PROFILE_DAYS)
        sums: dict[int, float] = defaultdict(float)
        for d in recent:
            for slot, value in self.days[d].items():
                sums[slot] += value
        total = sum(sums.values())
        if total <= 0:
            slots = sorted(sums)
            return {slot: 1.0 / len(slots) for slot in slots} if slots else {}
        return {slot: value / total for slot, value in sorted(sums.items())}


def _dates(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _shaped(model: _Model, day: date, total: float) -> Day:
    return {slot: total * share for slot, share in model.profile(day).items()}


def _weekday_profile(model: _Model, targets: list[date]) -> dict[date, Day]:
    return {day: _shaped(model, day, model.mean_total(day)) for day in targets}


def _seasonal_naive(model: _Model, targets: list[date]) -> dict[date, Day]:
    out: dict[date, Day] = {}
    for day in targets:
        recent = model.recent(day, 1)
        out[day] = dict(model.days[recent[-1]]) if recent else {}
    return out


def _holt_winters(model: _Model, targets: list[date]) -> dict[date, Day]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    dates = list(_dates(model.first, model.last))
    series: list[float] = []
    for day in dates:
        ordinary = isinstance(model.cal.day_class(day), int)
        if day in model.days and ordinary:
            series.append(model.total(day))
        else:
            series.append(_class_mean(model, day.weekday()))
    horizon = max((day - model.last).days for day in targets) if targets else 0
    predicted: list[float] = []
    if horizon > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ExponentialSmoothing(
                series,
                trend="add",
                damped_trend=True,
                seasonal="add",
                seasonal_periods=7,
                initialization_method="estimated",
            ).fit()
            predicted = [float(v) for v in fit.forecast(horizon)]
    out: dict[date, Day] = {}
    for day in targets:
        if isinstance(model.cal.day_class(day), int):
            value = predicted[(day - model.last).days - 1]
            total = max(0.0, value) if math.isfinite(value) else model.mean_total(day)
        else:
            total = model.mean_total(day)
        out[day] = _shaped(model, day, total)
    return out


def _class_mean(model: _Model, weekday: int) -> float:
    days = model.by_class.get(weekday, [])
    return fmean(model.total(d) for d in days[-_RECENT:]) if days else 0.0


_METHOD_FUNCS: dict[str, Callable[[_Model, list[date]], dict[date, Day]]] = {
    "weekday_profile": _weekday_profile,
    "seasonal_naive": _seasonal_naive,
    "holt_winters": _holt_winters,
}


def _wape(actual: Mapping[date, Day], predicted: Mapping[date, Day], days: Iterable[date]) -> float:
    error = 0.0
    volume = 0.0
    for day in days:
        a = actual.get(day, {})
        p = predicted.get(day, {})
        for slot in set(a) | set(p):
            error += abs(a.get(slot, 0.0) - p.get(slot, 0.0))
            volume += a.get(slot, 0.0)
    if volume == 0:
        return 0.0 if error == 0 else 1.0
    return error / volume


def forecast(
    history: Sequence[tuple[datetime, float]],
    *,
    start: date,
    days: int,
    region: str = "cn",
    tz: tzinfo = ZoneInfo("Asia/Shanghai"),  # noqa: B008 - immutable default
    holidays: HolidayRegion | None = None,
) -> Forecast:
    """Forecast ``days`` days from ``start``; only the days the history says are open.

    ``holidays`` replaces the ``cn`` region's package calendar, e.g. with the
    business's overrides on top (:class:`kefu.core.calendar.OverriddenRegion`)."""
    raw_days: Any = days
    if not isinstance(raw_days, int) or raw_days < 1 or raw_days > 366:
        raise ForecastInputError("days_out_of_range", days=days)
    cal = _Calendar(region, holidays)
    hist = _parse(history, tz)
    span = (hist.last - hist.first).days + 1
    if span < MIN_HISTORY_DAYS:
        raise ForecastInputError("history_too_short", days=span, needed=MIN_HISTORY_DAYS)
    if start <= hist.last:
        raise ForecastInputError(
            "start_inside_history", start=start.isoformat(), last=hist.last.isoformat()
        )
    holdout = 14 if span >= 56 else 7
    cutoff = hist.last - timedelta(days=holdout)
    train_days = {d: v for d, v in hist.days.items() if d <= cutoff}
    test_dates = list(_dates(cutoff + timedelta(days=1), hist.last))
    trained = _Model(train_days, hist.first, cutoff, cal)
    predicted_open = [d for d in test_dates if trained.is_open(d)]
    actual = {d: hist.days[d] for d in test_dates if d in hist.days}
    candidates: dict[str, float] = {}
    for name in METHODS:
        if name == "holt_winters" and (cutoff - hist.first).days + 1 < 2 * 7 + 1:
            continue
        predicted = _METHOD_FUNCS[name](trained, predicted_open)
        candidates[name] = _wape(actual, predicted, test_dates)
    method = min(candidates, key=lambda name: (candidates[name], METHODS.index(name)))
    full = _Model(hist.days, hist.first, hist.last, cal)
    targets = [d for d in _dates(start, start + timedelta(days=days - 1)) if full.is_open(d)]
    values = _METHOD_FUNCS[method](full, targets)
    intervals: list[tuple[datetime, float]] = []
    slot = hist.slot_minutes
    for day in targets:
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        for index, value in sorted(values.get(day, {}).items()):
            instant = midnight + timedelta(minutes=index * slot)
            intervals.append((instant, max(0.0, value)))
    return Forecast(
        method=method,
        backtest_wape=candidates[method],
        intervals=intervals,
        candidates=candidates,
    )
