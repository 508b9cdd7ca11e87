"""The business calendar (pure: no Django, no database)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.core.calendar import (
    DEFAULT_WEEKDAYS,
    MAX_IDLE_DAYS,
    REGIONS,
    BusinessCalendar,
    CalendarError,
    ChinaRegion,
    Interval,
    PlainRegion,
    get_region,
    parse_weekdays,
    parse_working_hours,
    register_region,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """A Shanghai wall-clock instant from ``YYYY-MM-DDTHH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def cn(hours: str = "09:00-18:00") -> BusinessCalendar:
    return BusinessCalendar.from_text(hours=hours, region="cn")


def test_the_calendar_module_imports_no_django() -> None:
    probe = (
        "import sys, kefu.core.calendar; "
        "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] == 'django') or 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------- holiday facts


def test_national_day_week_2026_is_off_in_cn() -> None:
    calendar = cn()
    for day in range(1, 8):
        assert not calendar.is_working_day(date(2026, 10, day))


def test_saturday_2026_10_10_is_a_make_up_working_day_in_cn() -> None:
    assert date(2026, 10, 10).isoweekday() == 6
    assert cn().is_working_day(date(2026, 10, 10))


def test_sunday_2026_09_20_is_a_make_up_working_day_in_cn() -> None:
    assert date(2026, 9, 20).isoweekday() == 7
    assert cn().is_working_day(date(2026, 9, 20))


def test_ordinary_days_in_cn_follow_the_weekdays() -> None:
    calendar = cn()
    assert calendar.is_working_day(date(2026, 10, 8))  # Thursday
    assert not calendar.is_working_day(date(2026, 10, 11))  # Sunday
    six_days = BusinessCalendar.from_text(hours="09:00-18:00", region="cn", weekdays="1-6")
    assert six_days.is_working_day(date(2026, 10, 17))  # ordinary Saturday
    assert not six_days.is_working_day(date(2026, 10, 3))  # Saturday inside the holiday


def test_plain_region_ignores_holidays() -> None:
    plain = BusinessCalendar.from_text(hours="09:00-18:00", region="none")
    assert plain.is_working_day(date(2026, 10, 1))
    assert not plain.is_working_day(date(2026, 10, 10))


# ----------------------------------------------------------------- add_working_time


def test_sixteen_hours_from_the_eve_of_national_day_end_on_2026_10_09_at_14() -> None:
    due = cn().add_working_time(at("2026-09-30T16:00"), timedelta(hours=16))
    assert due.isoformat() == "2026-10-09T14:00:00+08:00"


def test_amount_ending_exactly_at_the_end_of_the_day_returns_that_end() -> None:
    due = cn().add_working_time(at("2026-09-30T16:00"), timedelta(hours=2))
    assert due.isoformat() == "2026-09-30T18:00:00+08:00"


def test_amount_ending_exactly_at_the_lunch_break_returns_the_break_start() -> None:
    calendar = cn("09:00-12:00,13:00-18:00")
    due = calendar.add_working_time(at("2026-10-08T09:00"), timedelta(hours=3))
    assert due == at("2026-10-08T12:00")


def test_lunch_break_is_skipped() -> None:
    calendar = cn("09:00-12:00,13:00-18:00")
    due = calendar.add_working_time(at("2026-10-08T11:00"), timedelta(hours=2))
    assert due == at("2026-10-08T14:00")
    assert not calendar.is_working_time(at("2026-10-08T12:30"))


def test_start_outside_working_hours_counts_from_the_next_opening() -> None:
    calendar = cn()
    assert calendar.add_working_time(at("2026-10-08T20:00"), timedelta(minutes=30)) == at(
        "2026-10-09T09:30"
    )
    assert calendar.add_working_time(at("2026-10-08T07:00"), timedelta(minutes=30)) == at(
        "2026-10-08T09:30"
    )


def test_zero_amount_returns_the_start_even_outside_working_time() -> None:
    start = at("2026-10-01T03:00")
    assert cn().add_working_time(start, timedelta(0)) == start


def test_result_is_in_the_calendar_time_zone() -> None:
    start = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    due = cn().add_working_time(start, timedelta(hours=1))
    assert due.tzinfo == SHANGHAI
    assert due.isoformat() == "2026-10-08T10:00:00+08:00"


def test_naive_start_is_refused() -> None:
    with pytest.raises(CalendarError, match="no time zone"):
        cn().add_working_time(datetime(2026, 10, 8, 9, 0), timedelta(hours=1))  # noqa: DTZ001


def test_negative_amount_is_refused() -> None:
    with pytest.raises(CalendarError, match="negative"):
        cn().add_working_time(at("2026-10-08T09:00"), timedelta(hours=-1))


def test_uncovered_year_raises_a_calendar_error_naming_the_year() -> None:
    with pytest.raises(CalendarError, match="2099"):
        cn().add_working_time(at("2099-01-05T09:00"), timedelta(hours=1))
    with pytest.raises(CalendarError, match="2099"):
        cn().is_working_day(date(2099, 1, 5))


def test_running_past_the_last_covered_year_raises_a_calendar_error() -> None:
    last_year = max(chinese_calendar.holidays).year
    with pytest.raises(CalendarError, match=str(last_year + 1)):
        cn().add_working_time(at(f"{last_year}-12-31T09:00"), timedelta(hours=100))


def test_a_calendar_that_never_works_gives_up_instead_of_looping() -> None:
    @dataclass(frozen=True)
    class NeverRegion:
        code: str = "never"

        def is_working_day(self, day: date, *, weekdays: frozenset[int]) -> bool:
            return False

    calendar = BusinessCalendar(hours=parse_working_hours("09:00-18:00"), region=NeverRegion())
    with pytest.raises(CalendarError, match=str(MAX_IDLE_DAYS)):
        calendar.add_working_time(at("2024-01-01T09:00"), timedelta(hours=1))
    with pytest.raises(CalendarError, match="no working time"):
        calendar.next_working_instant(at("2024-01-01T09:00"))


def test_long_amounts_on_a_plain_calendar_are_fast_and_exact() -> None:
    plain = BusinessCalendar.from_text(hours="00:00-24:00", region="none", weekdays="1-7")
    start = at("2030-01-01T00:00")
    due = plain.add_working_time(start, timedelta(days=3650))
    assert due == start + timedelta(days=3650)


# ----------------------------------------------------------------- instants


def test_interval_start_is_working_time_and_interval_end_is_not() -> None:
    calendar = cn()
    assert calendar.is_working_time(at("2026-10-08T09:00"))
    assert calendar.is_working_time(at("2026-10-08T17:59"))
    assert not calendar.is_working_time(at("2026-10-08T18:00"))
    assert not calendar.is_working_time(at("2026-10-08T08:59"))
    assert not calendar.is_working_time(at("2026-10-01T10:00"))


def test_next_working_instant_skips_the_holiday() -> None:
    calendar = cn()
    assert calendar.next_working_instant(at("2026-09-30T18:00")) == at("2026-10-08T09:00")
    inside = at("2026-10-08T10:15")
    assert calendar.next_working_instant(inside) == inside


# ----------------------------------------------------------------- between


def test_working_time_between_matches_the_example() -> None:
    between = cn().working_time_between(at("2026-09-30T16:00"), at("2026-10-09T14:00"))
    assert between == timedelta(hours=16)


def test_working_time_between_is_zero_when_end_is_not_after_start() -> None:
    calendar = cn()
    assert calendar.working_time_between(at("2026-10-09T14:00"), at("2026-10-08T09:00")) == (
        timedelta(0)
    )
    same = at("2026-10-08T10:00")
    assert calendar.working_time_between(same, same) == timedelta(0)


def test_working_time_between_counts_the_make_up_saturday() -> None:
    calendar = cn("09:00-12:00,13:00-18:00")
    between = calendar.working_time_between(at("2026-10-10T00:00"), at("2026-10-12T00:00"))
    assert between == timedelta(hours=8)


# ----------------------------------------------------------------- parsing


def test_parse_working_hours_sorts_intervals() -> None:
    assert parse_working_hours("13:00-18:00, 09:00-12:00") == (
        Interval(start=time(9), end=time(12)),
        Interval(start=time(13), end=time(18)),
    )


def test_parse_working_hours_accepts_24_00_as_the_end_of_the_day() -> None:
    (interval,) = parse_working_hours("20:00-24:00")
    assert interval.ends_at_midnight
    assert str(interval) == "20:00-24:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("9-18", "not a time"),
        ("09:00", "not an interval"),
        ("09:00-18:00-19:00", "not an interval"),
        ("25:00-26:00", "not a valid time"),
        ("09:60-18:00", "not a valid time"),
        ("18:00-09:00", "end must be after the start"),
        ("09:00-09:00", "end must be after the start"),
        ("09:00-12:00,11:00-13:00", "overlaps"),
        ("09:00-18:00,", "not an interval"),
    ],
)
def test_bad_working_hours_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        parse_working_hours(text)


