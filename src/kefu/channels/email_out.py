"""Sending an outbound message by email (Django's mail, so SMTP in production).

Each mail threads back two ways: In-Reply-To and References name the
customer's last inbound Message-ID on the case, and the subject carries the
case reference, which ``email_in`` also recognises. Message-IDs carry a keyed
token, not the message's number, so they cannot be guessed (``email_in`` also
checks the sender before threading).
"""

from __future__ import annotations

import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.crypto import salted_hmac

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Case, Message
from kefu.channels.email_in import CASE_REFERENCE
from kefu.channels.email_parse import clean_line
from kefu.customers.models import Contact

# Reply and forward prefixes of common mail clients, English and Chinese.
_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)
# Clients keep only so many ids; keep the thread's first and its latest ones.
_MAX_REFERENCES = 10


def has_email(contact: Contact) -> bool:
    """Whether the contact can be reached by email."""
    return bool(contact.email)


def reply_subject(case: Case) -> str:
    """``Re: <subject> [KF-...]`` on one line, without piling up prefixes or references.

    A line break in the stored subject (from before intake cleaned them, or typed by
    an agent) becomes a space, so it can never break the mail's headers.
    """
    subject = CASE_REFERENCE.sub("", _PREFIX.sub("", clean_line(case.subject)))
    subject = re.sub(r"\[\s*\]", "", subject).strip() or case.reference
    return f"Re: {subject} [{case.reference}]"


def thread_ids(case: Case) -> tuple[str, list[str]]:
    """The customer's last inbound Message-ID on ``case`` and the References list ending in it.

    Returns ``("", [])`` when the customer never wrote by email.
    """
    ids = list(
        Message.objects.filter(case=case, channel="email", external_id__startswith="<")
        .exclude(direction=Message.Direction.NOTE)
        .order_by("created_at", "id")
        .values_list("direction", "external_id")
    )
    inbound = [
        index
        for index, (direction, _id) in enumerate(ids)
        if direction == Message.Direction.INBOUND
    ]
    if not inbound:
        return "", []
    references = [str(external_id) for _direction, external_id in ids[: inbound[-1] + 1]]
    if len(references) > _MAX_REFERENCES:
        references = [references[0], *references[-(_MAX_REFERENCES - 1) :]]
    return references[-1], references


def outbound_message_id(message: Message) -> str:
    """The Message-ID of ``message``: ``<kefu.TOKEN@KEFU_EMAIL_DOMAIN>``.

    TOKEN is 128 bits of an HMAC of the message's id under the secret key: nobody
    without the key can guess another case's ids (they used to be sequential), and
    a resend after a worker died carries the same id, so mail clients and servers
    that deduplicate show it once.
    """
    token = salted_hmac(
        "kefu.channels.email_out.message_id", str(message.pk), algorithm="sha256"
    ).hexdigest()[:32]
    return f"<kefu.{token}@{settings.KEFU_EMAIL_DOMAIN}>"


def send_email(message: Message) -> str:
    """Deliver ``message`` by email; returns its Message-ID (stored as ``external_id``)."""
    case = message.case
    contact = message.contact or case.contact
    if not contact.email:
        raise DeliveryError(
            "the contact has no email address", permanent=True, code=FailureCode.NO_ADDRESS
        )
    message_id = outbound_message_id(message)
    headers = {"Message-ID": message_id}
    parent, references = thread_ids(case)
    if parent:
        headers["In-Reply-To"] = parent
        headers["References"] = " ".join(references)
    if message.author_id is None:
        # Automatic notices: tells auto-responders not to answer (RFC 3834).
        headers["Auto-Submitted"] = "auto-generated"
    mail = EmailMessage(
        subject=reply_subject(case),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        headers=headers,
    )
    _attach_files(mail, message)
    _send(mail)
    return message_id


def _attach_files(mail: EmailMessage, message: Message) -> None:
    """Attach the message's files (a reply's, cases.services.files) under their names."""
    for attachment in message.attachments.all():
        try:
            with attachment.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError) as exc:
            raise DeliveryError(
                f"attachment {attachment.pk} cannot be read: {exc}", permanent=True
            ) from exc
        mail.attach(attachment.filename, content, attachment.content_type)


def _send(mail: EmailMessage) -> None:
    try:
        mail.send(fail_silently=False)
    except ValueError as exc:
        # BadHeaderError or an address Django cannot write: resending cannot help.
        raise DeliveryError(f"the mail cannot be written: {exc}", permanent=True) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            f"recipient refused: {exc}", permanent=True, code=FailureCode.REFUSED
        ) from exc
    except smtplib.SMTPResponseException as exc:
        # 5xx is a final answer from the server; 4xx asks to try again later.
        raise DeliveryError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP unavailable: {exc}", permanent=False) from exc


def send_email_notice(notice: Notice) -> str:
    """Deliver a notice that belongs to no case; its Message-ID derives from the
    notice's key, so a resend after a crash carries the same id."""
    if not notice.contact.email:
        raise DeliveryError(
            "the contact has no email address", permanent=True, code=FailureCode.NO_ADDRESS
        )
    key = re.sub(r"[^A-Za-z0-9.-]", "-", notice.key)
    message_id = f"<{key}@{settings.KEFU_EMAIL_DOMAIN}>"
    mail = EmailMessage(
        subject=clean_line(f"{notice.subject} [{notice.reference}]"),
        body=notice.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.contact.email],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    _send(mail)
    return message_id
