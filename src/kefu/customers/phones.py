"""Phone numbers in one spelling: E.164 (``+8613800138000``), read with ``phonenumbers``.

Pure: no Django import. A Chinese mobile typed as ``138 0013 8000``,
``+86 138 0013 8000`` or ``0086 13800138000`` is one number, ``+8613800138000``;
a landline with its area code (``010-8888 6666``) is ``+861088886666``. Short
service numbers valid in the region (``95588``, ``10086``) have no E.164 form
and are kept as their digits.

Callers store and match the E.164 form and show people ``phone_display`` (the
national format, ``138 0013 8000``, for numbers of the region; the international
one otherwise). Error reasons are codes; the caller words them in the user's
language and never repeats the number (it may end up in logs).
"""

from __future__ import annotations

import enum
import re

DEFAULT_REGION = "CN"
# An international prefix typed as 00 (0086 ...) is read by phonenumbers for CN;
# "+" anywhere but first is a typing error, never silently dropped.
_ALLOWED = re.compile(r"\(?\+?[\d\s().\-/]+")


class PhoneProblem(enum.Enum):
    """Why a text is not a phone number."""

    NOT_A_NUMBER = "not_a_number"
    INVALID = "invalid"


class PhoneNumberError(ValueError):
    """``raw`` is not a phone number; ``problem`` says why (never the number)."""

    def __init__(self, problem: PhoneProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def phone_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """The E.164 spelling of ``raw`` (``+8613800138000``), read as a number of ``region``.

    Spaces, hyphens, dots, slashes and brackets are ignored; ``+`` or ``00``
    starts a country code. A short service number valid in ``region`` is
    returned as its digits (``95588``). Raises ``PhoneNumberError`` for empty
    text, letters, or a number that cannot exist (``NOT_A_NUMBER`` or
    ``INVALID``). Callers treat an empty field as "no phone" before calling.
    """
    import phonenumbers

    text = raw.strip()
    if not text or not _ALLOWED.fullmatch(text):
        raise PhoneNumberError(PhoneProblem.NOT_A_NUMBER)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneNumberError(PhoneProblem.NOT_A_NUMBER) from None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.lstrip("(").startswith(
        ("+", "00")
    ) and phonenumbers.is_valid_short_number_for_region(phonenumbers.parse(digits, region), region):
        return digits
    raise PhoneNumberError(PhoneProblem.INVALID)


def phone_e164_or_none(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """``phone_e164(raw)``, or ``None`` where ``raw`` is not a phone number."""
    try:
        return phone_e164(raw, region)
    except PhoneNumberError:
        return None


def phone_display(stored: str, region: str = DEFAULT_REGION) -> str:
    """How people read a stored number: ``138 0013 8000`` for the region, ``+44 20 …`` abroad.

    A value that does not parse (an old row the migration could not read) is
    returned as it is, so nothing is hidden from the person reading it.
    """
    import phonenumbers

    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, region)
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_match_keys(raw: str, region: str = DEFAULT_REGION) -> list[str]:
    """The stored spellings that ``raw`` may match, best first, without duplicates.

    The E.164 form where ``raw`` parses, then the spellings rows stored before
    numbers were normalised may hold (``8613800138000``, ``008613800138000``,
    the national ``13800138000`` or ``01088886666``), then the typed digits (with
    a leading ``+`` kept), so rows that could not be normalised are still found.
    Empty for text with no digit.
    """
    import phonenumbers

    keys: list[str] = []
    e164 = phone_e164_or_none(raw, region)
    if e164:
        keys.append(e164)
        if e164.startswith("+"):
            number = phonenumbers.parse(e164)
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            keys += [e164[1:], "00" + e164[1:], "".join(ch for ch in national if ch.isdigit())]
    text = raw.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        keys += ["+" + digits if text.startswith("+") else digits, digits]
    return list(dict.fromkeys(key for key in keys if key))


def same_phone(first: str, second: str, region: str = DEFAULT_REGION) -> bool:
    """Whether two spellings are one number (``138 0013 8000`` and ``+8613800138000``);
    values that do not parse are equal only as they are written."""
    if not first or not second:
        return False
    return first == second or (
        (phone_e164_or_none(first, region) or first)
        == (phone_e164_or_none(second, region) or second)
    )
