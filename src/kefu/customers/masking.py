"""Masking personal data for display, exports and the audit log. Pure: no Django.

A masked value keeps enough to recognise a record ("138****5678") and never
enough to contact or identify the person. Short values are masked almost
entirely, because keeping three and four characters of a seven-digit number
would reveal it.
"""

from __future__ import annotations

MASK = "*"
# Mainland China's country code, written as +86 or 0086 in front of the national number.
_CHINA_PREFIXES = ("+86", "0086")
_CHINA_MOBILE_LENGTH = 11


def _mask_middle(text: str, *, head: int, tail: int) -> str:
    hidden = len(text) - head - tail
    return text[:head] + MASK * hidden + text[len(text) - tail :]


def _mask_short(text: str) -> str:
    """Hide all but the last two characters, or everything when under five long."""
    if len(text) < 5:
        return MASK * len(text)
    return _mask_middle(text, head=0, tail=2)


def mask_phone(phone: str) -> str:
    """``"+8613812345678"`` → ``"138****5678"``; ``"+442079460958"`` → ``"+442*****0958"``.

    Numbers are stored in E.164 (``phones``) but older rows and imports may
    hold any spelling; spaces and hyphens are ignored. A mainland number
    (``+86``/``0086``) is masked in its national form, as people read it: a
    mobile as ``138****5678``, a landline with its leading 0 (``021****5678``).
    Numbers of 11 or more digits keep their first three and last four digits;
    shorter ones keep only the last two; under five digits nothing is kept.
    The empty string stays empty.
    """
    compact = "".join(ch for ch in phone.strip() if ch not in " -()")
    if not compact:
        return ""
    for prefix in _CHINA_PREFIXES:
        rest = compact.removeprefix(prefix)
        if rest != compact and rest.isdigit():
            # A mobile starts with 1; anything else is a landline read with its trunk 0.
            national = rest if len(rest) == _CHINA_MOBILE_LENGTH and rest[0] == "1" else "0" + rest
            return mask_phone(national)
    plus = "+" if compact.startswith("+") else ""
    digits = compact.removeprefix("+")
    if len(digits) >= _CHINA_MOBILE_LENGTH:
        return plus + _mask_middle(digits, head=3, tail=4)
    return plus + _mask_short(digits)


def mask_id_number(id_number: str) -> str:
    """``"110101199003071234"`` → ``"110***********1234"``.

    Values of eight or more characters keep the first three (the province and
    city) and the last four; shorter ones keep at most the last two.
    """
    value = id_number.strip()
    if len(value) >= 8:
        return _mask_middle(value, head=3, tail=4)
    return _mask_short(value)


def mask_email(email: str) -> str:
    """``"zhang.wei@example.com"`` → ``"z***@example.com"``; no ``@`` → ``"***"``."""
    value = email.strip()
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return MASK * 3
    return f"{local[0]}{MASK * 3}@{domain}"


def is_masked(value: str) -> bool:
    """Whether ``value`` looks like the output of one of the masks above."""
    return MASK in value
