"""Draft readings: what good listening and good order look like in a reply. Pure: no Django.

Three readings of an agent's draft, shown to the agent as suggestions (never
flags, never scored):

- ``acknowledgement``: a short sign of listening ("嗯", "是的", "我明白您的意思",
  "I see", "I understand what you mean");
- ``restatement``: the customer's concern said back in the agent's words
  ("您的意思是……对吗", "if I understand correctly") or, without such a phrase,
  the draft repeating the key terms of the customer's message;
- ``order``: cause, then solution, then steps (问题原因 → 解决方案 → 操作步骤).

Each reading is ``present`` or not; a missing one comes with a short hint in
the agent's language and a phrase to start from. The word lists are below, in
Chinese and English (docs/assist.md, "Draft readings").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from kefu.assist.engine.text import CJK, as_text, language_of


class ReadingCode(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    RESTATEMENT = "restatement"
    ORDER = "order"


class Part(StrEnum):
    CAUSE = "cause"
    SOLUTION = "solution"
    STEPS = "steps"


# -- word lists -------------------------------------------------------------------------

ACKNOWLEDGEMENT_ZH: tuple[str, ...] = (
    "嗯",
    "是的",
    "好的",
    "明白",
    "我明白您的意思",
    "我理解您的意思",
    "我听明白了",
    "收到",
    "了解",
    "对的",
)
ACKNOWLEDGEMENT_EN: tuple[str, ...] = (
    "i see",
    "i understand",
    "understood",
    "i hear you",
    "got it",
    "yes,",
    "right,",
    "i know what you mean",
    "i understand what you mean",
    "that makes sense",
)
RESTATEMENT_ZH: tuple[str, ...] = (
    "您的意思是",
    "您是说",
    "您说的是",
    "您提到",
    "您反映的",
    "您遇到的",
    "为了确保我理解无误",
    "如果我理解没错",
    "我确认一下",
    "对吗",
    "是吗",
)
RESTATEMENT_EN: tuple[str, ...] = (
    "you mean",
    "you mentioned",
    "you said",
    "you are saying",
    "you're saying",
    "if i understand correctly",
    "if i understand you correctly",
    "to make sure i understand",
    "as i understand it",
    "let me confirm",
    "is that right",
    "is that correct",
)
PART_WORDS: dict[Part, dict[str, tuple[str, ...]]] = {
    Part.CAUSE: {
        "zh": ("原因是", "原因", "是因为", "因为", "由于", "起因", "出现这个问题"),
        "en": ("because", "the cause", "the reason", "caused by", "due to", "this happened"),
    },
    Part.SOLUTION: {
        "zh": ("解决方案", "解决办法", "我们可以", "我们会", "我们将", "为您", "建议您", "方案"),
        "en": ("we can", "we will", "we'll", "the solution", "the fix", "we suggest", "to fix"),
    },
    Part.STEPS: {
        "zh": ("步骤", "第一步", "首先", "然后", "接着", "最后", "第二步", "操作如下", "1."),
        "en": ("step", "first,", "then", "next,", "finally", "1.", "as follows"),
    },
}

HINTS: dict[ReadingCode, dict[str, str]] = {
    ReadingCode.ACKNOWLEDGEMENT: {
        "zh": "可以先用一句简短的回应表示在听，例如“是的，我明白您的意思。”",
        "en": "A short sign of listening could open the reply, such as “I see what you mean.”",
    },
    ReadingCode.RESTATEMENT: {
        "zh": "可以用自己的话复述一下客户的问题，并请客户确认，例如“您的意思是……，对吗？”",
        "en": "You could restate the customer's concern in your words and ask them to "
        "confirm: “If I understand correctly, …, is that right?”",
    },
    ReadingCode.ORDER: {
        "zh": "可以按“问题原因 → 解决方案 → 操作步骤”的顺序来写，客户更容易跟上。",
        "en": "Saying it in order (the cause, then the solution, then the steps) is "
        "easier to follow.",
    },
}
STARTERS: dict[ReadingCode, dict[str, str]] = {
    ReadingCode.ACKNOWLEDGEMENT: {"zh": "是的，我明白您的意思。", "en": "I see what you mean."},
    ReadingCode.RESTATEMENT: {
        "zh": "您的意思是……，对吗？",
        "en": "If I understand correctly, …, is that right?",
    },
    ReadingCode.ORDER: {
        "zh": "原因是……。我们可以……。具体步骤：第一步……",
        "en": "The cause is … We can … The steps: first, …",
    },
}

# Terms of the customer's message that a restatement repeats: Chinese pairs of
# characters (a stand-in for words), English words of four letters or more.
_STOP_PAIRS = frozenset({"我们", "你们", "您的", "我的", "一个", "这个", "那个", "什么", "怎么"})
_STOP_WORDS = frozenset({"this", "that", "with", "have", "your", "what", "when", "there"})
_EN_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class DraftReading:
    """One reading of a draft: present or not; when not, a hint and a phrase to start from."""

    code: ReadingCode
    present: bool
    hint: str = ""
    starter: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class DraftReadings:
    readings: tuple[DraftReading, ...] = field(default_factory=tuple)

    def get(self, code: ReadingCode) -> DraftReading:
        return next(r for r in self.readings if r.code == code)

    @property
    def suggestions(self) -> list[DraftReading]:
        """The readings not yet present: what the panel suggests."""
        return [r for r in self.readings if not r.present]


def _find(lowered: str, word: str) -> int:
    if not word.isascii():
        return lowered.find(word)
    # English words whole ("i see" is not in "i seem"); a trailing mark stays literal.
    edge = r"\b" if word[-1].isalnum() else ""
    match = re.search(r"(?<![a-z])" + re.escape(word) + edge, lowered)
    return match.start() if match else -1


def _first(text: str, words: Iterable[str]) -> tuple[int, str] | None:
    lowered = text.lower()
    found = [(at, w) for w in words if w and (at := _find(lowered, w)) >= 0]
    return min(found) if found else None


def _terms(text: str) -> set[str]:
    lowered = text.lower()
    pairs = {
        lowered[i : i + 2]
        for i in range(len(lowered) - 1)
        if CJK.match(lowered[i]) and CJK.match(lowered[i + 1])
    }
    words = set(_EN_WORD.findall(lowered))
    return (pairs - _STOP_PAIRS) | (words - _STOP_WORDS)


def _restates(draft: str, customer_text: str, lang: str) -> str:
    phrase = _first(draft, RESTATEMENT_EN if lang == "en" else RESTATEMENT_ZH)
    if phrase is None:
        phrase = _first(draft, RESTATEMENT_ZH if lang == "en" else RESTATEMENT_EN)
    if phrase is not None:
        return phrase[1]
    wanted = _terms(customer_text)
    if len(wanted) < 2:
        return ""
    shared = wanted & _terms(draft)
    # Three shared terms, or a third of the customer's, read as their concern said back.
    if len(shared) >= min(3, max(2, len(wanted) // 3)):
        return "、".join(sorted(shared)[:3])
    return ""


def _order(draft: str) -> tuple[bool, str]:
    positions: dict[Part, int] = {}
    for part, words in PART_WORDS.items():
        hit = _first(draft, words["zh"] + words["en"])
        if hit is not None:
            positions[part] = hit[0]
    if len(positions) < 2:
        return False, ""
    ordered = sorted(positions, key=lambda part: positions[part])
    canonical = [p for p in Part if p in positions]
    return ordered == canonical and len(positions) == 3, " → ".join(p.value for p in ordered)


def draft_readings(
    text: object, *, customer_text: object = "", language: str = "zh-hans"
) -> DraftReadings:
    """Read ``text`` (an agent's draft) for acknowledgement, restatement and order.

    ``customer_text`` is the customer's latest message (the concern a restatement
    repeats); ``language`` is the agent's interface language, used for the hints.
    An empty draft has every reading absent. Never raises on odd input.
    """
    # Callers outside typed code (JSON, forms) must never make the coach raise.
    draft, customer = as_text(text), as_text(customer_text)
    ui = "en" if str(language).lower().startswith("en") else "zh"
    lang = {"en": "en"}.get(language_of(draft), "zh")
    found: list[DraftReading] = []
    acknowledged = _first(draft, ACKNOWLEDGEMENT_ZH + ACKNOWLEDGEMENT_EN) if draft.strip() else None
    restated = _restates(draft, customer, lang) if draft.strip() else ""
    in_order, evidence = _order(draft) if draft.strip() else (False, "")
    for code, present, seen in (
        (
            ReadingCode.ACKNOWLEDGEMENT,
            acknowledged is not None,
            acknowledged[1] if acknowledged else "",
        ),
        (ReadingCode.RESTATEMENT, bool(restated), restated),
        (ReadingCode.ORDER, in_order, evidence),
    ):
        found.append(
            DraftReading(
                code=code,
                present=present,
                hint="" if present else HINTS[code][ui],
                starter="" if present else STARTERS[code][lang],
                evidence=seen,
            )
        )
    return DraftReadings(readings=tuple(found))
