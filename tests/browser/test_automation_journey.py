"""A department manager builds a trigger on the page from condition and action rows,
dry-runs it on recent cases, saves it, and the next incoming case follows it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.automation.models import Rule
from kefu.cases.models import Case
from kefu.channels.email_in import email_receive
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team, open_case
from tests.channels.builders import raw_email
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_builds_dry_runs_and_saves_a_trigger_that_the_next_case_follows(
    page: Page, live_server: LiveServer
) -> None:
    department = make_department()
    team = nine_to_six_team(department)
    manager = make_staff(
        role=Role.DEPARTMENT_MANAGER, username="manager.auto", team=team, department=department
    )
    now = timezone.now()
    earlier = open_case(
        when=timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        team=team,
        subject="地下室漏水",
        body="地下室漏水了",
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(manager.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/automation/")
    page.get_by_test_id("new-trigger").click()

    page.locator("#rule-name").fill("漏水加急")
    page.get_by_test_id("add-condition").click()
    row = page.locator("#cond-rows .rule-row").last
    row.locator('select[name="cond_field"]').select_option("message.text")
    row.locator('select[name="cond_op"]').select_option("contains")
    row.locator('input[name="cond_value"]').fill("漏水")
    page.get_by_test_id("add-action").click()
    action = page.locator("#action-rows .rule-row").last
    action.locator('select[name="action_type"]').select_option("set_field")
    action.locator('select[name="action_field"]').select_option("priority")
    action.locator('input[name="action_value"]').fill("urgent")
    page.get_by_test_id("add-action").click()
    action = page.locator("#action-rows .rule-row").last
    action.locator('select[name="action_type"]').select_option("add_tags")
    action.locator('input[name="action_value"]').fill("漏水")
    # Teams and people are picked by name; the rule stores their ids.
    page.get_by_test_id("add-action").click()
    action = page.locator("#action-rows .rule-row").last
    action.locator('select[name="action_type"]').select_option("assign_team")
    expect(action.locator('input[name="action_value"]')).to_be_hidden()
    action.locator('select[name="action_team"]').select_option(label=str(team))
    page.get_by_test_id("add-action").click()
    action = page.locator("#action-rows .rule-row").last
    action.locator('select[name="action_type"]').select_option("add_watchers")
    action.locator('select[name="action_person"]').select_option(label=f"{manager} · {team.name}")
    screenshot(page, "automation-builder")

    page.get_by_test_id("dry-run").click()
    result = page.get_by_test_id("dry-run-result")
    expect(result).to_contain_text(earlier.reference)
    screenshot(page, "automation-dry-run")

    page.get_by_test_id("save-rule").click()
    expect(page.get_by_test_id("rules").first).to_contain_text("漏水加急")
    assert Rule.objects.get().actions == [
        {"type": "set_field", "field": "priority", "value": "urgent"},
        {"type": "add_tags", "tags": ["漏水"]},
        {"type": "assign_team", "team": team.pk},
        {"type": "add_watchers", "users": [manager.pk]},
    ]

    email_receive(
        raw=raw_email(
            sender="王五 <wang.wu@example.cn>",
            subject="报修",
            body="厨房水管漏水".encode(),
            message_id="<auto-journey@example.cn>",
        ),
        at=timezone.now(),
    )
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.priority == "urgent"
    assert case.tags == ["漏水"]
    assert case.team_id == team.pk
    assert list(case.watchers.values_list("pk", flat=True)) == [manager.pk]

    page.goto(f"{live_server.url}/automation/rules/{Rule.objects.get().pk}/runs/")
    expect(page.get_by_test_id("runs")).to_contain_text(case.reference)
    screenshot(page, "automation-runs")
