"""The floor's pure cores: adherence, absence patterns, retention, reforecast, meal risk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kefu.floor.absence import Absence, Pattern, absence_patterns
from kefu.floor.adherence import (
    PlanKind,
    PlannedSpan,
    StateSpan,
    adherence_by_interval,
    plan_from_shift,
)
from kefu.floor.intraday import IntervalActual, IntervalForecast, reforecast, reforecast_scale
from kefu.floor.meals import Activity, AgentDay, meal_risks
from kefu.floor.retention import Tenure, TenureBand, retention_summary

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_plan_from_shift_puts_phone_time_around_activities() -> None:
    spans = plan_from_shift(
        shift_start=T0,
        shift_end=T0 + 3 * H,
        activities=[PlannedSpan(T0 + H, T0 + 1.5 * H, PlanKind.BREAK)],
    )
    assert [(s.kind, s.start, s.end) for s in spans] == [
        (PlanKind.PHONE, T0, T0 + H),
        (PlanKind.BREAK, T0 + H, T0 + 1.5 * H),
        (PlanKind.PHONE, T0 + 1.5 * H, T0 + 3 * H),
    ]


def test_special_break_is_away_from_the_plan() -> None:
    planned = [PlannedSpan(T0, T0 + H, PlanKind.PHONE)]
    actual = [
        StateSpan(T0, T0 + 0.5 * H, "on_contact"),
        StateSpan(T0 + 0.5 * H, T0 + H, "special_break"),
    ]
    [interval] = adherence_by_interval(
        planned=planned, actual=actual, day_start=T0, day_end=T0 + H, interval=H
    )
    assert interval.ratio == 0.5


@given(st.integers(min_value=0, max_value=3600))
def test_adherence_is_between_zero_and_one(seconds: int) -> None:
    planned = [PlannedSpan(T0, T0 + H, PlanKind.PHONE)]
    actual = [StateSpan(T0, T0 + timedelta(seconds=seconds), "available")]
    [interval] = adherence_by_interval(
        planned=planned, actual=actual, day_start=T0, day_end=T0 + H, interval=H
    )
    assert interval.ratio is not None
    assert 0 <= interval.ratio <= 1


def test_annual_leave_never_counts_as_a_pattern() -> None:
    absences = [Absence("annual", date(2026, 11, 2), date(2026, 11, 6))] * 3
    assert absence_patterns(absences, today=date(2026, 11, 20)) == []


def test_old_sick_days_fall_out_of_the_window() -> None:
    absences = [Absence("sick", date(2026, 8, 1), date(2026, 8, 3))]
    assert absence_patterns(absences, today=date(2026, 11, 20)) == []
    found = absence_patterns(absences, today=date(2026, 8, 10))
    assert [(f.pattern, f.count) for f in found] == [(Pattern.FREQUENT_SICK, 3)]


def test_retention_figures() -> None:
    today = date(2026, 11, 24)
    people = [
        Tenure(date(2023, 1, 1), None, changed_role=True),  # stayed, changed role
        Tenure(date(2023, 6, 1), date(2024, 1, 1), changed_role=False),  # left early
        Tenure(date(2024, 1, 1), date(2026, 6, 1), changed_role=False),  # left this year
        Tenure(date(2026, 10, 1), None, changed_role=False),  # new
    ]
    figures = retention_summary(people, today=today)
    assert figures.headcount == 2
    assert dict(figures.bands)[TenureBand.UNDER_3_MONTHS] == 1
    assert dict(figures.bands)[TenureBand.OVER_2_YEARS] == 1
    assert figures.two_year_cohort == 3
    assert figures.past_two_years_share == 2 / 3
    assert figures.leavers_12_months == 1
    assert figures.attrition_12_months == 0.5  # one leaver, (2 now + 2 a year ago) / 2
    assert figures.role_changers_retained == 1.0
    assert figures.others_retained == 1 / 3


def test_reforecast_scale_is_bounded_and_neutral_without_data() -> None:
    forecast = [IntervalForecast(T0 + i * H, 10, 180) for i in range(3)]
    assert reforecast_scale(forecast, {}, now=T0 + H) == 1.0
    silent = {T0: IntervalActual(T0, 0, 0, 0, 0)}
    assert reforecast_scale(forecast, silent, now=T0 + H) == 1.0  # no calls yet: no data
    actual = {T0: IntervalActual(T0, 100, 100, 100, 0)}
    assert reforecast_scale(forecast, actual, now=T0 + H) == 4.0
    ahead = reforecast(forecast, actual, now=T0 + H, interval_seconds=3600)
    assert [item.offered for item in ahead] == [10, 40, 40]


def test_meal_at_risk_names_who_could_swap_a_break() -> None:
    thirty = timedelta(minutes=30)
    lunch = Activity(PlanKind.MEAL, T0 + 3 * H, T0 + 3 * H + thirty)
    days = [
        AgentDay(1, "甲", T0, T0 + 8 * H, (lunch,)),
        AgentDay(
            2, "乙", T0, T0 + 8 * H, (Activity(PlanKind.BREAK, T0 + 3 * H, T0 + 3 * H + thirty),)
        ),
        AgentDay(3, "丙", T0, T0 + 8 * H),
    ]
    required = {T0 + i * thirty: 2 for i in range(16)}
    quarter = timedelta(minutes=15)
    risks = meal_risks(
        days=days, required=required, interval=thirty, now=T0, horizon=4 * H, slack=quarter
    )
    [risk] = risks
    assert risk.agent_id == 1
    assert risk.projected_start == T0 + 3.5 * H  # after 乙's break: 30 minutes late
    assert risk.window_end == T0 + 3.5 * H + quarter  # it would end 15 minutes past it
    assert [(m.kind, m.name) for m in risk.moves] == [("swap_break", "乙")]


def test_meal_that_fits_raises_nothing() -> None:
    thirty = timedelta(minutes=30)
    days = [
        AgentDay(1, "甲", T0, T0 + 8 * H, (Activity(PlanKind.MEAL, T0 + 3 * H, T0 + 3.5 * H),)),
        AgentDay(2, "乙", T0, T0 + 8 * H),
    ]
    required = {T0 + i * thirty: 1 for i in range(16)}
    assert (
        meal_risks(
            days=days, required=required, interval=thirty, now=T0, horizon=4 * H, slack=thirty
        )
        == []
    )
