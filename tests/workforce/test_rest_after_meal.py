"""A rest after the meal (issue 21): the rule, the solver, the re-check, the page and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation
from pytest_django import DjangoCaptureOnCommitCallbacks

from kefu.core.models import User
from kefu.floor import plan
from kefu.workforce import services
from kefu.workforce.messages import explain
from kefu.workforce.models import Forecast, Schedule, ScheduledShift, ShiftActivity
from kefu.workforce.scheduling import (
    Activity,
    ActivityRule,
    AgentContract,
    Rules,
    ScheduleInputError,
    ShiftPlan,
    check,
    coverage,
    solve,
    validate,
)
from tests.workforce.builders import LOCAL, WEEK, queue_with_history, small_team
from tests.workforce.test_cli import run, schedule_files
from tests.workforce.test_scheduling import MONDAY, RULES, SH, agents, requirements

ClientFor = Callable[[User], Client]
REST = replace(RULES, rest_after_meal_minutes=15)


def test_every_meal_is_followed_by_the_rest_off_the_phones() -> None:
    team = agents(5, 3, 2)
    reqs = requirements(2, 3, peak=3)
    result = solve(reqs, team, REST, time_limit_s=3, workers=2)
    assert result.metrics["violations"] == []
    assert result.shifts
    for shift in result.shifts:
        meal = next(a for a in shift.activities if a.type == "meal")
        rest = next(a for a in shift.activities if a.type == "rest")
        assert rest.start == meal.end
        assert rest.end - rest.start == timedelta(minutes=15)
        assert rest.end <= shift.end
        others = [a for a in shift.activities if a.type == "break"]
        assert all(b.end <= meal.start or b.start >= rest.end for b in others)
    # Off the phones during the rest: a lone shift's rest slot counts nobody.
    lone = [result.shifts[0]]
    lone_cover = coverage(lone, SH, MONDAY, 2, 15)
    rest = next(a for a in lone[0].activities if a.type == "rest")
    slot = int((rest.start - datetime(2026, 11, 23, tzinfo=SH)).total_seconds() // 900)
    assert lone_cover[slot] == 0
    assert lone_cover[slot - 1] == 0  # the meal's last slot
    assert lone_cover[slot + 1] == 1  # back on the phones


def test_validate_catches_a_missing_or_late_rest() -> None:
    team = [AgentContract("a", 40, 5, time(8), time(20))]
    start = datetime(2026, 11, 23, 8, tzinfo=SH)

    def at(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    brk = Activity("break", at(1), at(1.25))
    meal = Activity("meal", at(3), at(3.5))
    no_rest = ShiftPlan("a", start, at(8), (brk, meal))
    assert [code for code, _ in validate([no_rest], team, REST)] == ["activities_wrong"]
    late = ShiftPlan("a", start, at(8), (brk, meal, Activity("rest", at(4), at(4.25))))
    assert [code for code, _ in validate([late], team, REST)] == ["rest_after_meal_missing"]
    good = ShiftPlan("a", start, at(8), (brk, meal, Activity("rest", at(3.5), at(3.75))))
    assert validate([good], team, REST) == []
    # Without the rule a rest is not an activity of the plan.
    assert [code for code, _ in validate([good], team, RULES)] == ["activities_wrong"]


@pytest.mark.parametrize("value", [-5, "15", True, 121, 7.5])
def test_a_bad_rest_names_the_field(value: object) -> None:
    data = {
        "shift_lengths_hours": [8],
        "meal": {"minutes": 30, "earliest_after_hours": 3, "latest_after_hours": 5},
        "rest_after_meal_minutes": value,
    }
    with pytest.raises(ScheduleInputError) as caught:
        Rules.from_json(data)
    assert [code for code, _ in caught.value.problems] == ["rest_after_meal_invalid"]
    code, params = caught.value.problems[0]
    with translation.override("en"):
        sentence = explain(code, params)
    assert "rest_after_meal_minutes" in sentence
    assert "0 to 120" in sentence


def test_a_rest_without_a_meal_or_without_room_is_explained() -> None:
    with pytest.raises(ScheduleInputError) as caught:
        Rules.from_json({"shift_lengths_hours": [8], "rest_after_meal_minutes": 15})
    assert caught.value.code == "rest_after_meal_without_meal"
    rules = Rules.from_json(
        {
            "shift_lengths_hours": [8],
            "meal": {"minutes": 30, "earliest_after_hours": 7, "latest_after_hours": 8},
            "rest_after_meal_minutes": 45,
        }
    )
    assert rules.rest_after_meal_minutes == 45
    team = [AgentContract("a", 40, 5, time(8), time(20))]
    codes = {code for code, _ in check(requirements(1, 1, peak=2), team, rules)}
    assert "rest_after_meal_does_not_fit" in codes
    fits = replace(rules, meal=ActivityRule(30, 6.0, 7.25))
    assert "rest_after_meal_does_not_fit" not in {
        code for code, _ in check(requirements(1, 1, peak=2), team, fits)
    }


def test_cli_plans_the_rest_and_refuses_a_bad_one(tmp_path: Path) -> None:
    files = schedule_files(tmp_path)
    rules_path = Path(files[files.index("--rules") + 1])
    data = json.loads(rules_path.read_text())
    rules_path.write_text(json.dumps({**data, "rest_after_meal_minutes": 15}))
    out, _err = run("schedule", *files, "--time-limit", "3", "--json")
    result = json.loads(out)
    assert result["metrics"]["violations"] == []
    for shift in result["shifts"]:
        kinds = [a["type"] for a in sorted(shift["activities"], key=lambda a: a["start"])]
        assert kinds.count("rest") == 1
        assert kinds[kinds.index("meal") + 1] == "rest"
    rules_path.write_text(json.dumps({**data, "rest_after_meal_minutes": "a while"}))
    with translation.override("en"), pytest.raises(CommandError) as caught:
        run("schedule", *files, "--json")
    assert "rest_after_meal_minutes" in str(caught.value)


@pytest.mark.django_db
@pytest.mark.usefixtures("before_the_week")
def test_schedule_page_takes_the_rest_and_shows_it(
    manager: User,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    manager.language = "en"
    manager.save(update_fields=["language"])
    team, _agents = small_team()
    queue = queue_with_history(team)
    client = client_for(manager)
    client.post("/workforce/forecasts/", {"queue": queue.pk, "start": WEEK.isoformat(), "days": 7})
    forecast = Forecast.objects.get()
    form = client.get("/workforce/schedules/").content.decode()
    assert 'name="rest_after_meal_minutes"' in form
    assert "Rest after the meal (minutes)" in form
    data = {
        "forecast": forecast.pk,
        "team": team.pk,
        "week_start": WEEK.isoformat(),
        "interval_minutes": 15,
        "shift_lengths": "8",
        "break_minutes": 15,
        "break1_from": 1.5,
        "break1_to": 3.5,
        "break2_from": 5.5,
        "break2_to": 7.5,
        "meal_minutes": 30,
        "meal_from": 3,
        "meal_to": 5.5,
        "rest_after_meal_minutes": 200,
        "min_rest_hours": 11,
        "max_consecutive_days": 6,
        "time_limit": 2,
    }
    refused = client.post("/workforce/schedules/", data)
    assert refused.status_code == 422
    assert not Schedule.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/workforce/schedules/", {**data, "rest_after_meal_minutes": 15})
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert schedule.rules["rest_after_meal_minutes"] == 15
    solved = services.schedule_solve(schedule_id=schedule.pk, at=datetime.now(LOCAL))
    assert solved.status == Schedule.Status.READY, solved.error
    assert solved.metrics["violations"] == []
    shift = ScheduledShift.objects.filter(schedule=solved).prefetch_related("activities").first()
    assert shift is not None
    by_type = {a.type: a for a in shift.activities.all()}
    assert by_type[ShiftActivity.Type.REST].start == by_type[ShiftActivity.Type.MEAL].end
    page = client.get(f"/workforce/schedules/{schedule.pk}/").content.decode()
    assert 'data-testid="rest-after-meal"' in page
    assert "followed by 15 minutes of rest" in page
    assert "Rest after the meal" in page
    # The floor sees the meal and its rest as one span off the phones.
    services.schedule_publish(actor=manager, schedule=solved, at=datetime.now(LOCAL))
    day: date = shift.start.astimezone(LOCAL).date()
    spans = next(d for d in plan.agent_days(day) if d.agent_id == shift.agent_id).activities
    meals = [a for a in spans if a.kind == "meal"]
    assert len(meals) == 1
    assert meals[0].end - meals[0].start == timedelta(minutes=45)
