"""Finding or creating the contact behind an inbound message.

A channel meets senders nobody has entered yet; they become contacts
without an organisation, and an agent links them later. Every creation is
audited with the channel it came from (no phone numbers in the log).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from kefu.channels.email_parse import has_chinese
from kefu.core.audit import audit_record
from kefu.core.models import User
from kefu.customers.internal import internal_contact_for
from kefu.customers.models import Contact
from kefu.customers.phones import phone_display, phone_e164_or_none, phone_match_keys


def guess_language(text: str) -> str:
    """``zh-hans`` when ``text`` holds Chinese characters, else ``en``."""
    return "zh-hans" if has_chinese(text) else "en"


def _contact_create(
    *,
    at: datetime,
    source: str,
    name: str,
    language: str,
    email: str = "",
    phone: str = "",
    im_handle: str = "",
) -> Contact:
    contact = Contact.objects.create(
        organisation=None,
        name=name.strip()[:100],
        email=email,
        phone=phone,
        im_handle=im_handle,
        language=language,
        preferred_channels=[source],
        created_at=at,
    )
    after: dict[str, object] = {"source": source, "language": language}
    if email:
        after["email"] = email
    audit_record(actor=None, action="contact.created", target=contact, at=at, after=after)
    return contact


@transaction.atomic
def contact_for_sender(*, email: str, name: str, text: str, at: datetime) -> Contact:
    """The contact with this email address (active ones first), or a new one.

    A new contact is named from the sender's display name (else the address's
    local part) and speaks Chinese when ``name`` or ``text`` holds Chinese. A member
    of staff's address gives their internal-customer contact.
    """
    # Nearly every sender is a customer: ask for the id alone, read the colleague
    # only when there is one.
    staff_ids = list(
        User.objects.filter(email__iexact=email, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:1]
    )
    if staff_ids:
        staff = User.objects.get(pk=staff_ids[0])
        # A colleague writing from their company address is an internal customer.
        return internal_contact_for(staff, at=at)
    existing = Contact.objects.filter(email__iexact=email).order_by("-is_active", "pk").first()
    if existing is not None:
        return existing
    return _contact_create(
        at=at,
        source="email",
        name=name or email.partition("@")[0],
        email=email,
        language=guess_language(f"{name}\n{text}"),
    )


@transaction.atomic
def contact_for_im_handle(
    *, handle: str, name: str, language: str | None, text: str, at: datetime
) -> Contact:
    """The contact with this IM handle (active ones first), or a new one.

    ``language`` is used when it is one kefu speaks; otherwise it is guessed
    from ``name`` and ``text``.
    """
    existing = Contact.objects.filter(im_handle=handle).order_by("-is_active", "pk").first()
    if existing is not None:
        return existing
    known = {code for code, _label in settings.LANGUAGES}
    if language not in known:
        language = guess_language(f"{name}\n{text}")
    return _contact_create(
        at=at, source="chat", name=name or handle, im_handle=handle, language=str(language)
    )


def contact_by_phone(number: str) -> Contact | None:
    """The contact whose number is ``number`` in any spelling (active ones first, then
    the one stored in E.164), or None. ``138 0013 8000``, ``+86 138 0013 8000`` and
    ``0086 13800138000`` are one number; rows the E.164 migration could not read
    are still found by their digits."""
    keys = phone_match_keys(number)
    if not keys:
        return None
    candidates = list(Contact.objects.filter(phone__in=keys).order_by("-is_active", "pk"))
    if not candidates:
        return None
    # Active first, then the best key (E.164 before the typed digits), then the oldest.
    return min(candidates, key=lambda c: (not c.is_active, keys.index(c.phone), c.pk))


@transaction.atomic
def contact_for_phone(*, number: str, at: datetime) -> Contact:
    """The contact with this phone number in any spelling (``contact_by_phone``), or a
    new one stored in E.164 (the number as given when it does not parse) and named by
    the number as people read it (``138 0013 8000``)."""
    existing = contact_by_phone(number)
    if existing is not None:
        return existing
    stored = phone_e164_or_none(number) or number.strip()
    return _contact_create(
        at=at, source="phone", name=phone_display(stored), phone=stored, language="zh-hans"
    )
