"""A customer's email opens a case; the agent replies; the customer's reply threads
onto it; the agent transfers it to 工程部 with an explanation the customer receives;
a promise goes overdue and is flagged."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Case
from kefu.channels.email_in import email_ingest
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def customer_mail(subject: str, body: str, *, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "李娜 <lina@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return bytes(message)


@pytest.fixture
def agent_on_desk(db: None, settings: Settings) -> User:
    # Tasks run inline so outgoing mail lands in the test outbox at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    service = make_department()
    team = nine_to_six_team(service)
    nine_to_six_team(make_department(name="工程部", code="engineering"))
    return make_staff(username="agent.wang", role=Role.AGENT, team=team, department=service)


def test_email_case_reply_thread_transfer_and_overdue_promise(
    page: Page, live_server: LiveServer, agent_on_desk: User
) -> None:
    first = email_ingest(
        raw=customer_mail("卫生间渗水", "楼下邻居说天花板有水渍，请尽快派人来看。"),
        at=timezone.now(),
    )
    case = first.case

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent_on_desk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/?scope=unassigned")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("thread")).to_contain_text("天花板有水渍")

    page.get_by_label("回复客户").fill("您好，非常抱歉给您添麻烦了。工程师明天上午上门检查。")
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_test_id("thread")).to_contain_text("工程师明天上午上门检查")
    expect(page.get_by_test_id("owner")).to_contain_text(str(agent_on_desk))
    assert mail.outbox[-1].to == ["lina@example.com"]
    reply_id = mail.outbox[-1].extra_headers["Message-ID"]

    second = email_ingest(
        raw=customer_mail(
            f"Re: 卫生间渗水 [{case.reference}]", "好的，明天上午家里有人。", in_reply_to=reply_id
        ),
        at=timezone.now(),
    )
    assert second.case.pk == case.pk
    page.reload()
    expect(page.get_by_test_id("thread")).to_contain_text("明天上午家里有人")

    page.get_by_text("转交其他部门").click()
    page.get_by_label("转入部门").select_option(label="工程部")
    page.get_by_label("为什么转到该部门").fill("需要工程师现场做闭水试验")
    page.get_by_label("接下来会怎样").fill("工程部明天上午上门，确定维修方案")
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("预计完成时间").fill(tomorrow)
    page.get_by_role("button", name="转交", exact=True).click()
    expect(page.get_by_test_id("department")).to_contain_text("工程部")
    assert "需要工程师现场做闭水试验" in mail.outbox[-1].body
    assert str(agent_on_desk) in mail.outbox[-1].body

    page.get_by_text("记录承诺", exact=True).click()
    page.get_by_label("承诺内容").fill("今天下班前回电确认上门时间")
    soon = (timezone.localtime() + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("截止时间").fill(soon)
    page.get_by_role("button", name="保存承诺").click()
    expect(page.get_by_test_id("commitments")).to_contain_text("今天下班前回电确认上门时间")

    later = (timezone.now() + timedelta(minutes=10)).isoformat()
    call_command("clocks", "--once", "--now", later, stdout=StringIO())
    page.reload()
    expect(page.get_by_test_id("case-flags")).to_contain_text("承诺逾期")
    screenshot(page, "case-overdue-promise")
    assert Case.objects.get(pk=case.pk).has_overdue_commitment

    page.goto(f"{live_server.url}/cases/?scope=mine&flag=overdue")
    expect(page.locator("#queue-rows").get_by_role("link", name=case.reference)).to_be_visible()
    screenshot(page, "queue-overdue")
