"""Replies never fail for ever: subjects free of line breaks, and an attempt limit.

The adversarial pass: a subject with an encoded line break made every reply on that case
fail with ``BadHeaderError`` and retry every five minutes for ever.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.clocks import redeliver
from kefu.cases.delivery import DeliveryError
from kefu.cases.models import Case, CaseEvent, Message
from kefu.cases.services import case_reply
from kefu.cases.tasks import deliver_message
from kefu.channels.email_in import email_receive
from kefu.core.models import ScheduledJob, User
from tests.channels.builders import at, raw_email

pytestmark = pytest.mark.django_db

T0 = at("2026-12-01 10:00")


def _word(text: str) -> str:
    return f"=?utf-8?B?{base64.b64encode(text.encode()).decode('ascii')}?="


def _smtp_down(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2


def _reply_on_new_case(agent: User, *, subject: str = "漏水") -> Message:
    case = email_receive(raw=raw_email(subject=subject), at=T0).case
    return case_reply(actor=agent, case=case, body="师傅明天上门。", at=T0)


def test_reply_on_a_case_whose_subject_had_an_encoded_line_break_is_sent(agent: User) -> None:
    reply = _reply_on_new_case(agent, subject=_word("设备故障\r\nBcc: victim@example.com"))

    status = deliver_message.call(message_id=reply.pk)

    assert status == "sent"
    assert (
        mail.outbox[0].subject == f"Re: 设备故障 Bcc: victim@example.com [{reply.case.reference}]"
    )
    assert mail.outbox[0].bcc == []


def test_reply_on_a_case_with_a_line_break_already_stored_in_its_subject_is_sent(
    agent: User,
) -> None:
    reply = _reply_on_new_case(agent)
    Case.objects.filter(pk=reply.case_id).update(subject="旧数据\r\n第二行")

    status = deliver_message.call(message_id=reply.pk)

    assert status == "sent"
    assert mail.outbox[0].subject == f"Re: 旧数据 第二行 [{reply.case.reference}]"


def test_a_delivery_failing_n_times_becomes_failed_with_its_reason_and_stops(
    agent: User, settings: Settings
) -> None:
    settings.KEFU_DELIVERY_MAX_ATTEMPTS = 3
    _smtp_down(settings)
    reply = _reply_on_new_case(agent)

    for _attempt in range(2):
        with pytest.raises(DeliveryError):
            deliver_message.call(message_id=reply.pk)
        reply.refresh_from_db()
        assert reply.delivery_status == "queued"
    status = deliver_message.call(message_id=reply.pk)

    reply.refresh_from_db()
    assert status == "failed"
    assert (reply.delivery_status, reply.delivery_attempts) == ("failed", 3)
    assert reply.delivery_error.startswith("SMTP unavailable: ")
    event = CaseEvent.objects.get(case=reply.case, kind="delivery_failed")
    assert event.data == {
        "channel": "email",
        "attempts": 3,
        "reason": reply.delivery_error,
        "code": "unavailable",
        "message": reply.pk,
    }
    # Nothing tries again: the task skips it and the redelivery clock leaves it alone.
    assert deliver_message.call(message_id=reply.pk) == "skipped"
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        redeliver(ScheduledJob(kind="cases.redeliver"), timezone.now())
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.delivery_attempts) == ("failed", 3)


def test_a_message_whose_worker_died_on_every_attempt_fails_at_the_limit(
    agent: User, settings: Settings
) -> None:
    settings.KEFU_DELIVERY_MAX_ATTEMPTS = 2
    reply = _reply_on_new_case(agent)
    Message.objects.filter(pk=reply.pk).update(delivery_status="sending", delivery_attempts=2)
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        redeliver(ScheduledJob(kind="cases.redeliver"), timezone.now())

    status = deliver_message.call(message_id=reply.pk)

    reply.refresh_from_db()
    assert status == "failed"
    assert reply.delivery_error == "the worker stopped while sending, 2 times"
    assert mail.outbox == []


def test_a_permanent_failure_fails_at_once_with_its_reason(agent: User) -> None:
    reply = _reply_on_new_case(agent)
    Message.objects.filter(pk=reply.pk).update(channel="fax")

    status = deliver_message.call(message_id=reply.pk)

    reply.refresh_from_db()
    assert status == "failed"
    assert (reply.delivery_attempts, reply.delivery_error) == (1, "no adapter for channel fax")


def test_the_agent_sees_why_a_reply_was_not_delivered(agent: User, settings: Settings) -> None:
    settings.KEFU_DELIVERY_MAX_ATTEMPTS = 1
    _smtp_down(settings)
    reply = _reply_on_new_case(agent)
    deliver_message.call(message_id=reply.pk)
    reply.refresh_from_db()
    User.objects.filter(pk=agent.pk).update(language="en")
    browser = Client()
    browser.force_login(agent)

    page = browser.get(f"/cases/{reply.case_id}/").content.decode()
    api = browser.get(f"/api/v1/cases/{reply.case_id}/messages")

    # The agent reads why in words; the channel's own words stay for administrators.
    why = "The Email service could not be reached after 1 attempts"
    assert f'<span data-testid="failure-text">{why}' in page
    assert f"Not delivered by Email: {why}" in page
    assert reply.delivery_error.startswith("SMTP unavailable: ")
    assert reply.delivery_error not in page
    assert api.status_code == 200, api.content
    sent = [m for m in api.json() if m["id"] == reply.pk]
    assert sent[0]["delivery_error"] == reply.delivery_error
    assert sent[0]["delivery_failure"] == "unavailable"
