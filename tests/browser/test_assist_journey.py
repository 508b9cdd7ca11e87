"""A team lead tries the coach on /assist/: the reading and the flags appear without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.core.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_try_the_coach(page: Page, live_server: LiveServer) -> None:
    user = make_staff(username="lead.sun", role=Role.TEAM_LEAD)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/assist/")
    # Located by id: the labels' Chinese arrives with the next message catalogue merge.
    page.locator("#assist-customer").fill("呵呵，你们服务真好……再不修我就去12315投诉！")
    page.locator("#assist-draft").fill("这个我们做不到！！！")
    page.locator(".assist-form button[type=submit]").click()

    expect(page.get_by_test_id("assist-threat")).to_be_visible()
    expect(page.locator('mark.assist-cue[data-code="sarcasm"]')).to_have_text("呵呵")
    expect(page.locator('mark.coach-flag[data-code="negative_phrasing"]')).to_have_text("做不到")
    expect(page.locator('.coach-flags li[data-code="punctuation_overuse"]')).to_be_visible()
    screenshot(page, "assist-try")
