"""An agent asks the writing partner for a draft: it lands in the reply box, the
coach flags "这个我们做不到" in it as in any draft, the agent edits it and sends it.
What went to the model carried no phone or ID number from the case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services
from kefu.cases.models import Case, Message
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.partner.models import PartnerCall
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff
from tests.partner.fake_llm import API_KEY, MODEL, FakeLLM, serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"
ID_NUMBER = "110101199003071234"
DRAFT = "您好，这个我们做不到。师傅会先打 [PHONE_1] 和您约时间。"


@pytest.fixture
def llm(settings: Settings) -> Iterator[FakeLLM]:
    with serve() as fake:
        settings.KEFU_LLM_BASE_URL = fake.base_url
        settings.KEFU_LLM_API_KEY = API_KEY
        settings.KEFU_LLM_MODEL = MODEL
        settings.KEFU_LLM_TIMEOUT_SECONDS = 5
        fake.reply = DRAFT
        yield fake


@pytest.fixture
def agent_case(db: None, settings: Settings) -> tuple[User, Case]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    service = make_department()
    team = nine_to_six_team(service)
    agent = make_staff(username="agent.wang", role=Role.AGENT, team=team, department=service)
    case = services.case_open(
        actor=None,
        contact=make_contact(),
        subject="卫生间漏水",
        body=f"卫生间漏水三天了还没人来！电话{PHONE}，身份证{ID_NUMBER}，今天必须派人来。",
        channel="email",
        at=timezone.now(),
        owner=agent,
        team=team,
    )
    return agent, case


def test_an_agent_asks_for_a_draft_edits_it_and_sends_it(
    page: Page, live_server: LiveServer, agent_case: tuple[User, Case], llm: FakeLLM
) -> None:
    agent, case = agent_case
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    page.get_by_test_id("partner-draft").click()
    box = page.locator("#id_body")
    expect(box).to_have_value(DRAFT.replace("[PHONE_1]", PHONE))
    # The coach reads the draft as it reads anything typed.
    flag = page.locator('.coach-flags li[data-code="negative_phrasing"]')
    expect(flag).to_be_visible()
    expect(page.get_by_test_id("partner-status")).to_be_visible()
    screenshot(page, "partner-draft")

    sent_text = llm.sent_text()
    assert PHONE not in sent_text
    assert ID_NUMBER not in sent_text
    assert "[PHONE_1]" in sent_text
    # Nothing reached the customer yet: the agent has to send it.
    assert not Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()

    edited = "您好，非常理解您的着急。师傅今天下午3点前先打电话和您约上门时间。"
    box.fill(edited)
    expect(page.locator('.coach-flags li[data-code="negative_phrasing"]')).to_have_count(0)
    screenshot(page, "partner-edited")
    page.get_by_role("button", name="发送回复").click()

    expect(page.get_by_test_id("thread")).to_contain_text("下午3点前先打电话")
    reply = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND)
    assert reply.body == edited
    assert PartnerCall.objects.get().outcome == PartnerCall.Outcome.OK