def test_parse_weekdays_accepts_lists_and_ranges() -> None:
    assert parse_weekdays("1,2,3,4,5") == DEFAULT_WEEKDAYS
    assert parse_weekdays("1-5") == DEFAULT_WEEKDAYS
    assert parse_weekdays("1-3, 7") == frozenset({1, 2, 3, 7})


@pytest.mark.parametrize("text", ["", "0", "8", "mon", "5-1"])
def test_bad_weekdays_are_refused(text: str) -> None:
    with pytest.raises(CalendarError, match="weekday"):
        parse_weekdays(text)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(CalendarError, match="time zone"):
        BusinessCalendar.from_text(hours="09:00-18:00", tz="Mars/Olympus")


def test_unsorted_hours_are_refused_by_the_dataclass() -> None:
    hours = parse_working_hours("09:00-12:00,13:00-18:00")
    with pytest.raises(CalendarError, match="sorted"):
        BusinessCalendar(hours=hours[::-1], region=PlainRegion())


# ----------------------------------------------------------------- regions


def test_unknown_region_lists_the_known_codes() -> None:
    with pytest.raises(CalendarError, match=r"unknown holiday region 'xx'.*cn, none"):
        get_region("xx")


def test_builtin_regions_are_registered() -> None:
    assert get_region("cn") == ChinaRegion()
    assert get_region("none") == PlainRegion()


