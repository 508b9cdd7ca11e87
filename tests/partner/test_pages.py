"""The writing partner on the case page, against the fake OpenAI-compatible server:
what leaves kefu, the summary and the draft, the coach on a draft, faults, the
budget, and the partner off by default."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

from kefu.cases import services
from kefu.cases.models import Case, Message, ReplyTemplate
from kefu.core.models import Notification, Team, User
from kefu.partner.models import CaseSummary, ExcludedDepartment, PartnerCall
from tests.cases.builders import at, make_contact, open_case
from tests.kb.builders import make_article
from tests.partner.fake_llm import FakeLLM

ClientFor = Callable[[User], Client]
HTMX = {"HX-Request": "true"}
PHONE = "13912345678"
ID_NUMBER = "110101199003071234"
BODY = (
    f"卫生间漏水三天了，师傅说好周一来也没来！我的电话{PHONE}，身份证{ID_NUMBER}，"
    "赶紧派人来修，不然我就投诉。"
)
NOW = "2026-12-07 10:00"


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(at(NOW), tick=True) as traveller:
        yield traveller


@pytest.fixture
def case(team: Team, desk_agent: User) -> Case:
    contact = make_contact(phone="+8613800001111", email="zhang.wei@example.com")
    return open_case(
        when="2026-12-07 09:00", contact=contact, body=BODY, team=team, owner=desk_agent
    )


def _draft(client: Client, case: Case, **data: str) -> _MonkeyPatchedWSGIResponse:
    return client.post(reverse("partner:draft", args=[case.pk]), data, headers=HTMX)


def test_with_no_provider_no_partner_control_is_rendered(
    case: Case, desk_agent: User, client_for: ClientFor
) -> None:
    client = client_for(desk_agent)

    page = client.get(reverse("cases:case", args=[case.pk]))
    draft_panel = client.get(reverse("partner:draft_panel", args=[case.pk]), headers=HTMX)
    summary_panel = client.get(reverse("partner:summary_panel", args=[case.pk]), headers=HTMX)

    assert page.status_code == 200
    assert draft_panel.status_code == summary_panel.status_code == 200
    assert draft_panel.content == summary_panel.content == b""
    for text in ("partner-draft", "Draft a reply", "起草回复", "Summarise this case"):
        assert text not in page.content.decode()


def test_the_request_carries_no_raw_phone_or_id_number_and_the_draft_lands_in_the_box(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    # The model answers with the placeholder it was given for the customer's number.
    llm.reply = lambda request: "非常理解您的着急。师傅今天下午会先致电 [PHONE_1] 再上门。"
    client = client_for(desk_agent)

    panel = client.get(reverse("partner:draft_panel", args=[case.pk]), headers=HTMX)
    response = _draft(client, case)

    assert 'data-testid="partner-draft"' in panel.content.decode()
    sent = llm.sent_text()
    for raw in (PHONE, ID_NUMBER, "13800001111", "zhang.wei@example.com"):
        assert raw not in sent
    assert "[PHONE_1]" in sent
    assert "[ID_1]" in sent
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body"' in text
    assert f"师傅今天下午会先致电 {PHONE} 再上门。" in text
    call = PartnerCall.objects.get()
    assert call.outcome == PartnerCall.Outcome.OK
    assert call.redacted["PHONE"] >= 1
    assert call.redacted["ID"] == 1
    assert PHONE not in json.dumps(call.sent, ensure_ascii=False)
    assert "[PHONE_1]" in call.received
    # A draft is only a draft: nothing was sent to the customer.
    assert not Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()


def test_the_draft_prompt_carries_the_reading_the_playbook_step_and_templates(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    ReplyTemplate.objects.create(
        name="上门安排", body_zh="{contact_name}您好，师傅将于约定时间上门。", body_en="Hello"
    )

    _draft(client_for(desk_agent), case)

    prompt = llm.requests[0]["messages"][1]["content"]
    assert "coach reading" in prompt
    assert "upset" in prompt
    assert "complaint playbook's next step" in prompt
    assert "reply templates" in prompt
    assert "师傅将于约定时间上门" in prompt


def test_the_coach_flags_a_draft_saying_we_cannot(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    llm.reply = "这个我们做不到。"
    client = client_for(desk_agent)

    draft = _draft(client, case)
    # The reply box's own trigger sends the new text to the coach, as for any draft.
    coached = client.post(
        reverse("cases:coach", args=[case.pk]), {"body": "这个我们做不到。"}, headers=HTMX
    )

    assert "这个我们做不到。" in draft.content.decode()
    assert "Negative phrasing" in coached.content.decode()


def test_a_rewrite_sends_the_reply_box_text_and_returns_the_new_one(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    llm.reply = "We are sorry for the wait; the technician calls you this afternoon."

    response = _draft(
        client_for(desk_agent), case, body=f"师傅下午打您电话 {PHONE}", rewrite="english"
    )

    assert "the technician calls you this afternoon" in response.content.decode()
    sent = llm.requests[0]["messages"][1]["content"]
    assert "师傅下午打您电话 [PHONE_1]" in sent
    assert "in English" in sent
    assert PartnerCall.objects.get().purpose == PartnerCall.Purpose.REWRITE


def test_a_rewrite_of_an_empty_box_says_what_to_do_and_sends_nothing(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    response = _draft(client_for(desk_agent), case, body="  ", rewrite="shorter")

    assert response["HX-Retarget"] == "#partner-status"
    assert "The reply box is empty" in response.content.decode()
    assert llm.requests == []


@pytest.mark.parametrize(
    ("status", "delay", "malformed", "words"),
    [
        (200, 3.0, False, "took too long"),
        (429, 0.0, False, "too many requests"),
        (503, 0.0, False, "server had an error"),
        (200, 0.0, True, "could not be read"),
    ],
)
def test_a_fault_leaves_the_reply_box_alone_and_the_page_usable(
    case: Case,
    desk_agent: User,
    client_for: ClientFor,
    llm: FakeLLM,
    status: int,
    delay: float,
    malformed: bool,
    words: str,
) -> None:
    llm.status, llm.delay, llm.malformed = status, delay, malformed
    client = client_for(desk_agent)

    response = _draft(client, case)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#partner-status"
    assert 'id="id_body"' not in response.content.decode()
    assert words in response.content.decode()
    assert PartnerCall.objects.get().outcome == PartnerCall.Outcome.FAILED
    # The agent goes on: the page opens and their own reply is sent.
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    case.refresh_from_db()
    sent = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"body": "您好，师傅今天下午上门。", "version": case.version},
    )
    assert sent.status_code in (200, 302)
    assert Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()


def test_a_summary_fault_is_a_message_in_the_panel(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    llm.status = 429

    response = client_for(desk_agent).post(reverse("partner:summary", args=[case.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "too many requests" in response.content.decode()
    assert not CaseSummary.objects.exists()


@pytest.mark.parametrize(
    "answer", ["请拨打 [PHONE_7] 联系我们。", "请直接打经理手机 13700001234。"]
)
def test_an_answer_with_personal_data_it_was_not_given_is_refused(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM, answer: str
) -> None:
    llm.reply = answer

    response = _draft(client_for(desk_agent), case)

    assert response["HX-Retarget"] == "#partner-status"
    assert "13700001234" not in response.content.decode()
    assert "was refused" in response.content.decode()
    assert PartnerCall.objects.get().outcome == PartnerCall.Outcome.REFUSED


def test_the_summary_appears_and_is_cached_per_case_version(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    llm.reply = "1. 客户诉求：尽快修好卫生间漏水。\n4. 情绪：一直着急。"
    client = client_for(desk_agent)

    panel = client.get(reverse("partner:summary_panel", args=[case.pk]), headers=HTMX)
    first = client.post(reverse("partner:summary", args=[case.pk]), headers=HTMX)
    again = client.post(reverse("partner:summary", args=[case.pk]), headers=HTMX)
    shown = client.get(reverse("partner:summary_panel", args=[case.pk]), headers=HTMX)

    assert 'data-testid="partner-summarise"' in panel.content.decode()
    assert 'data-testid="partner-mood"' in panel.content.decode()
    assert "客户诉求：尽快修好卫生间漏水" in first.content.decode()
    assert "客户诉求：尽快修好卫生间漏水" in again.content.decode()
    assert "客户诉求：尽快修好卫生间漏水" in shown.content.decode()
    assert len(llm.requests) == 1
    prompt = llm.requests[0]["messages"][1]["content"]
    assert "in English" in prompt
    assert "mood over time" in prompt

    services.message_receive(
        case=case, contact=case.contact, body="今天能来吗？", channel="email", at=at(NOW)
    )
    case.refresh_from_db()
    client.post(reverse("partner:summary", args=[case.pk]), headers=HTMX)

    assert len(llm.requests) == 2
    assert CaseSummary.objects.filter(case=case).count() == 2


def test_the_summary_is_written_in_the_readers_language(
    case: Case, desk_agent: User, desk_lead: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    llm.reply = "1. The customer wants the leak fixed."

    client_for(desk_agent).post(reverse("partner:summary", args=[case.pk]), headers=HTMX)
    client_for(desk_lead).post(reverse("partner:summary", args=[case.pk]), headers=HTMX)

    assert "in English" in llm.requests[0]["messages"][1]["content"]
    assert "in Simplified Chinese" in llm.requests[1]["messages"][1]["content"]
    assert set(CaseSummary.objects.values_list("language", flat=True)) == {"en", "zh-hans"}


def test_the_lead_a_case_is_escalated_to_gets_the_summary_without_asking(
    case: Case, desk_agent: User, desk_lead: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    services.case_escalate(
        actor=desk_agent,
        case=case,
        reason="customer_request",
        explanation="客户要求主管处理",
        at=at("2026-12-07 09:40"),
    )

    lead_panel = (
        client_for(desk_lead)
        .get(reverse("partner:summary_panel", args=[case.pk]), headers=HTMX)
        .content.decode()
    )
    agent_panel = (
        client_for(desk_agent)
        .get(reverse("partner:summary_panel", args=[case.pk]), headers=HTMX)
        .content.decode()
    )

    assert 'hx-trigger="load"' in lead_panel
    assert 'data-testid="partner-summarise"' not in lead_panel
    assert 'data-testid="partner-summarise"' in agent_panel
    assert llm.requests == []  # written when the panel asks, not by a GET


def test_a_confidential_case_is_never_sent(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    client = client_for(desk_agent)

    panel = client.get(reverse("partner:draft_panel", args=[case.pk]), headers=HTMX)
    draft = _draft(client, case)
    summary = client.post(reverse("partner:summary", args=[case.pk]), headers=HTMX)

    assert 'data-testid="partner-blocked"' in panel.content.decode()
    assert 'data-testid="partner-draft"' not in panel.content.decode()
    assert "confidential" in draft.content.decode()
    assert "confidential" in summary.content.decode()
    assert llm.requests == []
    assert not PartnerCall.objects.exists()


def test_an_excluded_department_is_never_sent(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    ExcludedDepartment.objects.create(department=case.department, reason="法务")

    draft = _draft(client_for(desk_agent), case)

    assert draft["HX-Retarget"] == "#partner-status"
    assert llm.requests == []


def test_the_monthly_budget_stops_calls_and_tells_administrators_once(
    case: Case,
    desk_agent: User,
    administrator: User,
    client_for: ClientFor,
    llm: FakeLLM,
    settings: Settings,
) -> None:
    settings.KEFU_LLM_MONTHLY_TOKEN_BUDGET = 10
    client = client_for(desk_agent)

    first = _draft(client, case)  # spends more than 10 tokens
    second = _draft(client, case)
    third = _draft(client, case)

    assert 'id="id_body"' in first.content.decode()
    assert "budget for this month is spent" in second.content.decode()
    assert second["HX-Retarget"] == "#partner-status"
    assert len(llm.requests) == 1
    assert "id_body" not in third.content.decode()
    notice = Notification.objects.get(recipient=administrator)
    assert "2026-12" in notice.subject


def test_the_budget_is_per_month(
    case: Case, desk_agent: User, client_for: ClientFor, llm: FakeLLM, settings: Settings
) -> None:
    settings.KEFU_LLM_MONTHLY_TOKEN_BUDGET = 10
    _draft(client_for(desk_agent), case)

    with time_machine.travel(at(NOW) + timedelta(days=31), tick=True):
        again = _draft(client_for(desk_agent), case)

    assert 'id="id_body"' in again.content.decode()
    assert len(llm.requests) == 2


def test_administrators_read_what_was_sent_with_placeholders(
    case: Case,
    desk_agent: User,
    administrator: User,
    client_for: ClientFor,
    llm: FakeLLM,
) -> None:
    _draft(client_for(desk_agent), case)

    page = client_for(administrator).get(reverse("partner:calls"))
    refused = client_for(desk_agent).get(reverse("partner:calls"))

    text = page.content.decode()
    assert page.status_code == 200
    assert case.reference in text
    assert "[PHONE_1]" in text
    assert PHONE not in text
    assert ID_NUMBER not in text
    assert refused.status_code == 403


def test_the_draft_prompt_carries_the_top_matching_knowledge_base_articles(
    case: Case, desk_agent: User, administrator: User, client_for: ClientFor, llm: FakeLLM
) -> None:
    make_article(
        author=administrator,
        reviewer=administrator,
        title_zh="卫生间渗水怎么办",
        body_zh="先关闭总阀，再拍照发给我们，师傅两小时内回电。",
    )

    _draft(client_for(desk_agent), case)

    prompt = llm.requests[0]["messages"][1]["content"]
    assert "Knowledge-base articles" in prompt
    assert "卫生间渗水怎么办" in prompt
