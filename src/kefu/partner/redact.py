"""Personal data out of what leaves kefu, and back into what returns. Pure: no Django.

Before a prompt goes to a language model, every phone number, ID (身份证) number,
e-mail address and bank card number in it is replaced by a placeholder such as
``[PHONE_1]``; the same value gets the same placeholder wherever it appears. The
model's answer has the placeholders put back. An answer is refused when it holds
a placeholder it was not given, or personal data of its own (a phone number it
invented, an ID or card number): what reaches an agent's reply box was either
written by the model from redacted text or was in the case already.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    PHONE = "PHONE"
    ID_NUMBER = "ID"
    EMAIL = "EMAIL"
    BANK_CARD = "CARD"


class Refusal(Enum):
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
    INVENTED_PERSONAL_DATA = "invented_personal_data"


# Order matters: e-mail first (its digits are not a phone number), ID numbers
# before card numbers (both are long runs of digits), phone numbers last.
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.EMAIL,
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ),
    (
        # Resident ID: region, birth date (18xx-20xx), sequence, check digit or X.
        Kind.ID_NUMBER,
        re.compile(
            r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
            r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
        ),
    ),
    (
        # 16 to 19 digits, written in one run or in groups with spaces or hyphens.
        Kind.BANK_CARD,
        re.compile(r"(?<![\d])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\d])"),
    ),
    (
        Kind.PHONE,
        re.compile(
            r"(?<![\d+])(?:"
            # A mainland mobile, with or without +86 / 0086, in any grouping.
            r"(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"
            # A landline with its area code (010-12345678, 0755 1234 5678).
            r"|0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}"
            # A toll-free or service number (400-820-8820).
            r"|[48]00[ -]?\d{3}[ -]?\d{4}"
            # Any other number in international form.
            r"|\+\d{1,3}[ -]?\d(?:[ -]?\d){6,13}"
            r")(?![\d])"
        ),
    ),
)

_PLACEHOLDER = re.compile(r"\[(PHONE|ID|EMAIL|CARD)_(\d+)\]")


@dataclass(frozen=True)
class Found:
    kind: Kind
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Redaction:
    """The texts with placeholders, and which placeholder stands for which value."""

    texts: tuple[str, ...]
    placeholders: tuple[tuple[str, str], ...]

    def mapping(self) -> dict[str, str]:
        return dict(self.placeholders)

    def count(self, kind: Kind) -> int:
        return sum(1 for name, _ in self.placeholders if name.startswith(f"[{kind.value}_"))


@dataclass(frozen=True)
class Restored:
    """The answer with its values back (``text``), or why it is refused."""

    text: str
    refusal: Refusal | None = None
    detail: str = ""


def _key(kind: Kind, value: str) -> tuple[Kind, str]:
    if kind is Kind.EMAIL:
        return kind, value.lower()
    digits = "".join(ch for ch in value if ch.isdigit() or ch in "Xx").upper()
    if kind is Kind.PHONE:
        digits = digits.removeprefix("0086").removeprefix("86") if len(digits) > 11 else digits
    return kind, digits


def find_personal_data(text: str) -> list[Found]:
    """Every phone number, ID number, e-mail address and card number in ``text``,
    in reading order, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Found(kind, start, end, match.group()))
    return sorted(found, key=lambda item: item.start)


def redact(texts: Sequence[str]) -> Redaction:
    """``texts`` with each piece of personal data replaced by its placeholder."""
    names: dict[tuple[Kind, str], str] = {}
    placeholders: list[tuple[str, str]] = []
    counters: dict[Kind, int] = {}
    out: list[str] = []
    for text in texts:
        pieces: list[str] = []
        position = 0
        for item in find_personal_data(text):
            key = _key(item.kind, item.value)
            name = names.get(key)
            if name is None:
                counters[item.kind] = counters.get(item.kind, 0) + 1
                name = f"[{item.kind.value}_{counters[item.kind]}]"
                names[key] = name
                placeholders.append((name, item.value))
            pieces.append(text[position : item.start])
            pieces.append(name)
            position = item.end
        pieces.append(text[position:])
        out.append("".join(pieces))
    return Redaction(texts=tuple(out), placeholders=tuple(placeholders))


def restore(answer: str, placeholders: dict[str, str]) -> Restored:
    """The model's ``answer`` with the placeholders it was given put back.

    Refused (``refusal`` set, ``text`` empty) when the answer holds a
    placeholder not in ``placeholders``, or personal data outside any
    placeholder: the model made it up.
    """
    for match in _PLACEHOLDER.finditer(answer):
        if match.group() not in placeholders:
            return Restored("", Refusal.UNKNOWN_PLACEHOLDER, match.group())
    bare = _PLACEHOLDER.sub(" ", answer)
    invented = find_personal_data(bare)
    if invented:
        return Restored("", Refusal.INVENTED_PERSONAL_DATA, invented[0].kind.value)
    text = _PLACEHOLDER.sub(lambda match: placeholders[match.group()], answer)
    return Restored(text)