def test_registering_a_taken_code_needs_replace() -> None:
    with pytest.raises(CalendarError, match="already registered"):
        register_region(PlainRegion())
    register_region(PlainRegion(), replace=True)
    assert REGIONS["none"] == PlainRegion()


# ----------------------------------------------------------------- properties


@st.composite
def interval_sets(draw: st.DrawFn) -> tuple[Interval, ...]:
    """1-3 sorted, non-overlapping intervals on a 15-minute grid, at least 2 hours a day."""
    count = draw(st.integers(min_value=1, max_value=3))
    slots = draw(
        st.lists(
            st.integers(min_value=0, max_value=24 * 4 - 1),
            min_size=2 * count,
            max_size=2 * count,
            unique=True,
        )
    )
    marks = sorted(slots)
    intervals = tuple(
        Interval(
            start=time(*divmod(marks[i] * 15, 60)),
            end=time(*divmod(marks[i + 1] * 15, 60)),
        )
        for i in range(0, len(marks), 2)
    )
    daily = sum((marks[i + 1] - marks[i]) * 15 for i in range(0, len(marks), 2))
    if daily < 120:
        return (Interval(start=time(9), end=time(18)),)
    return intervals


ZONES = st.sampled_from([SHANGHAI, UTC, ZoneInfo("Europe/Berlin")])
STARTS = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2026, 6, 30),  # noqa: DTZ001
    timezones=ZONES,
)
AMOUNTS = st.integers(min_value=0, max_value=200 * 60).map(
    lambda minutes: timedelta(minutes=minutes)
)


def _is_interval_end(calendar: BusinessCalendar, instant: datetime) -> bool:
    local = instant.astimezone(calendar.tz)
    return calendar.is_working_day(local.date()) and any(
        local.time() == interval.end and local.second == 0 for interval in calendar.hours
    )


@settings(max_examples=200, deadline=None)
@given(hours=interval_sets(), start=STARTS, amount=AMOUNTS)
def test_due_instant_is_working_time_or_an_interval_end(
    hours: tuple[Interval, ...], start: datetime, amount: timedelta
) -> None:
    calendar = BusinessCalendar(hours=hours, region=ChinaRegion())
    due = calendar.add_working_time(start, amount)
    assert due >= start
    if amount == timedelta(0):
        # Compared as instants: == between zones is False for a wall time in a DST gap
        # (PEP 495), such as 02:00 on 2024-03-31 in Europe/Berlin.
        assert due.timestamp() == start.timestamp()
        return
    assert calendar.is_working_time(due) or _is_interval_end(calendar, due)
    local = due.astimezone(SHANGHAI)
    # An independent oracle for the day: chinese_calendar itself (weekdays are Mon-Fri).
    assert chinese_calendar.is_workday(local.date())
    assert any(interval.start <= local.time() <= interval.end for interval in hours), (
        f"{local.time()} is outside {hours}"
    )


@settings(max_examples=200, deadline=None)
@given(hours=interval_sets(), start=STARTS, amount=AMOUNTS)
def test_working_time_between_start_and_due_is_the_amount(
    hours: tuple[Interval, ...], start: datetime, amount: timedelta
) -> None:
    calendar = BusinessCalendar(hours=hours, region=ChinaRegion())
    due = calendar.add_working_time(start, amount)
    assert calendar.working_time_between(start, due) == amount


@settings(max_examples=200, deadline=None)
@given(hours=interval_sets(), start=STARTS, first=AMOUNTS, second=AMOUNTS)
def test_adding_working_time_is_monotonic_in_the_amount(
    hours: tuple[Interval, ...], start: datetime, first: timedelta, second: timedelta
) -> None:
    calendar = BusinessCalendar(hours=hours, region=ChinaRegion())
    smaller, larger = sorted((first, second))
    assert calendar.add_working_time(start, smaller) <= calendar.add_working_time(start, larger)
