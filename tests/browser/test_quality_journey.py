"""A customer answers the satisfaction survey from the link; an inspector scores a case;
the manager's dashboard shows the charts."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services as desk
from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.quality import services
from kefu.quality.models import CsatSurvey, QaScore
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_survey_answered_case_scored_dashboard_charts(page: Page, live_server: LiveServer) -> None:
    department = make_department()
    team = nine_to_six_team(department)
    agent = make_staff(username="agent.wang", role=Role.AGENT, team=team, department=department)
    inspector = make_staff(
        username="qa.sun", role=Role.QA_INSPECTOR, team=team, department=department
    )
    manager = make_staff(
        username="manager.chen", role=Role.DEPARTMENT_MANAGER, team=team, department=department
    )
    now = timezone.now()
    case = desk.case_open(
        actor=None,
        contact=make_contact(name="李娜", language="en"),
        subject="卫生间渗水",
        body="楼下说天花板有水渍，请尽快处理。",
        channel="email",
        at=now,
        owner=agent,
        team=team,
    )
    desk.case_reply(actor=agent, case=case, body="非常抱歉，师傅明天上午上门检查。", at=now)
    case.refresh_from_db()
    desk.case_set_status(actor=agent, case=case, status=Case.Status.RESOLVED, at=now)
    survey = services.survey_send(case=case, at=now)
    assert survey is not None

    # The customer opens the link: in their language (English), no login.
    page.goto(f"{live_server.url}/quality/s/{services.survey_token(survey)}/")
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    page.get_by_label("4").check()
    page.get_by_label("How likely are you to recommend us").select_option("9")
    page.get_by_label("Anything you would like to tell us?").fill("Quick and polite, thank you.")
    screenshot(page, "quality-survey")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    survey.refresh_from_db()
    assert (survey.csat, survey.nps) == (4, 9)
    # The same link again: a polite page, nothing recorded.
    page.goto(f"{live_server.url}/quality/s/{services.survey_token(survey)}/")
    expect(page.get_by_role("heading", name="Already answered")).to_be_visible()
    assert CsatSurvey.objects.get(pk=survey.pk).csat == 4

    # The inspector scores the case.
    _sign_in(page, live_server, inspector)
    page.goto(f"{live_server.url}/quality/qa/")
    page.locator("#id_reference").first.fill(case.reference)
    page.locator("form").filter(has=page.locator("#id_reference")).first.get_by_role(
        "button"
    ).click()
    scorecard = page.get_by_test_id("scorecard")
    for index in range(6):
        scorecard.locator("fieldset.criteria").nth(index).locator("input[value='4']").check()
    scorecard.locator("textarea").fill("道歉及时，方案清楚；结束前请复述下一步和时间。")
    screenshot(page, "quality-scorecard")
    scorecard.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text(case.reference)
    assert QaScore.objects.get(case=case).total == pytest.approx(80.0)
    page.get_by_role("button", name="退出登录").click()

    # The manager's dashboard shows the charts.
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/quality/insights/")
    charts = page.get_by_test_id("charts").locator("svg[role='img']")
    expect(charts).to_have_count(4)
    expect(page.get_by_test_id("figures")).to_contain_text("4.00")
    screenshot(page, "quality-insights")
