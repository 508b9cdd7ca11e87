"""Signing in to the portal without a password: a one-time code, then a portal session.

A customer gives an e-mail address or a mobile number. A six-digit code is
made, only its keyed hash (HMAC with the site's secret) is stored, and it is
sent to that address; it works once, for ``CODE_MINUTES``, and at most
``MAX_ATTEMPTS`` wrong tries. The answer is the same whether the address
belongs to a contact or not: a row is stored either way (without a contact) and
counts towards the same limit of ``CODES_PER_HOUR`` per address or number, so
neither the page nor the limit tells who is a customer.

A portal session is a random key in its own cookie, stored hashed, expiring
after ``SESSION_HOURS``; it is not a staff login and opens no desk page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.forms import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import DomainError, RateLimitedError
from kefu.customers.models import Contact
from kefu.customers.phones import phone_e164_or_none, phone_match_keys
from kefu.portal.errors import PortalErrorCode
from kefu.portal.models import PortalSession, SignInCode

logger = logging.getLogger(__name__)

CODE_MINUTES = 10
CODES_PER_HOUR = 5
MAX_ATTEMPTS = 5
SESSION_HOURS = 12
_HMAC_SALT = "kefu.portal.sign_in_code"


@dataclass(frozen=True)
class CodeRequest:
    """What was asked for: the channel, the normalised address, the contact (or None)."""

    channel: str
    address: str
    contact: Contact | None
    code: str


def address_normalise(*, channel: str, address: str) -> str:
    """The address as codes are kept under it: a lower-case e-mail or an E.164 number.

    Raises ``DomainError`` (``bad_address``) for text that is neither.
    """
    text = address.strip()
    if channel == SignInCode.Channel.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise DomainError(
                PortalErrorCode.BAD_ADDRESS, _("Enter an e-mail address such as li@example.com.")
            ) from None
        return text.lower()
    if channel == SignInCode.Channel.SMS:
        number = phone_e164_or_none(text)
        if number is None or not number.startswith("+"):
            raise DomainError(
                PortalErrorCode.BAD_ADDRESS, _("Enter a mobile number such as 138 0013 8000.")
            )
        return number
    raise DomainError(PortalErrorCode.BAD_ADDRESS, _("Choose e-mail or SMS."))


def _contact_for(channel: str, address: str) -> Contact | None:
    contacts = Contact.objects.filter(is_active=True).order_by("pk")
    if channel == SignInCode.Channel.EMAIL:
        return contacts.filter(email__iexact=address).first()
    return contacts.filter(phone__in=phone_match_keys(address)).first()


def _code_hash(address: str, code: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{address}\n{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def code_request(*, channel: str, address: str, at: datetime) -> CodeRequest:
    """Make a sign-in code for ``address`` and keep its hash; the caller sends it.

    Raises ``RateLimitedError`` (``too_many_codes``) after ``CODES_PER_HOUR``
    codes for the same address or number within an hour, whether or not it is
    a contact's. ``contact`` is None when nobody has that address: the caller
    sends nothing but answers exactly as when it sends.
    """
    normalised = address_normalise(channel=channel, address=address)
    recent = SignInCode.objects.filter(
        address=normalised, created_at__gt=at - timedelta(hours=1)
    ).count()
    if recent >= CODES_PER_HOUR:
        raise RateLimitedError(
            PortalErrorCode.TOO_MANY_CODES,
            _("Too many codes were asked for this address; try again in an hour."),
        )
    contact = _contact_for(channel, normalised)
    code = f"{secrets.randbelow(1_000_000):06d}"
    # A new code replaces the older ones: only the latest can sign in.
    SignInCode.objects.filter(address=normalised, used_at__isnull=True).update(used_at=at)
    SignInCode.objects.create(
        channel=channel,
        address=normalised,
        contact=contact,
        code_hash=_code_hash(normalised, code),
        created_at=at,
        expires_at=at + timedelta(minutes=CODE_MINUTES),
    )
    return CodeRequest(channel=channel, address=normalised, contact=contact, code=code)


def _bad_code() -> DomainError:
    return DomainError(
        PortalErrorCode.BAD_CODE,
        _("That code is not right or no longer valid. Check it, or ask for a new one."),
    )


def code_verify(*, channel: str, address: str, code: str, at: datetime) -> Contact:
    """The contact ``code`` signs in, using the code up.

    Raises ``DomainError`` (``bad_code``), in one wording, for a wrong, used,
    expired or over-tried code and for an address that is nobody's. Not one
    transaction: a wrong try must stay counted although the call raises.
    """
    try:
        normalised = address_normalise(channel=channel, address=address)
    except DomainError:
        raise _bad_code() from None
    row = (
        SignInCode.objects.filter(
            address=normalised, channel=channel, used_at__isnull=True, expires_at__gt=at
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None or row.failed_attempts >= MAX_ATTEMPTS:
        raise _bad_code()
    if not constant_time_compare(row.code_hash, _code_hash(normalised, code.strip())):
        SignInCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        raise _bad_code()
    # Compare-and-swap: two tabs sending the same code sign in once.
    used = SignInCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=at)
    if used != 1 or row.contact is None or not row.contact.is_active:
        raise _bad_code()
    return row.contact


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def session_start(*, contact: Contact, at: datetime) -> str:
    """Open a portal session for ``contact``; returns the key for the cookie (kept hashed)."""
    key = secrets.token_urlsafe(32)
    PortalSession.objects.create(
        key_hash=_key_hash(key),
        contact=contact,
        created_at=at,
        expires_at=at + timedelta(hours=SESSION_HOURS),
    )
    return key


def session_end(*, key: str, at: datetime) -> None:
    """Sign the session of ``key`` out (nothing if it is unknown or already over)."""
    PortalSession.objects.filter(key_hash=_key_hash(key), ended_at__isnull=True).update(ended_at=at)


def session_contact(*, key: str, at: datetime) -> Contact | None:
    """The contact of a live session ``key``; None when unknown, signed out or expired."""
    if not key:
        return None
    session = (
        PortalSession.objects.select_related("contact__organisation")
        .filter(key_hash=_key_hash(key), ended_at__isnull=True, expires_at__gt=at)
        .first()
    )
    if session is None or not session.contact.is_active:
        return None
    return session.contact
