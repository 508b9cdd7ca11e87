"""Forecasts: weekly pattern, China's holidays and make-up days, method picked by WAPE."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.workforce.forecasting import METHODS, ForecastInputError, choose, forecast

SH = ZoneInfo("Asia/Shanghai")
LEVEL = {0: 130, 1: 120, 2: 115, 3: 110, 4: 100, 5: 50}


def synthetic(
    first: date, last: date, *, noise: float = 1.0, trend: float = 0.0, holidays_closed: bool = True
) -> list[tuple[datetime, float]]:
    """Mon-Sat open 09:00-18:00 in half hours, Sundays closed; holidays per chinese-calendar.

    A make-up working day (调休) is busy like a Monday.
    """
    import chinese_calendar

    rng = random.Random(5)
    rows = []
    day = first
    while day <= last:
        holiday, name = chinese_calendar.get_holiday_detail(day)
        weekday = 0 if (name and not holiday) else day.weekday()
        closed = weekday == 6 or (bool(name) and holiday and holidays_closed)
        if not closed:
            level = LEVEL[weekday] * (1 + trend * (day - first).days)
            for slot in range(18, 36):
                shape = math.sin(math.pi * (slot - 17) / 19)
                value = max(0.0, level * shape / 10 + rng.gauss(0, noise))
                rows.append(
                    (
                        datetime(day.year, day.month, day.day, tzinfo=SH)
                        + timedelta(minutes=30 * slot),
                        value,
                    )
                )
        day += timedelta(days=1)
    return rows


def test_weekly_pattern_with_holidays_cn() -> None:
    """History through the Mid-Autumn holiday (closed); forecast across National Day 2026."""
    history = synthetic(date(2026, 8, 3), date(2026, 9, 30))
    result = forecast(history, start=date(2026, 10, 1), days=14, region="cn")
    days = sorted({start.date() for start, _ in result.intervals})
    # National Day 1-7 October is closed (the history shows Mid-Autumn 25-27 September
    # closed), Sundays are closed; Saturday 10 October is a make-up working day (调休), as
    # Sunday 20 September was in the history.
    assert date(2026, 10, 1) not in days
    assert date(2026, 10, 7) not in days
    assert date(2026, 10, 4) not in days
    assert date(2026, 10, 10) in days
    assert date(2026, 10, 8) in days
    assert date(2026, 10, 9) in days
    assert date(2026, 10, 11) not in days
    assert date(2026, 10, 12) in days
    assert result.method in METHODS
    assert result.method == choose(result.candidates)
    assert result.backtest_wape == result.candidates[result.method]
    # The backtest fortnight holds the first holiday the model has seen: a fair error.
    assert result.backtest_wape < 0.3
    # The make-up Saturday is forecast like a workday, not like a Saturday.
    by_day: dict[date, float] = {}
    for start, value in result.intervals:
        by_day[start.date()] = by_day.get(start.date(), 0.0) + value
    assert by_day[date(2026, 10, 10)] > 1.5 * by_day.get(
        date(2026, 10, 3), by_day[date(2026, 10, 10)] / 2
    )
    assert all(s.tzinfo is not None and s.minute in (0, 30) for s, _ in result.intervals)
    assert {s.hour for s, _ in result.intervals} == set(range(9, 18))


def test_region_none_ignores_holidays() -> None:
    history = synthetic(date(2026, 8, 3), date(2026, 9, 30))
    result = forecast(history, start=date(2026, 10, 1), days=14, region="none")
    days = {start.date() for start, _ in result.intervals}
    assert date(2026, 10, 1) in days  # a Thursday: open by weekday alone
    assert date(2026, 10, 4) not in days  # Sundays stay closed


def test_method_chosen_by_backtest() -> None:
    """A strong trend favours a method that follows it, by the switching rule."""
    history = synthetic(date(2026, 3, 2), date(2026, 4, 26), noise=0.2, trend=0.02)
    result = forecast(history, start=date(2026, 4, 27), days=7, region="none")
    assert set(result.candidates) == set(METHODS)
    assert result.method == choose(result.candidates)
    assert result.method != "weekday_profile"  # the 4-week mean lags a 2 %/day trend
    payload = result.to_json()
    assert set(payload) == {"method", "backtest_wape", "intervals", "candidates"}
    assert set(payload["intervals"][0]) == {"interval_start", "offered"}


@pytest.mark.parametrize(
    ("history", "kwargs", "code"),
    [
        ([], {}, "no_history"),
        ([(datetime(2026, 1, 5, 9), 3.0)], {}, "naive_datetime"),  # noqa: DTZ001
        ([(datetime(2026, 1, 5, 9, tzinfo=SH), -3.0)], {}, "offered_negative"),
        ([(datetime(2026, 1, 5, 9, tzinfo=SH), 3.0)], {}, "history_too_short"),
        ([(datetime(2026, 1, 5, 9, tzinfo=SH), 3.0)], {"region": "xx"}, "unknown_region"),
        ([(datetime(2026, 1, 5, 9, tzinfo=SH), 3.0)], {"days": 0}, "days_out_of_range"),
    ],
)
def test_bad_history(
    history: list[tuple[datetime, float]], kwargs: dict[str, object], code: str
) -> None:
    args: dict[str, object] = {"start": date(2026, 2, 1), "days": 7, **kwargs}
    with pytest.raises(ForecastInputError) as caught:
        forecast(history, **args)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_start_must_follow_history() -> None:
    history = synthetic(date(2026, 3, 2), date(2026, 3, 29))
    with pytest.raises(ForecastInputError) as caught:
        forecast(history, start=date(2026, 3, 20), days=7, region="none")
    assert caught.value.code == "start_inside_history"


def test_choose_keeps_combined_unless_clearly_beaten() -> None:
    base = {"weekday_profile": 0.20, "seasonal_naive": 0.30, "combined": 0.204}
    assert choose(base) == "combined"  # 2 % better is noise
    assert choose({**base, "weekday_profile": 0.19}) == "weekday_profile"  # 6.9 % better
    assert choose({"weekday_profile": 0.2, "seasonal_naive": 0.2}) == "weekday_profile"


def test_robust_profile_leaves_out_an_outage_day() -> None:
    from kefu.workforce import forecasting as f

    history = synthetic(date(2026, 3, 2), date(2026, 4, 25), noise=0.0)
    outage = date(2026, 4, 20)  # the last Monday: a tenth of its calls recorded
    history = [(s, v / 10 if s.date() == outage else v) for s, v in history]
    parsed = f._parse(history, SH)
    model = f._Model(parsed.days, parsed.first, parsed.last, f._Calendar("none"))
    monday = date(2026, 4, 27)
    robust = sum(f._robust_profile(model, [monday])[monday].values())
    plain = sum(f._weekday_profile(model, [monday])[monday].values())
    true = sum(model.total(d) for d in model.by_class[0][-3:-1]) / 2
    assert robust == pytest.approx(true, rel=1e-9)
    assert plain < 0.8 * true  # the plain 4-week mean drops by almost a quarter


def test_own_holiday_calendar_with_region_none() -> None:
    from kefu.core.calendar import OverriddenRegion, PlainRegion

    closed_before, closed_ahead = date(2026, 8, 20), date(2026, 10, 8)  # Thursdays
    history = [
        row
        for row in synthetic(date(2026, 8, 3), date(2026, 9, 30), holidays_closed=False)
        if row[0].date() != closed_before
    ]
    calendar = OverriddenRegion(PlainRegion(), {closed_before: False, closed_ahead: False})
    own = forecast(history, start=date(2026, 10, 1), days=14, region="none", holidays=calendar)
    plain = forecast(history, start=date(2026, 10, 1), days=14, region="none")
    assert closed_ahead not in {s.date() for s, _ in own.intervals}
    assert closed_ahead in {s.date() for s, _ in plain.intervals}
    assert date(2026, 10, 1) in {s.date() for s, _ in own.intervals}
