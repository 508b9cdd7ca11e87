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
  :mod:`kefu.core.calendar` (``chinese_calendar``);
* ``holidays`` replaces that calendar and is used with any region: with
  ``region="none"`` it is the business's own dated days off (and make-up days)
  over plain weekdays, e.g. ``OverriddenRegion(PlainRegion(), {...})``.

Five methods, each giving a total per open day times an intraday profile:

``weekday_profile``
    mean of the last four totals of the same day class x the class's profile
    (volume-weighted shares over its last eight days);
``seasonal_naive``
    the same weekday last week, interval by interval;
``holt_winters``
    statsmodels' additive Holt-Winters (damped trend, weekly season) on the daily
    totals (closed and special days imputed with the class mean) x profile;
``robust_profile``
    mean of the last eight totals of the class, days outside 0.6-1.5 x their
    median left out, x the profile over the class's last sixteen days;
``combined``
    the mean of ``robust_profile``'s and ``holt_winters``' totals x that
    sixteen-day profile (the default).

Each method is backtested by rolling origin: from up to six weekly cut-offs at the
end of the history (fewer for a short one), trained up to the cut-off, compared
over the next 7 days; WAPE = sum of absolute errors / sum of actuals, per interval,
over all folds. ``combined`` is kept unless another method's WAPE is at least 5 %
lower (then the lowest wins); the choice is refitted on the whole history.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from statistics import fmean, median
from typing import Any
from zoneinfo import ZoneInfo

from kefu.core.calendar import CalendarError, HolidayRegion, get_region

__all__ = ["DEFAULT_METHOD", "METHODS", "Forecast", "ForecastInputError", "choose", "forecast"]

METHODS = ("weekday_profile", "seasonal_naive", "holt_winters", "robust_profile", "combined")
MIN_HISTORY_DAYS = 14
_ALL_DAYS = frozenset(range(1, 8))
_NO_DAYS: frozenset[int] = frozenset()
_RECENT = 4
_PROFILE_DAYS = 8
_ROBUST_DAYS = 8  # robust_profile: totals of the last 8 days of the class ...
_OUTLIER_BAND = (0.6, 1.5)  # ... without those outside 0.6-1.5 x their median
_LONG_PROFILE_DAYS = 16  # robust_profile's intraday shares
_FOLD_DAYS = 7
_NEEDS_TWO_WEEKS = frozenset({"holt_winters", "combined"})
_MAX_FOLDS = 6
DEFAULT_METHOD = "combined"
_SWITCH_MARGIN = 0.05

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
        if self.region == "cn" or self.holidays is not None:
            region = self.holidays or get_region("cn")
            try:
                if region.is_working_day(day, weekdays=_NO_DAYS):
                    result = "workday"
                elif not region.is_working_day(day, weekdays=_ALL_DAYS):
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

    def profile(self, day: date, count: int = _PROFILE_DAYS) -> dict[int, float]:
        recent = self.recent(day, count)
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


def _robust_total(model: _Model, day: date) -> float:
    """Mean of the class's last totals, days far from their median (a holiday nobody
    marked, an outage, a half day of data) left out."""
    totals = [model.total(d) for d in model.recent(day, _ROBUST_DAYS)]
    if len(totals) >= 3:
        middle = median(totals)
        low, high = _OUTLIER_BAND
        totals = [t for t in totals if low * middle <= t <= high * middle] or totals
    return fmean(totals) if totals else 0.0


def _robust_profile(model: _Model, targets: list[date]) -> dict[date, Day]:
    out: dict[date, Day] = {}
    for day in targets:
        total = _robust_total(model, day)
        shares = model.profile(day, _LONG_PROFILE_DAYS)
        out[day] = {slot: total * share for slot, share in shares.items()}
    return out


def _combined(model: _Model, targets: list[date]) -> dict[date, Day]:
    """The mean of robust_profile's and holt_winters' daily totals x the long profile."""
    robust = _robust_profile(model, targets)
    smoothed = _holt_winters(model, targets)
    out: dict[date, Day] = {}
    for day in targets:
        total = (sum(robust[day].values()) + sum(smoothed[day].values())) / 2
        shares = model.profile(day, _LONG_PROFILE_DAYS)
        out[day] = {slot: total * share for slot, share in shares.items()}
    return out


def _class_mean(model: _Model, weekday: int) -> float:
    days = model.by_class.get(weekday, [])
    return fmean(model.total(d) for d in days[-_RECENT:]) if days else 0.0


_METHOD_FUNCS: dict[str, Callable[[_Model, list[date]], dict[date, Day]]] = {
    "weekday_profile": _weekday_profile,
    "seasonal_naive": _seasonal_naive,
    "holt_winters": _holt_winters,
    "robust_profile": _robust_profile,
    "combined": _combined,
}


def _errors(
    actual: Mapping[date, Day], predicted: Mapping[date, Day], days: Iterable[date]
) -> tuple[float, float]:
    """Sum of absolute errors and sum of actuals, interval by interval."""
    error = 0.0
    volume = 0.0
    for day in days:
        a = actual.get(day, {})
        p = predicted.get(day, {})
        for slot in set(a) | set(p):
            error += abs(a.get(slot, 0.0) - p.get(slot, 0.0))
            volume += a.get(slot, 0.0)
    return error, volume


def _ratio(error: float, volume: float) -> float:
    if volume == 0:
        return 0.0 if error == 0 else 1.0
    return error / volume


def _backtest(hist: _History, cal: _Calendar) -> dict[str, float]:
    """Each method's WAPE by rolling origin: from each of the last ``folds`` weekly
    cut-offs (3 once the history spans 8 weeks, 2 from 4 weeks, else 1), trained
    on the days up to it and compared over the 7 days after; summed over folds."""
    span = (hist.last - hist.first).days + 1
    folds = max(1, min(_MAX_FOLDS, (span - 21) // _FOLD_DAYS))
    sums: dict[str, list[float]] = {}
    for fold in range(folds, 0, -1):
        cutoff = hist.last - timedelta(days=fold * _FOLD_DAYS)
        test_dates = list(_dates(cutoff + timedelta(days=1), cutoff + timedelta(days=_FOLD_DAYS)))
        train_days = {d: v for d, v in hist.days.items() if d <= cutoff}
        trained = _Model(train_days, hist.first, cutoff, cal)
        predicted_open = [d for d in test_dates if trained.is_open(d)]
        actual = {d: hist.days[d] for d in test_dates if d in hist.days}
        for name in METHODS:
            if name in _NEEDS_TWO_WEEKS and (cutoff - hist.first).days + 1 < 2 * 7 + 1:
                continue
            predicted = _METHOD_FUNCS[name](trained, predicted_open)
            error, volume = _errors(actual, predicted, test_dates)
            total = sums.setdefault(name, [0.0, 0.0])
            total[0] += error
            total[1] += volume
    # A method skipped in an early fold is compared on the folds it ran in.
    return {name: _ratio(error, volume) for name, (error, volume) in sums.items()}


def choose(candidates: Mapping[str, float]) -> str:
    """``combined`` unless another method's backtest WAPE is at least 5 % lower; then the
    lowest (ties: the order of ``METHODS``). One short backtest is noisy: the margin
    keeps a lucky week from switching to a worse method."""
    best = min(candidates, key=lambda name: (candidates[name], METHODS.index(name)))
    default = candidates.get(DEFAULT_METHOD)
    if default is not None and candidates[best] >= default * (1 - _SWITCH_MARGIN):
        return DEFAULT_METHOD
    return best


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
    candidates = _backtest(hist, cal)
    method = choose(candidates)
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
