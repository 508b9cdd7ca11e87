"""An agent signs in, sees Chinese, switches to English, and the choice survives."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.core.models import User
from tests.browser.conftest import screenshot
from tests.core.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str, button: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名" if button == "登录" else "Username").fill(username)
    page.get_by_label("密码" if button == "登录" else "Password").fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def test_agent_switches_to_english_and_it_survives_sign_out(
    page: Page, live_server: LiveServer, agent: User
) -> None:
    sign_in(page, live_server.url, agent.username, "登录")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("工单")
    screenshot(page, "overview-zh")

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Cases")

    page.get_by_role("button", name="Sign out").click()
    # A fresh browser context: only the saved preference can bring English back.
    page.context.clear_cookies()
    sign_in(page, live_server.url, agent.username, "登录")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("whoami")).to_contain_text("Agent")
    screenshot(page, "overview-en")


def test_wrong_password_shows_the_generic_message(
    page: Page, live_server: LiveServer, agent: User
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("alert")).to_contain_text("登录失败")


def test_overview_works_at_phone_width(page: Page, live_server: LiveServer, agent: User) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server.url, agent.username, "登录")

    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "overview-phone")

    assert width <= 375
