"""Day one on the desk, in Chinese and in English: an agent logs a phone call as a new
case for a customer who is not on file yet; a lead gives three cases to a named agent
with one bulk action and one confirmation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services as desk
from kefu.cases.models import Case, CaseEvent
from kefu.core.models import AuditEntry, Team, User
from kefu.core.roles import Role
from kefu.customers.models import Contact
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Tuesday morning in Beijing; the live server runs on the same moved clock.
NOW = "2026-03-10 10:00+08:00"
LANGUAGES = ["zh-hans", "en"]


@pytest.fixture(autouse=True)
def _tuesday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def team(db: None) -> Team:
    return nine_to_six_team(make_department())


def _staff(team: Team, username: str, role: str, name: str, language: str = "zh-hans") -> User:
    user = make_staff(
        username=username, role=role, team=team, department=team.department, language=language
    )
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def _sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    """The sign-in page is Chinese; after it, the user's saved language."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_agent_logs_a_phone_call_as_a_new_case_for_a_new_contact(
    page: Page, live_server: LiveServer, team: Team, language: str
) -> None:
    agent = _staff(team, "agent.wang", Role.AGENT, "王磊", language)
    page.clock.install(time=timezone.now())
    _sign_in(page, live_server, agent)
    expect(page.locator("html")).to_have_attribute("lang", language)

    page.goto(f"{live_server.url}/cases/")
    page.get_by_test_id("new-case-link").click()
    form = page.get_by_test_id("new-case-form")
    form.locator("[name=new_name]").fill("陈静")
    form.locator("[name=new_phone]").fill("139 1234 5678")
    form.locator("input[name=channel][value=phone]").check()
    form.locator("input[name=call_direction][value=in]").check()
    form.locator("[name=call_minutes]").fill("6")
    form.locator("[name=subject]").fill("空调不制冷")
    form.locator("[name=body]").fill("客户来电：客厅空调开了半小时仍不制冷，希望明天上午上门检修。")
    form.locator("[name=priority]").select_option("high")
    screenshot(page, f"desk-day-one-new-phone-case-{language}")
    form.locator("button.primary").click()

    expect(page.get_by_test_id("thread")).to_contain_text("客厅空调开了半小时仍不制冷")
    expect(page.get_by_test_id("owner")).to_contain_text("王磊")
    expect(page.get_by_test_id("case-manage")).to_be_visible()
    screenshot(page, f"desk-day-one-phone-case-opened-{language}")
    manage = page.get_by_test_id("case-manage")
    manage.locator("details summary").first.click()
    manage.locator("details summary").nth(1).click()
    expect(page.get_by_test_id("details-form")).to_be_visible()
    page.get_by_test_id("case-manage").screenshot(
        path=str(screenshot(page, f"desk-day-one-manage-{language}"))
    )
    case = Case.objects.get(subject="空调不制冷")
    assert (case.channel, case.priority, case.owner) == ("phone", "high", agent)
    assert case.contact == Contact.objects.get(name="陈静", phone="+8613912345678")
    assert CaseEvent.objects.get(case=case, kind="call_logged").data == {
        "direction": "in",
        "minutes": 6,
    }


def test_new_case_form_fits_a_phone_screen(page: Page, live_server: LiveServer, team: Team) -> None:
    agent = _staff(team, "agent.wang", Role.AGENT, "王磊")
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_test_id("new-case-form").locator("[name=new_phone]").fill("12ab")
    page.get_by_test_id("new-case-form").locator("[name=new_name]").fill("陈静")
    page.get_by_test_id("new-case-form").locator("[name=call_minutes]").fill("3")
    page.get_by_test_id("new-case-form").locator("[name=subject]").fill("空调不制冷")
    page.get_by_test_id("new-case-form").locator("[name=body]").fill("客户来电，空调不制冷。")
    page.get_by_test_id("new-case-form").locator("button.primary").click()

    # The bad phone comes back on its field; everything typed is still there.
    expect(page.locator(".field-error")).to_have_count(1)
    expect(page.locator("[name=body]")).to_have_value("客户来电，空调不制冷。")
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "desk-day-one-new-case-phone-width")
    assert width <= 390
    assert not Case.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_bulk_assigns_three_cases_to_a_named_agent(
    page: Page, live_server: LiveServer, team: Team, language: str
) -> None:
    lead = _staff(team, "lead.zhao", Role.TEAM_LEAD, "赵敏", language)
    named = _staff(team, "agent.liu", Role.AGENT, "刘洋")
    _staff(team, "agent.wang", Role.AGENT, "王磊")
    subjects = ["卫生间渗水", "发票抬头错误", "电梯异响"]
    cases = [
        desk.case_open(
            actor=None,
            contact=make_contact(name=name),
            subject=subject,
            body=f"{subject}，请尽快处理。",
            channel="email",
            at=timezone.now(),
            team=team,
        )
        for name, subject in zip(["李娜", "周敏", "孙强"], subjects, strict=True)
    ]
    page.clock.install(time=timezone.now())
    _sign_in(page, live_server, lead)

    page.goto(f"{live_server.url}/cases/?scope=unassigned")
    if language == "en":
        for case in cases:
            page.locator(f"#select-{case.pk}").check()
    else:
        # The header's box ticks every case on the page.
        page.locator("[data-select-all]").check()
        for case in cases:
            expect(page.locator(f"#select-{case.pk}")).to_be_checked()
    bulk = page.get_by_test_id("bulk-form")
    bulk.locator("[name=action]").select_option("assign")
    bulk.locator("[name=owner]").select_option(label="刘洋 · 热线一组")
    screenshot(page, f"desk-day-one-bulk-select-{language}")
    bulk.locator("button[type=submit]").click()

    lines = page.get_by_test_id("bulk-lines")
    expect(lines.locator("tbody tr")).to_have_count(3)
    expect(lines).to_contain_text("刘洋")
    screenshot(page, f"desk-day-one-bulk-confirm-{language}")
    assert not Case.objects.filter(owner=named).exists()
    page.locator("button[name=confirm]").click()

    expect(page.locator("table tr.refused")).to_have_count(0)
    expect(page.get_by_test_id("bulk-lines").locator("tbody tr")).to_have_count(3)
    screenshot(page, f"desk-day-one-bulk-done-{language}")
    assert Case.objects.filter(owner=named).count() == 3
    for case in cases:
        assert (
            AuditEntry.objects.filter(target_id=str(case.pk), action="case.assigned").count() == 1
        )
