"""Replies go on the channel the agent picks; an undelivered one says why on the message
in the agent's language, and is resent on its own channel or another."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import Settings

from kefu.cases import services
from kefu.cases.models import Case, CaseEvent, Message
from kefu.cases.services.replies import message_resend
from kefu.cases.tasks import deliver_message
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.customers.timeline import customer_timeline
from tests.cases.builders import at, make_contact
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
T0 = at("2026-12-01 10:00")


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def english_agent(desk_agent: User) -> User:
    User.objects.filter(pk=desk_agent.pk).update(language="en")
    desk_agent.refresh_from_db()
    return desk_agent


def _phone_case(team: Team, owner: User) -> Case:
    """A phone case whose contact has a mobile and an e-mail address, but no IM handle."""
    contact = make_contact(phone="13912345678", channels=["sms", "email"])
    return services.case_open(
        actor=None,
        contact=contact,
        subject="热水器不出热水",
        body="(电话) 客户说热水器从昨天起不出热水。",
        channel="phone",
        at=T0,
        team=team,
        owner=owner,
    )


def _reply(client: Client, case: Case, body: str, channel: str = "") -> None:
    case.refresh_from_db()
    client.post(
        reverse("cases:reply", args=[case.pk]),
        {"body": body, "version": case.version, "channel": channel},
    )


def _failed_sms(settings: Settings, client: Client, case: Case) -> Message:
    settings.KEFU_SMS_GATEWAY_URL = ""
    _reply(client, case, "师傅明天上午上门检修。", channel="sms")
    reply = Message.objects.get(case=case, direction="out")
    assert deliver_message.call(message_id=reply.pk) == "failed"
    reply.refresh_from_db()
    return reply


def test_the_reply_form_offers_the_reachable_channels_with_the_preferred_one_chosen(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _phone_case(team, english_agent)

    page = client_for(english_agent).get(reverse("cases:case", args=[case.pk])).content.decode()

    assert '<option value="sms" selected>SMS</option>' in page
    assert '<option value="email">Email</option>' in page
    assert '<option value="chat"' not in page
    assert 'data-testid="unreachable-chat">Chat: no IM handle on file</span>' in page


def test_the_reply_goes_by_the_channel_the_agent_picked(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _phone_case(team, english_agent)

    _reply(client_for(english_agent), case, "您好，已为您安排师傅。", channel="email")

    reply = Message.objects.get(case=case, direction="out")
    assert (reply.channel, reply.delivery_status) == ("email", "queued")
    event = CaseEvent.objects.get(case=case, kind="replied")
    assert event.data == {"channel": "email", "message": reply.pk}


def test_an_unreachable_channel_is_refused_in_words_and_the_text_is_kept(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)

    _reply(client, case, "请在微信上查收。", channel="chat")
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()

    assert not Message.objects.filter(case=case, direction="out").exists()
    assert "The customer cannot be reached by Chat; choose another channel." in page
    assert "请在微信上查收。</textarea>" in page


def test_the_api_reply_takes_a_channel_and_refuses_an_unreachable_one(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)
    url = f"/api/v1/cases/{case.pk}/replies"

    refused = client.post(url, {"body": "你好", "channel": "chat"}, content_type="application/json")
    sent = client.post(url, {"body": "你好", "channel": "email"}, content_type="application/json")

    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "channel_unreachable"
    assert sent.status_code == 201, sent.content
    assert (sent.json()["channel"], sent.json()["delivery_failure"]) == ("email", "")


def test_a_failed_sms_says_why_on_the_message_in_english_without_internal_names(
    client_for: ClientFor, team: Team, english_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)
    reply = _failed_sms(settings, client, case)

    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()

    assert (reply.delivery_error_code, reply.delivery_error) == (
        "not_configured",
        "KEFU_SMS_GATEWAY_URL is not set",
    )
    assert f'data-testid="delivery-failure-{reply.pk}"' in page
    assert (
        '<span data-testid="failure-text">SMS sending is not set up on this desk yet; '
        "ask an administrator, or send by another channel.</span>"
    ) in page
    assert "KEFU_SMS_GATEWAY_URL" not in page
    # The history no longer claims the reply went out by SMS.
    assert "Replied to the customer by SMS; not delivered" in page
    assert "Replied to the customer by SMS<" not in page
    assert '<button type="submit" name="channel" value="sms">Resend</button>' in page
    assert '<button type="submit" name="channel" value="email">Send by Email instead' in page


def test_a_failed_sms_reads_in_chinese_with_the_same_structure(
    client_for: ClientFor, team: Team, desk_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, desk_agent)
    client = client_for(desk_agent)
    reply = _failed_sms(settings, client, case)

    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()

    assert f'data-testid="delivery-failure-{reply.pk}"' in page
    assert 'data-testid="failure-text">' in page
    assert 'name="channel" value="email"' in page
    assert "KEFU_SMS_GATEWAY_URL" not in page
    assert "SMS sending is not set up" not in page


def test_an_administrator_sees_the_technical_detail_apart(
    client_for: ClientFor, team: Team, desk_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, desk_agent)
    _failed_sms(settings, client_for(desk_agent), case)
    admin = make_staff(role=Role.ADMINISTRATOR, team=team, department=team.department)

    page = client_for(admin).get(reverse("cases:case", args=[case.pk])).content.decode()

    assert "<code>KEFU_SMS_GATEWAY_URL is not set</code>" in page


def test_resending_a_failed_sms_by_email_delivers_it_and_the_history_says_so(
    client_for: ClientFor, team: Team, english_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)
    failed = _failed_sms(settings, client, case)
    first_response_at = Case.objects.get(pk=case.pk).first_response_at

    client.post(reverse("cases:resend", args=[case.pk, failed.pk]), {"channel": "email"})
    resend = Message.objects.get(resent_from=failed)
    status = deliver_message.call(message_id=resend.pk)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()

    failed.refresh_from_db()
    resend.refresh_from_db()
    assert status == "sent"
    assert (resend.channel, resend.delivery_status, resend.body) == (
        "email",
        "sent",
        failed.body,
    )
    assert failed.delivery_status == "resent"
    assert mail.outbox[0].body == failed.body
    assert Case.objects.get(pk=case.pk).first_response_at == first_response_at
    assert CaseEvent.objects.filter(case=case, kind="replied").count() == 1
    assert "Resent the undelivered SMS reply by Email" in page
    assert "Reply saved; it is going out by Email." in page
    assert "Resent; see the message below." in page
    assert " · not delivered, resent</div>" in page


def test_a_failed_message_is_resent_once_even_when_two_agents_click(
    team: Team, desk_agent: User, desk_lead: User, settings: Settings, client_for: ClientFor
) -> None:
    case = _phone_case(team, desk_agent)
    failed = _failed_sms(settings, client_for(desk_agent), case)
    message_resend(actor=desk_agent, message=failed, channel="email", at=T0)

    with pytest.raises(DomainError) as refused:
        message_resend(actor=desk_lead, message=failed, channel="sms", at=T0)

    assert refused.value.code == "message_not_resendable"
    assert Message.objects.filter(resent_from=failed).count() == 1


def test_a_role_that_does_not_work_cases_cannot_resend(
    team: Team, desk_agent: User, settings: Settings, client_for: ClientFor
) -> None:
    case = _phone_case(team, desk_agent)
    failed = _failed_sms(settings, client_for(desk_agent), case)
    inspector = make_staff(role=Role.QA_INSPECTOR, team=team, department=team.department)

    with pytest.raises(PermissionDeniedError):
        message_resend(actor=inspector, message=failed, channel="email", at=T0)

    failed.refresh_from_db()
    assert failed.delivery_status == "failed"
    assert not Message.objects.filter(resent_from=failed).exists()


def test_the_api_resends_an_undelivered_reply(
    client_for: ClientFor, team: Team, english_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)
    failed = _failed_sms(settings, client, case)

    answer = client.post(
        f"/api/v1/cases/{case.pk}/messages/{failed.pk}/resend",
        {"channel": "email"},
        content_type="application/json",
    )
    again = client.post(
        f"/api/v1/cases/{case.pk}/messages/{failed.pk}/resend",
        {"channel": "email"},
        content_type="application/json",
    )

    assert answer.status_code == 201, answer.content
    assert (answer.json()["channel"], answer.json()["resent_from"]) == ("email", failed.pk)
    assert again.status_code == 400
    assert again.json()["code"] == "message_not_resendable"


def test_the_api_history_and_the_customer_timeline_say_the_sms_was_not_delivered(
    client_for: ClientFor, team: Team, english_agent: User, settings: Settings
) -> None:
    case = _phone_case(team, english_agent)
    client = client_for(english_agent)
    _failed_sms(settings, client, case)

    events = client.get(f"/api/v1/cases/{case.pk}/events").json()
    with translation.override("en"):
        titles = [
            item.title for item in customer_timeline(actor=english_agent, contact=case.contact)
        ]

    replied = [event for event in events if event["kind"] == "replied"]
    assert [event["text"] for event in replied] == ["Replied to the customer by SMS; not delivered"]
    assert f"Not delivered to the customer by SMS, case {case.reference}" in titles
