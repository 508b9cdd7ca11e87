"""An angry customer's email arrives; the case shows the coach's reading and the
complaint playbook; the agent types "这个我们做不到", sees the flag and the
rewrite, applies it, adds a commitment with a time, and sends."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Case, Message
from kefu.channels.email_in import email_ingest
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANGRY = (
    "这已经是我第三次写邮件了！卫生间漏水两个星期没人管，楼下天天来敲门。"
    "你们再不派人来修，我就去12315投诉，再发到微博上曝光你们！"
)


def angry_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "李娜 <lina@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = "漏水两周没人管"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content(ANGRY)
    return bytes(message)


@pytest.fixture
def agent_on_desk(db: None, settings: Settings) -> User:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    service = make_department()
    team = nine_to_six_team(service)
    make_staff(username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=service)
    return make_staff(username="agent.wang", role=Role.AGENT, team=team, department=service)


def test_the_coach_reads_the_customer_and_coaches_the_reply(
    page: Page, live_server: LiveServer, agent_on_desk: User
) -> None:
    case = email_ingest(raw=angry_mail(), at=timezone.now()).case
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent_on_desk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    expect(page.get_by_test_id("reading-upset")).to_be_visible()
    expect(page.get_by_test_id("reading-threat")).to_be_visible()
    expect(page.get_by_test_id("reading")).to_contain_text("12315")
    expect(page.locator('[data-step="empathize"]')).to_contain_text("下一步")

    box = page.get_by_label("回复客户")
    box.fill("这个我们做不到。")
    flag = page.locator('.coach-flags li[data-code="negative_phrasing"]')
    expect(flag).to_be_visible()
    expect(page.locator('mark.coach-flag[data-code="negative_phrasing"]')).to_have_text("做不到")
    screenshot(page, "coach-flag")

    flag.get_by_role("button", name="采用").click()
    expect(box).not_to_have_value("这个我们做不到。")
    assert "做不到" not in box.input_value()
    expect(page.locator('.coach-flags li[data-code="negative_phrasing"]')).to_have_count(0)

    box.press("End")
    box.type("非常理解您的着急，真的很抱歉。师傅明天上午10点前上门维修。")
    expect(page.get_by_test_id("coach-commitment")).to_have_class("badge ok")
    expect(page.get_by_test_id("coach-empathy")).to_have_class("badge ok")
    screenshot(page, "coach-rewritten")
    sent = box.input_value()

    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_test_id("thread")).to_contain_text("明天上午10点前")
    reply = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND)
    assert reply.body == sent
    assert mail.outbox[-1].to == ["lina@example.com"]
    expect(page.locator('[data-step="empathize"]')).to_have_class("done")
    screenshot(page, "coach-sent")
