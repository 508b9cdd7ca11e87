"""Coaching an agent's draft, and what a reply shows of the complaint playbook.

Each flag has a stable code, a span (character offsets into the draft, end
exclusive), a short explanation in the agent's language and, where it makes
sense, a rewrite of the span. For ``missing_*`` flags the span is the empty
spot where the addition belongs and the suggestion is the phrase to insert.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu.assist.engine import polarity
from kefu.assist.engine.lexicon import Lexicon, Match, load_lexicon
from kefu.assist.engine.reader import read_customer
from kefu.assist.engine.text import (
    CJK,
    EMOJI,
    MAX_CHARS,
    as_context,
    as_text,
    language_of,
    modifiers,
    sentence_end,
)

PLAYBOOK_STEPS: tuple[str, ...] = (
    "listen",
    "empathize",
    "clarify",
    "apologize",
    "propose",
    "agree",
    "commit",
    "follow_up",
    "review",
)
FLAG_CODES: tuple[str, ...] = (
    "negative_phrasing",
    "blame_customer",
    "missing_empathy",
    "missing_apology",
    "missing_confirmation",
    "missing_commitment_time",
    "passing_the_buck",
    "emoji_overuse",
    "punctuation_overuse",
    "jargon",
    "too_long",
    "truncated",
)
_PUNCTUATION_RUN = re.compile(r"[!！?？]{2,}|。{3,}|\.{4,}")
_EMOJI_JOINERS = re.compile("[\ufe0f\u200d]")
_CLOSING = frozenset("。.!！?？;；…~～ \t\n")


@dataclass(frozen=True)
class Flag:
    """One thing the coach would change in a draft."""

    code: str
    start: int
    end: int
    message: str
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Coaching:
    """The coach's flags on a draft, and whether it has empathy and a timed commitment."""

    flags: list[Flag] = field(default_factory=list)
    empathy: bool = False
    commitment_time: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "flags": [f.to_json() for f in self.flags],
            "empathy": self.empathy,
            "commitment_time": self.commitment_time,
        }


def _ui(language: str) -> str:
    return "en" if str(language).lower().startswith("en") else "zh"


class _Draft:
    """One draft under coaching: its text, lexicon, and the language of its words."""

    def __init__(self, text: str, lexicon: Lexicon, language: str) -> None:
        self.text = text
        self.lexicon = lexicon
        self.language = language
        self.ui = _ui(language)
        read = language_of(text)
        self.lang = {"en": "en", "zh": "zh", "mixed": "zh"}.get(read, self.ui)
        self.mods = modifiers(lexicon)
        self._words: set[str] | None = None
        self._features: set[str] | None = None

    def message(self, code: str, list_name: str | None = None) -> str:
        if list_name is not None:
            words = self.lexicon[list_name]
            text = words.explanation_en if self.ui == "en" else words.explanation_zh
            if text:
                return text
        return self.lexicon.messages.get(code, {}).get(f"explanation_{self.ui}", code)

    def addition(self, code: str) -> str | None:
        phrase = self.lexicon.messages.get(code, {}).get(f"suggestion_{self.lang}")
        return phrase or None

    def matches(self, list_name: str) -> list[Match]:
        """Matches of a list not governed by a negator (不是不能 is no refusal)."""
        text = self.text
        return [
            m
            for m in self.lexicon[list_name].finditer(text)
            if self.mods.negation(text, m.start) == 0
        ]

    def has(self, list_name: str) -> bool:
        return bool(self.matches(list_name))

    def words(self) -> set[str]:
        """The draft's wording as model features (``polarity.features``), computed once."""
        if self._words is None:
            self._words = polarity.features(self.text)
        return self._words

    def features(self) -> set[str]:
        """Its wording and which coaching lists it matches, computed once."""
        if self._features is None:
            extra = ["l:" + name for name in _FEATURE_LISTS if self.has(name)]
            self._features = polarity.with_rules(self.words(), extra)
        return self._features


