"""Day one on the desk, what gets audited: the QA inspector opens a case from the QA page
and reads it; a promise entered at 17:00 reads 17:00 everywhere; switching to English
turns the history and the notifications English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services as desk
from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Tuesday morning in Beijing. The clock ticks from there for the test and for the live
# server (time-machine moves the whole process), so due times fall on working days.
NOW = "2026-03-10 10:00+08:00"


@pytest.fixture(autouse=True)
def _tuesday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    """The sign-in page follows the browser (Chinese); after it, the user's saved language."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _scored_case(language: str) -> tuple[User, Case]:
    department = make_department()
    team = nine_to_six_team(department)
    agent = make_staff(username="agent.wang", role=Role.AGENT, team=team, department=department)
    inspector = make_staff(
        username="qa.sun",
        role=Role.QA_INSPECTOR,
        team=team,
        department=department,
        language=language,
    )
    now = timezone.now()
    case = desk.case_open(
        actor=None,
        contact=make_contact(name="李娜"),
        subject="卫生间渗水",
        body="楼下说天花板有水渍，请尽快处理。",
        channel="email",
        at=now,
        owner=agent,
        team=team,
    )
    desk.case_reply(actor=agent, case=case, body="非常抱歉，师傅明天上午上门检查。", at=now)
    return inspector, case


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_qa_inspector_opens_a_case_from_the_qa_page(
    page: Page, live_server: LiveServer, language: str
) -> None:
    inspector, case = _scored_case(language)
    # The countdowns run in the page: its clock starts where the server's does.
    page.clock.install(time=timezone.now())
    _sign_in(page, live_server, inspector)
    page.goto(f"{live_server.url}/quality/qa/")
    page.locator("#id_reference").first.fill(case.reference)
    page.locator("form").filter(has=page.locator("#id_reference")).first.get_by_role(
        "button"
    ).click()
    expect(page.get_by_test_id("scorecard")).to_be_visible()
    page.get_by_test_id("open-case").click()
    expect(page.get_by_test_id("thread")).to_contain_text("楼下说天花板有水渍")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    # Read, not work: no reply box on the page.
    expect(page.locator("textarea[name='body']")).to_have_count(0)
    screenshot(page, f"records-qa-reads-case-{language}")
