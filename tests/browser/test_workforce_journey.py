"""A real-time analyst imports history, forecasts the next week, builds and publishes the
schedule of a small team; an agent of the team then sees the published week."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.workforce.models import Schedule, ScheduledShift
from tests.browser.conftest import screenshot
from tests.core.factories import PASSWORD, make_staff
from tests.workforce.builders import LOCAL, WEEK, history_csv, small_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planning_floor(settings: Settings) -> Iterator[tuple[User, Team]]:
    # The solver task runs inline, so the schedule is ready when the page comes back.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    team, _agents = small_team(3)
    analyst = make_staff(username="analyst.wf", role=Role.REALTIME_ANALYST, team=team)
    with time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL), tick=True):
        yield analyst, team


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_import_forecast_schedule_publish_and_agent_sees_the_week(
    page: Page, live_server: LiveServer, planning_floor: tuple[User, Team], tmp_path: Path
) -> None:
    analyst, team = planning_floor
    history = tmp_path / "history.csv"
    history.write_text(history_csv(), encoding="utf-8")

    sign_in(page, live_server.url, analyst.username)
    page.goto(f"{live_server.url}/workforce/")
    page.locator("a[href='/workforce/history/']").click()
    page.locator("#id_file").set_input_files(str(history))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("360")
    screenshot(page, "workforce-import")

    page.goto(f"{live_server.url}/workforce/forecasts/")
    page.locator("#id_queue").select_option(label="hotline")
    page.locator("#id_start").fill(WEEK.isoformat())
    page.locator("#id_days").fill("7")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_test_id("method")).to_be_visible()
    expect(page.locator("svg.wf-chart path.line-forecast")).to_have_count(1)
    screenshot(page, "workforce-forecast")

    page.locator("a[href*='/workforce/schedules/?forecast=']").click()
    expect(page.locator("#id_week_start")).to_have_value(WEEK.isoformat())
    page.locator("#id_team").select_option(value=str(team.pk))
    page.locator("#id_time_limit").fill("2")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_test_id("week-grid")).to_be_visible()
    expect(page.get_by_test_id("metrics")).to_be_visible()
    schedule = Schedule.objects.get()
    assert schedule.status == Schedule.Status.READY
    assert schedule.metrics["violations"] == []
    screenshot(page, "workforce-schedule")

    page.locator("form[action$='/publish/'] button").click()
    expect(page.get_by_test_id("schedule-status")).to_contain_text(
        str(Schedule.Status.PUBLISHED.label)
    )
    schedule.refresh_from_db()
    assert schedule.status == Schedule.Status.PUBLISHED
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/workforce/forecasts/{schedule.forecast_id}/")
    screenshot(page, "workforce-forecast-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    shift = ScheduledShift.objects.filter(schedule=schedule).select_related("agent").first()
    assert shift is not None
    page.context.clear_cookies()
    sign_in(page, live_server.url, shift.agent.username)
    page.goto(f"{live_server.url}/workforce/my/")
    week = page.get_by_test_id("my-week")
    expect(week).to_be_visible()
    expect(week).to_contain_text(shift.start.astimezone(LOCAL).strftime("%H:%M"))
    expect(week.locator(".activities .meal").first).to_be_visible()
    screenshot(page, "workforce-my-schedule")
