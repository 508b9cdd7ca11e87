"""Checking and normalising customer fields; shared by the services and the CSV import.

Each ``clean_*`` function returns the value as it is stored or raises
``CustomerInvalidError`` with a code and a translated reason. Reasons never
repeat a phone number, an email address or an ID number (they may end up in
logs and API responses); they do name a wrong tier, channel or language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kefu.customers.errors import CustomerErrorCode, CustomerInvalidError
from kefu.customers.models import REACHABLE_CHANNELS, Organisation, Project
from kefu.customers.phones import PhoneNumberError, PhoneProblem, phone_e164

_ID_NUMBER = re.compile(r"[0-9A-Z]{4,40}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def clean_name(value: str, *, max_length: int = 100) -> str:
    """A required name: stripped, not empty, at most ``max_length`` characters."""
    name = value.strip()
    if not name:
        raise CustomerInvalidError(CustomerErrorCode.NAME_REQUIRED, _("A name is required."))
    if len(name) > max_length:
        raise CustomerInvalidError(
            CustomerErrorCode.NAME_REQUIRED,
            _("The name is longer than %(max)s characters."),
            max=max_length,
        )
    return name


def clean_phone(value: str) -> str:
    """The number in E.164 (``+8613800138000``), read as a mainland number unless it
    starts with ``+`` or ``00``; a landline needs its area code (``010 8888 6666``).

    Spaces, hyphens and brackets are ignored. A short service number (95588) is
    kept as its digits. Empty means no phone.
    """
    if not value.strip():
        return ""
    try:
        return phone_e164(value)
    except PhoneNumberError as exc:
        if exc.problem is PhoneProblem.NOT_A_NUMBER:
            raise CustomerInvalidError(
                CustomerErrorCode.INVALID_PHONE,
                _(
                    "A phone number holds digits, spaces, dashes and brackets, "
                    "with + or 00 only in front of a country code."
                ),
            ) from None
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_PHONE,
            _(
                "This is not a phone number that can be dialled: check the digits, "
                "and give a landline with its area code (010 8888 6666)."
            ),
        ) from None


def clean_email(value: str) -> str:
    """A valid address, lower-cased so matching ignores case. Empty means no email."""
    email = value.strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_EMAIL, _("The email address is not valid.")
        ) from None
    return email


def clean_id_number(value: str) -> str:
    """An identity document number: 4 to 40 letters and digits, upper-cased."""
    id_number = value.strip().upper()
    if id_number and not _ID_NUMBER.fullmatch(id_number):
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_ID_NUMBER,
            _("The ID number must be 4 to 40 letters and digits."),
        )
    return id_number


def clean_language(value: str) -> str:
    """One of the codes in ``settings.LANGUAGES``."""
    known = [code for code, _name in settings.LANGUAGES]
    language = value.strip().lower()
    if language not in known:
        raise CustomerInvalidError(
            CustomerErrorCode.UNKNOWN_LANGUAGE,
            _("Unknown language %(language)s; use one of %(known)s."),
            language=value,
            known=", ".join(known),
        )
    return language


def clean_channels(values: Sequence[str]) -> list[str]:
    """Channels in order of preference: each a ``Channel`` value, none twice."""
    channels: list[str] = []
    for raw in values:
        channel = raw.strip().lower()
        if channel not in REACHABLE_CHANNELS:
            raise CustomerInvalidError(
                CustomerErrorCode.UNKNOWN_CHANNEL,
                _("Unknown channel %(channel)s; use %(known)s."),
                channel=raw,
                known=", ".join(REACHABLE_CHANNELS),
            )
        if channel in channels:
            raise CustomerInvalidError(
                CustomerErrorCode.DUPLICATE_CHANNEL,
                _("The channel %(channel)s is listed twice."),
                channel=channel,
            )
        channels.append(channel)
    return channels


def clean_quiet_hours(start: time | None, end: time | None) -> tuple[time | None, time | None]:
    """Both ends or neither, and not the same time. A window may span midnight."""
    if (start is None) != (end is None):
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_QUIET_HOURS,
            _("Give both ends of the quiet hours, or neither."),
        )
    if start is not None and start == end:
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_QUIET_HOURS,
            _("The quiet hours must start and end at different times."),
        )
    return start, end


def _parse_clock(text: str) -> time:
    match = _CLOCK.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_QUIET_HOURS,
            _("Write quiet hours as HH:MM-HH:MM, for example 22:00-08:00."),
        )
    return time(int(match[1]), int(match[2]))


def parse_quiet_hours(text: str) -> tuple[time | None, time | None]:
    """``"22:00-08:00"`` → ``(time(22), time(8))``; empty → ``(None, None)``."""
    if not text.strip():
        return None, None
    # Without a dash ``end`` is empty, which _parse_clock refuses with the format hint.
    start, _dash, end = text.partition("-")
    return clean_quiet_hours(_parse_clock(start), _parse_clock(end))


def format_quiet_hours(start: time | None, end: time | None) -> str:
    """The inverse of ``parse_quiet_hours``."""
    if start is None or end is None:
        return ""
    return f"{start:%H:%M}-{end:%H:%M}"


MAX_TAGS = 20
MAX_TAG_LENGTH = 40


def clean_tags(values: Sequence[str]) -> list[str]:
    """Tags trimmed and lower-cased, each once, in the order given."""
    tags: list[str] = []
    for value in values:
        tag = str(value).strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH or "," in tag:
            raise CustomerInvalidError(
                CustomerErrorCode.INVALID_TAG,
                _("A tag is at most %(max)s characters, without commas: %(tag)s"),
                max=MAX_TAG_LENGTH,
                tag=tag[:60],
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_TAG, _("At most %(max)s tags."), max=MAX_TAGS
        )
    return tags


def clean_tier(value: str) -> str:
    """An ``Organisation.Tier`` value."""
    tier = value.strip().lower()
    if tier not in Organisation.Tier.values:
        raise CustomerInvalidError(
            CustomerErrorCode.UNKNOWN_TIER,
            _("Unknown tier %(tier)s; use %(known)s."),
            tier=value,
            known=", ".join(Organisation.Tier.values),
        )
    return tier


def clean_project_status(value: str) -> str:
    """A ``Project.Status`` value."""
    if value not in Project.Status.values:
        raise CustomerInvalidError(
            CustomerErrorCode.UNKNOWN_STATUS,
            _("Unknown project status %(status)s; use %(known)s."),
            status=value,
            known=", ".join(Project.Status.values),
        )
    return value
