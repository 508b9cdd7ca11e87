"""Services: forecast runs, schedules checked before solving, solved, published; messages."""

from __future__ import annotations

import time as wallclock
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.models import AuditEntry, Notification, Team, User
from kefu.workforce import services
from kefu.workforce.errors import CoreInputError, ScheduleProblemsError
from kefu.workforce.messages import explain
from kefu.workforce.models import Forecast, Schedule, ScheduledShift, ShiftActivity
from tests.workforce.builders import LOCAL, WEEK, queue_with_history, small_team

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL)


def test_explain_words_known_codes_and_survives_unknown_ones() -> None:
    assert "0.8" in explain("sl_out_of_range", {"service_level": 1.0}) or "80" in explain(
        "sl_out_of_range", {"service_level": 1.0}
    )
    assert "1.0" in explain("sl_out_of_range", {"service_level": 1.0})
    unknown = explain("brand_new_code", {"agent": "li"})
    assert "brand_new_code" in unknown
    assert "li" in unknown
    # A placeholder the error did not carry reads as "?" instead of crashing.
    assert "?" in explain("aht_not_positive", {})


def test_forecast_run_stores_intervals_with_erlang_staffing(manager: User) -> None:
    queue = queue_with_history()
    forecast = services.forecast_run(actor=manager, queue=queue, start=WEEK, days=7, at=AT)
    rows = list(forecast.intervals.order_by("interval_start"))
    # Monday to Friday are open (the history has no weekend rows): 5 days x 18 slots.
    assert len(rows) == 90
    assert {row.interval_start.astimezone(LOCAL).date().weekday() for row in rows} == set(range(5))
    assert forecast.method in forecast.candidates
    assert forecast.backtest_wape == forecast.candidates[forecast.method]
    busiest = max(rows, key=lambda row: row.offered)
    assert busiest.required >= 1
    assert busiest.scheduled >= busiest.required  # shrinkage 0.3 by default
    assert busiest.aht_seconds == pytest.approx(200)
    assert AuditEntry.objects.filter(action="workforce.forecast_run").exists()


def test_forecast_without_history_is_explained_and_stores_nothing(manager: User) -> None:
    queue = queue_with_history()
    queue.history.all().delete()
    with pytest.raises(CoreInputError) as caught:
        services.forecast_run(actor=manager, queue=queue, start=WEEK, days=7, at=AT)
    assert "history" in caught.value.text().lower() or "历史" in caught.value.text()
    assert not Forecast.objects.exists()


def test_forecast_by_an_agent_is_refused(agent: User) -> None:
    queue = queue_with_history()
    with pytest.raises(PermissionDeniedError):
        services.forecast_run(actor=agent, queue=queue, start=WEEK, days=7, at=AT)
    assert not Forecast.objects.exists()


def _forecast(manager: User) -> Forecast:
    team, _agents = small_team()
    queue = queue_with_history(team)
    return services.forecast_run(actor=manager, queue=queue, start=WEEK, days=7, at=AT)


def _team(forecast: Forecast) -> Team:
    assert forecast.queue.team is not None
    return forecast.queue.team


def test_meal_window_longer_than_the_shift_is_refused_before_solving(manager: User) -> None:
    forecast = _forecast(manager)
    rules = {
        **services.DEFAULT_RULES,
        "meal": {"minutes": 60, "earliest_after_hours": 6, "latest_after_hours": 9},
    }
    with pytest.raises(ScheduleProblemsError) as caught:
        services.schedule_create(
            actor=manager,
            team=_team(forecast),
            forecast=forecast,
            week_start=WEEK,
            rules=rules,
            time_limit_s=5,
            at=AT,
        )
    codes = [code for code, _params in caught.value.problems]
    assert "meal_window_too_long" in codes
    assert all(sentence for sentence in caught.value.sentences())
    assert not Schedule.objects.exists()


def test_team_without_agents_is_refused(manager: User) -> None:
    forecast = _forecast(manager)
    User.objects.filter(team=forecast.queue.team).update(is_active=False)
    with pytest.raises(ScheduleProblemsError) as caught:
        services.schedule_create(
            actor=manager,
            team=_team(forecast),
            forecast=forecast,
            week_start=WEEK,
            rules=services.DEFAULT_RULES,
            time_limit_s=5,
            at=AT,
        )
    assert [code for code, _ in caught.value.problems] == ["no_agents"]


