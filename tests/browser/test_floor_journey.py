"""The humane floor in a browser: a raised hand reaches the lead within two seconds without
a reload; a special break needs no approval; a sick day needs no certificate and changes the
day's intraday staffing."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.floor.models import AgentState, Leave
from tests.browser.conftest import screenshot
from tests.core.factories import PASSWORD
from tests.floor.builders import Floor, make_floor, make_forecast, make_queue, publish_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def floor(db: None) -> Floor:
    """A lead and two agents who read kefu in English (the sign-in page stays Chinese)."""
    made = make_floor()
    for user in (made.lead, *made.agents):
        user.language = "en"
        user.save(update_fields=["language"])
    return made


def test_raised_hand_reaches_the_lead_within_two_seconds(
    browser: Browser, page: Page, live_server: LiveServer, floor: Floor
) -> None:
    lead_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    lead = lead_context.new_page()
    _sign_in(lead, live_server, floor.lead.username)
    lead.goto(f"{live_server.url}/floor/")
    hands = lead.get_by_test_id("hands")
    expect(hands).not_to_contain_text(str(floor.agents[0]))

    _sign_in(page, live_server, floor.agents[0].username)
    page.goto(f"{live_server.url}/floor/")
    page.get_by_label("What do you need? (optional)").fill("客户要求越级投诉")
    page.get_by_role("button", name="Raise my hand").click()
    expect(page.get_by_test_id("my-hand")).to_be_visible()
    raised = time.monotonic()

    # The lead's page polls every second: no reload.
    expect(lead.get_by_test_id(f"hand-{floor.agents[0].username}")).to_be_visible(timeout=2000)
    assert time.monotonic() - raised <= 2.0
    expect(lead.get_by_test_id("hands")).to_contain_text("客户要求越级投诉")
    screenshot(lead, "floor-lead-sees-raised-hand")
    screenshot(page, "floor-agent-hand-up")

    lead.get_by_role("button", name="On my way").click()
    expect(page.get_by_test_id("my-hand")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("my-hand")).to_contain_text(str(floor.lead))
    lead_context.close()


def test_special_break_with_no_approval_step(
    page: Page, live_server: LiveServer, floor: Floor
) -> None:
    _sign_in(page, live_server, floor.agents[0].username)
    page.goto(f"{live_server.url}/floor/")
    page.get_by_label("Reason (optional)").fill("有点头晕")
    page.get_by_role("button", name="Take a break now").click()
    expect(page.get_by_test_id("my-state")).to_contain_text("Special break")
    expect(page.get_by_test_id("special-breaks")).to_contain_text("有点头晕")
    assert AgentState.objects.get(agent=floor.agents[0]).state == "special_break"
    screenshot(page, "floor-special-break")

    # No approval step: the break is on, and the only button left is to come back.
    expect(page.get_by_role("button", name="Take a break now")).to_have_count(0)
    page.get_by_role("button", name="Back from my break").click()
    expect(page.get_by_test_id("my-state")).to_contain_text("Available")


def test_sick_day_without_certificate_changes_the_intraday_staffing(
    browser: Browser, page: Page, live_server: LiveServer, floor: Floor
) -> None:
    today = timezone.localdate()
    a, b = floor.agents
    queue = make_queue()
    make_forecast(queue, day=today, offered=20, aht_seconds=180, required=2)
    publish_shifts(floor.team, [(a, "08:00", "18:00", []), (b, "08:00", "18:00", [])], day=today)

    lead_context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    lead = lead_context.new_page()
    _sign_in(lead, live_server, floor.lead.username)
    lead.goto(f"{live_server.url}/floor/intraday/")
    row = lead.get_by_test_id("interval-0900")
    expect(row.get_by_test_id("scheduled")).to_have_text("2.0")
    expect(row.get_by_test_id("gap")).to_have_text("0.0")

    _sign_in(page, live_server, a.username)
    page.goto(f"{live_server.url}/floor/leave/")
    expect(page.locator('input[type="file"]')).to_have_count(0)
    page.get_by_label("Kind").select_option("sick")
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill(today.isoformat())
    page.get_by_role("button", name="Enter leave").click()
    expect(page.get_by_test_id("my-leave")).to_contain_text("Approved")
    screenshot(page, "floor-sick-day")
    assert Leave.objects.get(agent=a).status == "approved"

    lead.reload()
    row = lead.get_by_test_id("interval-0900")
    expect(row.get_by_test_id("scheduled")).to_have_text("1.0")
    expect(row.get_by_test_id("gap")).to_have_text("-1.0")
    expect(lead.get_by_test_id("on-leave-count")).to_have_text("1")
    screenshot(lead, "floor-intraday-after-sick-day")
    lead_context.close()