def _fit_case(original: str, suggestion: str) -> str:
    """ "We can't" becomes "What we can do is", keeping a capital at a sentence start."""
    if original[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _span_flags(draft: _Draft, list_name: str, code: str) -> list[Flag]:
    flags = []
    text = draft.text
    # Jargon is jargon even after "no" ("there is no ETA").
    found = list(draft.lexicon[list_name].finditer(text)) if code == "jargon" else None
    for m in found if found is not None else draft.matches(list_name):
        if code == "negative_phrasing":
            rest = text[m.end : sentence_end(text, m.end) + 1]
            # A limit said honestly next to an alternative is good practice, not negativity.
            if draft.lexicon["alternative"].search(rest) is not None:
                continue
        suggestion = m.entry.suggestion
        if suggestion is not None:
            suggestion = _fit_case(m.text, suggestion)
            if suggestion == m.text:
                suggestion = None
        flags.append(Flag(code, m.start, m.end, draft.message(code, list_name), suggestion))
    return flags


def _sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the sentences of ``text``, closing mark included."""
    spans, start = [], 0
    while start < len(text):
        end = min(sentence_end(text, start) + 1, len(text))
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    return spans


def model_gate(label: str, text: str, lexicon: Lexicon) -> bool:
    """Whether the model of ``label`` may add a flag the rules did not raise: negative
    phrasing only where ``phrasing_gate`` lets it; buck-passing not once the draft
    gives a reason and a next step (so an applied rewrite is never flagged again)."""
    if label == "negative_phrasing":
        return phrasing_gate(text, lexicon)
    if label == "passing_the_buck":
        return not (lexicon["transfer_reason"].search(text) and lexicon["next_step"].search(text))
    return True


def phrasing_gate(text: str, lexicon: Lexicon) -> bool:
    """Whether the phrasing model may flag ``text``: not when the rules already decided
    (a list phrase, even one excused by an alternative or a double negation), nor when
    the draft offers an alternative or holds one of the lists' positive rewrites (so an
    applied rewrite is never flagged again)."""
    if lexicon["negative_phrasing"].search(text) or lexicon["alternative"].search(text):
        return False
    low = text.lower()
    return not any(
        e.suggestion and e.suggestion.lower() in low for e in lexicon["negative_phrasing"].entries
    )


# The coaching lists whose matches the agent models see as features.
_FEATURE_LISTS = (
    "negative_phrasing",
    "blame_customer",
    "jargon",
    "empathy",
    "apology",
    "promise",
    "time_concrete",
    "transfer",
    "transfer_reason",
    "next_step",
    "alternative",
    "confirmation",
    "agreement",
    "proposal",
)


def draft_features(text: str, lexicon: Lexicon | None = None) -> set[str]:
    """The features the agent models read of a draft (training uses these)."""
    draft = _Draft(as_text(text)[:MAX_CHARS], lexicon or load_lexicon(), "zh-hans")
    return draft.features()


def _model_span(draft: _Draft, model: polarity.LinearModel) -> tuple[int, int] | None:
    """The sentence whose features weigh most, leading spaces left out."""
    span = model.strongest(draft.text, _sentences(draft.text))
    if span is None:
        return None
    start, end = span
    while start < end and draft.text[start].isspace():
        start += 1
    return start, end


def _second_opinion(draft: _Draft, label: str, rules: bool, gate: bool = True) -> bool:
    """The model of ``label`` on the rules' decision (``LinearModel.decide``); the
    rules alone when no model ships."""
    model = polarity.model(label)
    if model is None:
        return rules
    feats = draft.features() if model.extras else draft.words()
    return model.decide(feats, rules=rules, gate=gate)[0]


def _judged(draft: _Draft, label: str, list_name: str, found: list[Flag]) -> list[Flag]:
    """The list's flags of ``label`` as the model judges them: kept, dropped when the
    model is sure they are wrong, or, where no list names the draft's wording, one
    flag on the sentence that weighs most (with the list's explanation and the generic
    rewrite hint of the data files, if any). ``negative_phrasing`` only where
    ``phrasing_gate`` lets it."""
    if found and label == "negative_phrasing":
        return _refusals_kept(draft, label, found)
    gate = model_gate(label, draft.text, draft.lexicon)
    if not _second_opinion(draft, label, bool(found), gate):
        return []
    if found:
        return found
    model = polarity.model(label)
    if model is None:
        return []
    span = _model_span(draft, model)
    if span is None:
        return []
    start, end = span
    message = draft.message(label, list_name)
    if label == "passing_the_buck":
        # The sentence kept, the reason and the next step added before its closing mark.
        while end > start and draft.text[end - 1] in _CLOSING:
            end -= 1
        addition = draft.addition(label)
        suggestion = draft.text[start:end] + addition if addition else None
        return [Flag(label, start, end, message, suggestion)]
    return [Flag(label, start, end, message, draft.addition(label))]


def _refusals_kept(draft: _Draft, label: str, found: list[Flag]) -> list[Flag]:
    """The list's refusals unless the model is sure the draft is no refusal. Only
    an alternative excuses a refusal (in its own sentence ``_span_flags`` left it
    out already), so the model judges the draft without its other sentences that
    only promise a time: "这个我们做不到。明天下午5点前给您回复。" stays a refusal
    (docs/assist.md)."""
    text = draft.text
    spans = _sentences(text)
    kept = []
    for flag in found:
        parts = []
        for start, end in spans:
            sentence = text[start:end]
            own = start <= flag.start < end
            if own or not _only_a_time(sentence, draft.lexicon):
                parts.append(sentence)
        judged = (
            draft
            if len(parts) == len(spans)
            else _Draft("".join(parts), draft.lexicon, draft.language)
        )
        if _second_opinion(judged, label, True):
            kept.append(flag)
    return kept


def _only_a_time(sentence: str, lexicon: Lexicon) -> bool:
    """A timed commitment (a promise with a concrete time: "明天下午5点前给您回复")
    that offers no alternative. A sentence telling what was done or arranged, even
    with a time in it, is left in for the model to weigh."""
    return (
        lexicon["promise"].search(sentence) is not None
        and lexicon["time_concrete"].search(sentence) is not None
        and lexicon["alternative"].search(sentence) is None
    )


def _context_flags(draft: _Draft, context: Mapping[str, Any]) -> tuple[bool, bool]:
    """Whether the customer is upset and whether this is a complaint, from the context."""
    upset = context.get("customer_upset")
    complaint = context.get("complaint")
    customer_text = context.get("customer_text")
    if (
        isinstance(customer_text, str)
        and customer_text.strip()
        and (not isinstance(upset, bool) or not isinstance(complaint, bool))
    ):
        reading = read_customer(customer_text, None, draft.lexicon)
        if not isinstance(upset, bool):
            upset = reading.upset
        if not isinstance(complaint, bool):
            complaint = reading.complaint
    return upset is True, complaint is True


def _commitment(draft: _Draft) -> tuple[bool, Flag | None]:
    # A concrete future time in a reply is a commitment the customer can hold us to;
    # a promise without one ("我们会尽快处理") is flagged.
    text = draft.text
    for m in draft.matches("time_concrete"):
        # A time inside a question ("您是希望本周内复工，对吗？") asks; it does not promise.
        end = sentence_end(text, m.end)
        if text[end : end + 1] not in ("?", "？"):
            return True, None
    promises = draft.matches("promise")
    if not promises:
        return False, None
    first = promises[0]
    spot = sentence_end(draft.text, first.end)
    flag = Flag(
        "missing_commitment_time",
        spot,
        spot,
        draft.message("missing_commitment_time"),
        draft.addition("missing_commitment_time"),
    )
    return False, flag


def _passing_the_buck(draft: _Draft, transfer: bool) -> Flag | None:
    text = draft.text
    moves = draft.matches("transfer")
    if not moves and not transfer:
        return None
    reason = draft.lexicon["transfer_reason"].search(text) is not None
    start = moves[0].start if moves else 0
    following = draft.lexicon["next_step"].search(text[start:]) is not None
    if reason and following:
        return None
    message = draft.message("passing_the_buck", "transfer")
    addition = draft.addition("passing_the_buck") or ""
    if not moves:
        return Flag("passing_the_buck", len(text), len(text), message, addition.strip() or None)
    end = sentence_end(text, moves[0].end)
    return Flag("passing_the_buck", start, end, message, text[start:end] + addition)


def _emoji_flag(draft: _Draft) -> Flag | None:
    found = list(EMOJI.finditer(draft.text))
    if len(found) <= draft.lexicon.setting("emoji_max", 3):
        return None
    start, end = found[0].start(), found[-1].end()
    if end < len(draft.text) and _EMOJI_JOINERS.match(draft.text, end):
        end += 1
    span = draft.text[start:end]
    kept = found[0].group(0) + _EMOJI_JOINERS.sub("", EMOJI.sub("", span[1:]))
    return Flag("emoji_overuse", start, end, draft.message("emoji_overuse"), kept)


def _punctuation_flags(draft: _Draft) -> list[Flag]:
    flags = []
    for m in _PUNCTUATION_RUN.finditer(draft.text):
        run = m.group(0)
        if run[0] in "?？" and len(run) < draft.lexicon.setting("question_run", 2):
            continue
        keep = "。" if run[0] == "。" else ("." if run[0] == "." else run[0])
        flags.append(
            Flag(
                "punctuation_overuse",
                m.start(),
                m.end(),
                draft.message(run and "punctuation_overuse"),
                keep,
            )
        )
    return flags


def _too_long(draft: _Draft) -> Flag | None:
    text = draft.text
    chars = len(CJK.findall(text))
    words = len(re.findall(r"[A-Za-z]+", text))
    if chars > draft.lexicon.setting("too_long_chars_zh", 400) or words > draft.lexicon.setting(
        "too_long_words_en", 180
    ):
        return Flag("too_long", len(text), len(text), draft.message("too_long"), None)
    return None


def coach_draft(
    text: str,
    context: Mapping[str, Any] | None = None,
    lexicon: Lexicon | None = None,
    language: str = "zh-hans",
) -> Coaching:
    """Coach an agent's draft reply; never raises, whatever ``text`` holds.

    ``context`` (optional): ``customer_text`` (the message being answered),
    ``customer_upset``, ``complaint``, ``transfer``. Without it, the coach
    flags no missing empathy or apology. Messages are in ``language``
    ("zh-hans" or "en"); suggestions are in the draft's own language.
    """
    text = as_text(text)
    context = as_context(context)
    lexicon = lexicon or load_lexicon()
    flags: list[Flag] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        flags.append(Flag("truncated", MAX_CHARS, MAX_CHARS, "", None))
    draft = _Draft(text, lexicon, language)
    if flags:
        flags[0] = Flag("truncated", MAX_CHARS, MAX_CHARS, draft.message("truncated"), None)
    if not text.strip():
        return Coaching(flags=flags)

    for label in ("negative_phrasing", "blame_customer"):
        flags += _judged(draft, label, label, _span_flags(draft, label, label))
    flags += _span_flags(draft, "jargon", "jargon")
    empathy = _second_opinion(draft, "empathy", draft.has("empathy"))
    apology = draft.has("apology")
    upset, complaint = _context_flags(draft, context)
    if upset and not empathy:
        flags.append(
            Flag(
                "missing_empathy",
                0,
                0,
                draft.message("missing_empathy"),
                draft.addition("missing_empathy"),
            )
        )
    if (complaint or upset) and not apology:
        flags.append(
            Flag(
                "missing_apology",
                0,
                0,
                draft.message("missing_apology"),
                draft.addition("missing_apology"),
            )
        )
    commitment_time, missing_time = _commitment(draft)
    if missing_time is not None:
        flags.append(missing_time)
    if (
        (complaint or upset)
        and not commitment_time
        and not draft.has("confirmation")
        and not draft.has("agreement")
    ):
        flags.append(
            Flag(
                "missing_confirmation",
                len(text),
                len(text),
                draft.message("missing_confirmation"),
                draft.addition("missing_confirmation"),
            )
        )
    buck = _passing_the_buck(draft, context.get("transfer") is True)
    if context.get("transfer") is True and buck is not None:
        flags.append(buck)  # the agent is transferring: the rules' flag stands
    else:
        flags += _judged(draft, "passing_the_buck", "transfer", [buck] if buck else [])
    emoji = _emoji_flag(draft)
    if emoji is not None:
        flags.append(emoji)
    flags += _punctuation_flags(draft)
    long = _too_long(draft)
    if long is not None:
        flags.append(long)
    flags.sort(key=lambda f: (f.start, f.end, FLAG_CODES.index(f.code)))
    return Coaching(flags=flags, empathy=empathy, commitment_time=commitment_time)


def playbook_evidence(agent_text: str, lexicon: Lexicon | None = None) -> set[str]:
    """The complaint-playbook steps an agent's message shows (empathize, clarify,
    apologize, propose, agree, commit)."""
    draft = _Draft(as_text(agent_text)[:MAX_CHARS], lexicon or load_lexicon(), "zh-hans")
    steps = set()
    for step, list_name in (
        ("empathize", "empathy"),
        ("clarify", "confirmation"),
        ("apologize", "apology"),
        ("propose", "proposal"),
        ("agree", "agreement"),
    ):
        if draft.has(list_name):
            steps.add(step)
    if _commitment(draft)[0]:
        steps.add("commit")
    return steps
