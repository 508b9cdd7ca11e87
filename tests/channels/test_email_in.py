"""Taking in email: threading onto cases, repeats, new contacts, refused attachments."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.models import Attachment, Case, Message
from kefu.channels.email_in import email_ingest, email_receive
from kefu.channels.errors import ChannelErrorCode, MessageQuarantinedError
from kefu.channels.models import QuarantinedMessage
from kefu.core.models import AuditEntry
from kefu.customers.models import Contact, Organisation
from tests.channels.builders import (
    gb2312_email,
    html_email,
    make_contact,
    multipart_email,
    raw_email,
)

pytestmark = pytest.mark.django_db


def test_new_thread_opens_an_email_case_with_the_message() -> None:
    result = email_receive(raw=gb2312_email(), at=timezone.now())

    case = Case.objects.get()
    message = Message.objects.get()
    assert result.is_new_case
    assert not result.is_duplicate
    assert (case.channel, case.subject) == ("email", "镕基路项目停工")
    assert message.case == case
    assert message.external_id == "<gb@example.cn>"
    assert message.body == "王总您好：\n朱镕基路的项目停工了，请回电。"
    assert message.direction == Message.Direction.INBOUND


def test_unknown_sender_becomes_a_contact_without_organisation() -> None:
    email_receive(raw=gb2312_email(), at=timezone.now())

    contact = Contact.objects.get()
    assert (contact.name, contact.email, contact.language) == (
        "王五",
        "wang.wu@example.cn",
        "zh-hans",
    )
    assert contact.organisation is None
    assert AuditEntry.objects.filter(action="contact.created", target_id=str(contact.pk)).exists()


def test_english_sender_gets_english_as_language() -> None:
    email_receive(raw=html_email(), at=timezone.now())

    contact = Contact.objects.get()
    assert (contact.name, contact.language) == ("Mary Smith", "en")


def test_known_sender_is_matched_by_address_ignoring_case() -> None:
    known = make_contact(email="Wang.Wu@Example.cn")

    email_receive(raw=gb2312_email(), at=timezone.now())

    assert Contact.objects.get() == known
    assert Case.objects.get().contact == known


def test_html_only_mail_is_stored_as_text_with_sanitized_html() -> None:
    email_receive(raw=html_email(), at=timezone.now())

    message = Message.objects.get()
    assert message.body == "Hello,\n\nthe pump failed again.\nlink"
    assert "<b>pump</b>" in message.body_html
    assert "script" not in message.body_html


def test_same_message_id_twice_is_stored_once() -> None:
    first = email_receive(raw=gb2312_email(), at=timezone.now())

    second = email_receive(raw=gb2312_email(), at=timezone.now())

    assert second.is_duplicate
    assert second.case == first.case
    assert Message.objects.count() == 1
    assert Case.objects.count() == 1


def test_reply_by_in_reply_to_lands_on_the_case() -> None:
    first = email_receive(raw=raw_email(message_id="<q1@example.cn>"), at=timezone.now())
    reply = raw_email(
        message_id="<q2@example.cn>",
        subject="Re: 设备故障",
        headers={"In-Reply-To": "<q1@example.cn>"},
    )

    result = email_receive(raw=reply, at=timezone.now())

    assert not result.is_new_case
    assert result.case == first.case
    assert Message.objects.get(external_id="<q2@example.cn>").in_reply_to == "<q1@example.cn>"
    assert Case.objects.count() == 1


def test_reply_by_references_lands_on_the_case() -> None:
    first = email_receive(raw=raw_email(message_id="<r1@example.cn>"), at=timezone.now())
    reply = raw_email(
        message_id="<r3@example.cn>",
        subject="答复: 设备故障",
        headers={"References": "<r1@example.cn> <r2-never-seen@example.cn>"},
    )

    result = email_receive(raw=reply, at=timezone.now())

    assert result.case == first.case
    assert Case.objects.count() == 1


def test_reply_with_reference_in_subject_lands_on_the_case() -> None:
    first = email_receive(raw=raw_email(message_id="<s1@example.cn>"), at=timezone.now())
    reply = raw_email(message_id="<s2@example.cn>", subject=f"还是坏的 [{first.case.reference}]")

    result = email_receive(raw=reply, at=timezone.now())

    assert result.case == first.case


def test_bare_reference_in_subject_from_a_colleague_of_the_same_organisation_threads() -> None:
    organisation = Organisation.objects.create(name="华东建设", created_at=timezone.now())
    make_contact(email="zhang.san@example.cn", organisation=organisation)
    first = email_receive(raw=raw_email(message_id="<c1@example.cn>"), at=timezone.now())
    make_contact(email="colleague@example.cn", organisation=organisation)
    reply = raw_email(
        message_id="<c2@example.cn>",
        sender="colleague@example.cn",
        subject=f"关于 {first.case.reference} 的补充",
    )

    result = email_receive(raw=reply, at=timezone.now())

    assert result.case == first.case
    assert result.message is not None
    assert result.message.contact is not None
    assert result.message.contact.email == "colleague@example.cn"


def test_reference_in_subject_from_a_stranger_opens_a_new_case() -> None:
    first = email_receive(raw=raw_email(message_id="<t1@example.cn>"), at=timezone.now())
    stranger = raw_email(
        message_id="<t2@example.cn>",
        sender="someone@elsewhere.com",
        subject=f"[{first.case.reference}] hello",
    )

    result = email_receive(raw=stranger, at=timezone.now())

    assert result.is_new_case
    assert result.case != first.case


def test_unrelated_mail_opens_a_second_case() -> None:
    email_receive(raw=raw_email(message_id="<u1@example.cn>"), at=timezone.now())

    result = email_receive(raw=raw_email(message_id="<u2@example.cn>"), at=timezone.now())

    assert result.is_new_case
    assert Case.objects.count() == 2


def test_reply_to_a_merged_case_lands_on_the_case_it_was_merged_into() -> None:
    first = email_receive(raw=raw_email(message_id="<m1@example.cn>"), at=timezone.now())
    target = email_receive(raw=raw_email(message_id="<m2@example.cn>"), at=timezone.now()).case
    Case.objects.filter(pk=first.case.pk).update(merged_into=target)
    reply = raw_email(message_id="<m3@example.cn>", headers={"In-Reply-To": "<m1@example.cn>"})

    result = email_receive(raw=reply, at=timezone.now())

    assert result.case == target


def test_attachments_are_stored_on_the_message() -> None:
    raw = multipart_email(attachments=[("报价单.pdf", b"%PDF-1.4"), ("现场.jpg", b"\xff\xd8\xff")])

    email_receive(raw=raw, at=timezone.now())

    stored = Attachment.objects.order_by("pk")
    assert [(a.filename, a.size) for a in stored] == [("报价单.pdf", 8), ("现场.jpg", 3)]
    assert stored[0].file.read() == b"%PDF-1.4"


def test_oversized_attachment_is_refused_the_message_kept_and_the_sender_told(
    settings: Settings,
) -> None:
    settings.KEFU_MAX_ATTACHMENT_BYTES = 1000
    raw = multipart_email(attachments=[("small.txt", b"ok"), ("huge.zip", b"z" * 2000)])

    result = email_receive(raw=raw, at=timezone.now())

    inbound = Message.objects.get(direction=Message.Direction.INBOUND)
    notice = Message.objects.get(direction=Message.Direction.OUTBOUND)
    assert result.refused == ("huge.zip",)
    assert [a.filename for a in Attachment.objects.all()] == ["small.txt"]
    assert inbound.body.startswith("附件是现场照片和报价单。")
    assert "huge.zip" in inbound.body
    assert (notice.case, notice.channel, notice.delivery_status) == (result.case, "email", "queued")
    assert "huge.zip" in notice.body
    assert "1000" in notice.body
    assert notice.author is None


def test_unreadable_mail_is_quarantined_whole_and_reported() -> None:
    garbage = b"\x00\x01 this is not mail \xff\xfe"

    with pytest.raises(MessageQuarantinedError) as caught:
        email_ingest(raw=garbage, at=timezone.now(), source="stdin")

    held = QuarantinedMessage.objects.get()
    assert caught.value.quarantine_id == held.pk
    assert caught.value.code == ChannelErrorCode.NO_SENDER
    assert bytes(held.raw) == garbage
    assert (held.channel, held.status, held.error_code, held.source) == (
        "email",
        "held",
        "no_sender",
        "stdin",
    )
    assert held.reason
    assert not Case.objects.exists()
    assert not Contact.objects.exists()


def test_empty_input_is_quarantined_as_empty() -> None:
    with pytest.raises(MessageQuarantinedError):
        email_ingest(raw=b"", at=timezone.now())

    assert QuarantinedMessage.objects.get().error_code == "empty_email"
