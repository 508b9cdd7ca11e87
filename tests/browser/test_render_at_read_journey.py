"""A promise entered for 17:00 reads 17:00 on the case; after switching to English the
history and the notification read English (they were stored as codes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Commitment
from kefu.cases.services.promises import commitment_remind
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team, open_case
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_promise_at_17_00_reads_17_00_and_english_after_the_switch(
    page: Page, live_server: LiveServer
) -> None:
    team = nine_to_six_team(make_department())
    agent: User = make_staff(
        username="agent.zhou", role=Role.AGENT, team=team, department=team.department
    )
    case = open_case(when="2026-11-02 10:00", team=team, owner=agent)
    # The live server runs on the real clock: the promise is for tomorrow, 17:00 Beijing time.
    tomorrow = (timezone.localtime() + timedelta(days=1)).date()
    due = f"{tomorrow:%Y-%m-%d} 17:00"

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("summary", has_text="记录承诺").click()
    page.locator("input[name=what]").fill("回电说明维修方案")
    page.locator("input[name=due_at]").fill(f"{tomorrow:%Y-%m-%d}T17:00")
    page.locator("input[name=due_at]").press("Enter")

    history = page.locator("ul.events")
    expect(history).to_contain_text(due)
    expect(history).not_to_contain_text(f"{tomorrow:%Y-%m-%d} 09:00")
    commitment_remind(commitment_id=Commitment.objects.get(case=case).pk, at=timezone.now())
    screenshot(page, "render-at-read-promise-zh")

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("ul.events")).to_contain_text(f"Promised: 回电说明维修方案 by {due}")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text(f"Promise due at {due}: 回电说明维修方案")
    screenshot(page, "render-at-read-notification-en")
