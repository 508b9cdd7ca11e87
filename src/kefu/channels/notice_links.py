"""The short signed link to a full notice, and what the page behind it shows.

An SMS template carries a few words; the link (``/n/<token>/``, signed with
Django's ``signing`` and opening for ``KEFU_NOTICE_LINK_DAYS``) leads to the
whole notice in the contact's language. The token names the record and the
contact it was sent to, so the page shows that contact's notice and nothing of
anyone else's; WeChat template messages may link to the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from kefu.cases.models import Message
from kefu.customers.models import Contact

SALT = "kefu.channels.notice"
INCIDENT_NOTICE = "incident_notice"
MESSAGE = "message"


class LinkExpiredError(Exception):
    """The link was genuine but is too old; ``contact`` says whose (for the language)."""

    def __init__(self, contact: Contact | None) -> None:
        super().__init__("notice link expired")
        self.contact = contact


class LinkInvalidError(Exception):
    """The link is not one kefu signed, or its notice is gone."""


@dataclass(frozen=True)
class FullNotice:
    """What the page shows: the notice as the contact reads it."""

    contact: Contact
    subject: str
    body: str
    reference: str


# One letter per kind in the token, so the link stays short enough for an SMS.
_SHORT = {INCIDENT_NOTICE: "n", MESSAGE: "m"}
_LONG = {short: kind for kind, short in _SHORT.items()}


def notice_token(*, source: str, contact_id: int) -> str:
    """The signed token of ``source`` ("incident_notice:12", "message:34") for one contact."""
    kind, _sep, record = source.partition(":")
    return signing.dumps([_SHORT.get(kind, kind), int(record), contact_id], salt=SALT)


def notice_url(*, source: str, contact_id: int) -> str:
    """The absolute link to the full notice (``KEFU_SITE_URL`` + ``/n/<token>/``)."""
    base: str = settings.SITE_URL
    return f"{base.rstrip('/')}/n/{notice_token(source=source, contact_id=contact_id)}/"


def notice_read(token: str) -> FullNotice:
    """The notice behind ``token``; raises ``LinkExpiredError`` or ``LinkInvalidError``."""
    max_age = timedelta(days=int(settings.KEFU_NOTICE_LINK_DAYS))
    try:
        kind, record, contact_id = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        try:
            _kind, _record, contact_id = signing.loads(token, salt=SALT)
        except (signing.BadSignature, ValueError, TypeError):
            raise LinkExpiredError(None) from None
        raise LinkExpiredError(Contact.objects.filter(pk=contact_id).first()) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalidError from None
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise LinkInvalidError
    if _LONG.get(kind) == INCIDENT_NOTICE:
        return _incident_notice(record, contact)
    if _LONG.get(kind) == MESSAGE:
        return _message(record, contact)
    raise LinkInvalidError


def _incident_notice(notice_id: int, contact: Contact) -> FullNotice:
    from kefu.incidents.models import Delivery

    # Only a notice that was addressed to this contact.
    row = (
        Delivery.objects.filter(notice_id=notice_id, contact=contact)
        .select_related("notice__incident")
        .first()
    )
    if row is None:
        raise LinkInvalidError
    notice = row.notice
    return FullNotice(
        contact=contact,
        subject=notice.subject_in(contact.language),
        body=notice.body_in(contact.language),
        reference=notice.incident.reference,
    )


def _message(message_id: int, contact: Contact) -> FullNotice:
    message = (
        Message.objects.filter(pk=message_id, direction=Message.Direction.OUTBOUND)
        .select_related("case")
        .first()
    )
    if message is None or (message.contact_id or message.case.contact_id) != contact.pk:
        raise LinkInvalidError
    return FullNotice(
        contact=contact, subject="", body=message.body, reference=message.case.reference
    )
