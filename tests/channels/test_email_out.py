"""Email out: threading headers, the subject with the reference, delivery through the task."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.models import Message
from kefu.cases.services import case_reply, customer_notice
from kefu.cases.tasks import deliver_message
from kefu.channels.email_in import email_receive
from kefu.channels.email_out import outbound_message_id, reply_subject
from kefu.core.models import User
from tests.channels.builders import make_contact, open_case, raw_email

pytestmark = pytest.mark.django_db


def test_reply_threads_to_the_customers_last_message_and_carries_the_reference(
    agent: User,
) -> None:
    first = email_receive(raw=raw_email(message_id="<c1@example.cn>"), at=timezone.now())
    second = raw_email(message_id="<c2@example.cn>", headers={"In-Reply-To": "<c1@example.cn>"})
    email_receive(raw=second, at=timezone.now())
    first.case.refresh_from_db()
    reply = case_reply(actor=agent, case=first.case, body="已安排师傅明天上门。", at=timezone.now())

    status = deliver_message.call(message_id=reply.pk)

    sent = mail.outbox[0]
    reply.refresh_from_db()
    assert status == "sent"
    assert sent.to == ["zhang.san@example.cn"]
    assert sent.subject == f"Re: 设备故障 [{first.case.reference}]"
    assert sent.body == "已安排师傅明天上门。"
    assert sent.extra_headers["In-Reply-To"] == "<c2@example.cn>"
    assert sent.extra_headers["References"] == "<c1@example.cn> <c2@example.cn>"
    # Derived from the message under the secret key: a resend carries the same id, and
    # nobody can guess it (tests/channels/test_email_threading_guard.py).
    assert sent.extra_headers["Message-ID"] == outbound_message_id(reply)
    assert re.fullmatch(r"<kefu\.[0-9a-f]{32}@kefu\.test>", sent.extra_headers["Message-ID"])
    assert "Auto-Submitted" not in sent.extra_headers
    assert reply.external_id == sent.extra_headers["Message-ID"]
    assert (reply.delivery_status, reply.channel) == ("sent", "email")


def test_customer_answer_to_a_sent_reply_threads_back_by_its_message_id(agent: User) -> None:
    first = email_receive(raw=raw_email(message_id="<d1@example.cn>"), at=timezone.now())
    reply = case_reply(actor=agent, case=first.case, body="请提供照片。", at=timezone.now())
    deliver_message.call(message_id=reply.pk)
    reply.refresh_from_db()
    answer = raw_email(
        message_id="<d2@example.cn>",
        subject="Re: something else entirely",
        headers={"In-Reply-To": str(reply.external_id)},
    )

    result = email_receive(raw=answer, at=timezone.now())

    assert result.case == first.case
    assert not result.is_new_case


def test_automatic_notice_is_marked_auto_submitted() -> None:
    case = open_case(contact=make_contact(email="li@example.cn"))
    (notice,) = customer_notice(case=case, body="您的工单已受理。", at=timezone.now(), author=None)

    deliver_message.call(message_id=notice.pk)

    sent = mail.outbox[0]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    # The case began by email without a Message-ID of the customer's: nothing to answer.
    assert "In-Reply-To" not in sent.extra_headers


def test_subject_does_not_pile_up_prefixes_or_references() -> None:
    case = open_case(contact=make_contact(), subject="回复: RE: 漏水")
    case.subject = f"Re: 回复：漏水 [{case.reference}]"

    assert reply_subject(case) == f"Re: 漏水 [{case.reference}]"


def test_oversize_notice_is_emailed_to_the_sender(settings: Settings) -> None:
    from tests.channels.builders import multipart_email

    settings.KEFU_MAX_ATTACHMENT_BYTES = 10
    email_receive(raw=multipart_email(attachments=[("big.bin", b"x" * 50)]), at=timezone.now())
    notice = Message.objects.get(direction=Message.Direction.OUTBOUND)

    deliver_message.call(message_id=notice.pk)

    sent = mail.outbox[0]
    assert sent.to == ["zhang.san@example.cn"]
    assert "big.bin" in sent.body
    assert sent.extra_headers["In-Reply-To"] == "<files@example.cn>"


def test_smtp_failure_leaves_the_message_queued_for_a_retry(settings: Settings) -> None:
    from kefu.cases.delivery import DeliveryError

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2
    case = open_case(contact=make_contact(email="li@example.cn"))
    (notice,) = customer_notice(case=case, body="测试", at=timezone.now(), author=None)

    with pytest.raises(DeliveryError):
        deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert notice.delivery_status == "queued"