def test_schedule_is_solved_on_commit_with_breaks_and_meals(
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: object,
) -> None:
    forecast = _forecast(manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule = services.schedule_create(
            actor=manager,
            team=_team(forecast),
            forecast=forecast,
            week_start=WEEK,
            rules=services.DEFAULT_RULES,
            time_limit_s=1,
            at=AT,
        )
    assert schedule.status == Schedule.Status.DRAFT
    assert len(callbacks) == 1
    solved = services.schedule_solve(schedule_id=schedule.pk, at=AT)
    assert solved.status == Schedule.Status.READY, solved.error
    assert solved.metrics["violations"] == []
    shifts = list(ScheduledShift.objects.filter(schedule=solved).prefetch_related("activities"))
    assert shifts
    for shift in shifts:
        assert shift.end - shift.start == timedelta(hours=8)
        kinds = sorted(activity.type for activity in shift.activities.all())
        assert kinds == ["break", "break", "meal"]
        meal = next(a for a in shift.activities.all() if a.type == ShiftActivity.Type.MEAL)
        assert meal.start >= shift.start + timedelta(hours=3)
        assert meal.end <= shift.start + timedelta(hours=5.5)
    # A second run of the task does nothing (the row was claimed).
    again = services.schedule_solve(schedule_id=schedule.pk, at=AT)
    assert ScheduledShift.objects.filter(schedule=again).count() == len(shifts)


def test_publish_notifies_agents_audits_and_supersedes(manager: User) -> None:
    forecast = _forecast(manager)
    team = forecast.queue.team
    assert team is not None
    first = services.schedule_prepare(
        actor=manager,
        team=team,
        forecast=forecast,
        week_start=WEEK,
        rules=services.DEFAULT_RULES,
        time_limit_s=1,
        at=AT,
    )
    first = services.schedule_solve(schedule_id=first.pk, at=AT)
    services.schedule_publish(actor=manager, schedule=first, at=AT)
    agents = set(ScheduledShift.objects.filter(schedule=first).values_list("agent", flat=True))
    assert set(Notification.objects.values_list("recipient", flat=True)) == agents
    assert AuditEntry.objects.filter(action="workforce.schedule_publish").count() == 1
    with pytest.raises(ConflictError):
        services.schedule_publish(actor=manager, schedule=first, at=AT)
    second = services.schedule_prepare(
        actor=manager,
        team=team,
        forecast=forecast,
        week_start=WEEK,
        rules=services.DEFAULT_RULES,
        time_limit_s=1,
        at=AT,
    )
    second = services.schedule_solve(schedule_id=second.pk, at=AT)
    services.schedule_publish(actor=manager, schedule=second, at=AT)
    first.refresh_from_db()
    assert first.status == Schedule.Status.SUPERSEDED


def test_publish_by_an_agent_changes_nothing(manager: User, agent: User) -> None:
    forecast = _forecast(manager)
    assert forecast.queue.team is not None
    schedule = services.schedule_prepare(
        actor=manager,
        team=_team(forecast),
        forecast=forecast,
        week_start=WEEK,
        rules=services.DEFAULT_RULES,
        time_limit_s=1,
        at=AT,
    )
    schedule = services.schedule_solve(schedule_id=schedule.pk, at=AT)
    with pytest.raises(PermissionDeniedError):
        services.schedule_publish(actor=agent, schedule=schedule, at=AT)
    schedule.refresh_from_db()
    assert schedule.status == Schedule.Status.READY
    assert not Notification.objects.exists()


def test_demo_load_is_fast_and_publishes_a_week(manager: User) -> None:
    from tests.core.factories import make_team

    team = make_team(name="热线一组")
    small_team()
    for n in range(4):
        User.objects.filter(username=f"wf.agent{n}").update(team=team)
    User.objects.filter(pk=manager.pk).update(username="manager.chenjing")
    began = wallclock.monotonic()
    result = services.demo_load(at=timezone.now().replace(year=2026, month=11, day=18))
    assert wallclock.monotonic() - began < 10
    assert result.history_rows > 8 * 5 * 20
    assert result.schedule is not None
    assert result.schedule.status == Schedule.Status.PUBLISHED
