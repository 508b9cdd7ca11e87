"""Text helpers shared by the reader and the coach: language, clauses, negation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kefu.assist.engine.lexicon import Lexicon, WordList

# Analysis reads at most this many characters of a message.
MAX_CHARS = 20_000

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
CONTENT = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z]")
CLAUSE_BREAK = re.compile(r"[，,。.!！?？;；:：\n~～…]")
SENTENCE_END = re.compile(r"[。.!！?？;；\n]")
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2b50\u2b55\u203c\u2049]"
)
# Left of a term, how far a negator or an intensifier may sit.
WINDOW = 14


def as_text(value: object) -> str:
    """Whatever a caller passed as text, as text (None is empty): callers outside typed
    code (JSON, forms) must never make the coach raise."""
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def as_context(value: object) -> Mapping[str, Any]:
    """A context mapping, or an empty one for anything else."""
    return value if isinstance(value, Mapping) else {}


def language_of(text: str) -> str:
    """ "zh", "en", "mixed" or "unknown" from the share of Chinese and Latin letters."""
    cjk = len(CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk == 0 and latin_words == 0:
        return "unknown"
    if cjk and latin_words >= 3 and latin_words * 2 >= cjk / 2:
        return "mixed"
    if cjk >= latin_words:
        return "zh"
    return "en" if cjk == 0 else "mixed"


def clause_before(text: str, start: int, size: int = WINDOW) -> str:
    """The part of ``text`` left of ``start`` within the same clause (a few characters)."""
    window = text[max(0, start - size) : start]
    cut = None
    for m in CLAUSE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:] if cut is not None else window


def sentence_before(text: str, start: int, size: int = 96) -> str:
    """The text left of ``start`` back to the start of its sentence (at most ``size``)."""
    window = text[max(0, start - size) : start]
    cut = None
    for m in SENTENCE_END.finditer(window):
        cut = m.end()
    return window[cut:] if cut is not None else window


def clause_after(text: str, end: int, size: int = WINDOW) -> str:
    window = text[end : end + size]
    m = CLAUSE_BREAK.search(window)
    return window[: m.start()] if m else window


def sentence_end(text: str, position: int) -> int:
    """Where the sentence holding ``position`` ends (before its closing mark)."""
    m = SENTENCE_END.search(text, position)
    return m.start() if m else len(text)


@dataclass(frozen=True)
class Modifiers:
    """Negation and intensifier tests compiled from one lexicon."""

    negation_zh: re.Pattern[str]
    negation_en: re.Pattern[str]
    intensifier_zh: re.Pattern[str] | None
    intensifier_en: re.Pattern[str] | None
    intensity: dict[str, float]

    def negation(self, text: str, start: int) -> int:
        """0: the term at ``start`` stands; 1: a negator governs it (不满意, not happy);
        2: a double negation (不是不能, 没有不满意) that cancels out."""
        wide = text[start : start + 1].isascii()
        before = clause_before(text, start, 32 if wide else WINDOW)
        if not before:
            return 0
        for regex in (self.negation_zh, self.negation_en):
            m = regex.search(before)
            if m:
                rest = before[: m.start(1)]
                if regex is self.negation_zh and _not_a_negation(rest, before[m.start(1) :]):
                    return 0
                if rest and (self.negation_zh.search(rest) or self.negation_en.search(rest)):
                    return 2
                return 1
        return 0

    def negated(self, text: str, start: int) -> bool:
        """Whether a single negator governs the term starting at ``start``."""
        return self.negation(text, start) == 1

    def intensity_before(self, text: str, start: int) -> float:
        before = clause_before(text, start)[-8:]
        best = 1.0
        for regex in (self.intensifier_zh, self.intensifier_en):
            if regex is None:
                continue
            m = regex.search(before)
            if m:
                best = max(best, self.intensity.get(m.group(1).lower(), 1.2))
        return best


# Before 不是 these make a rhetorical question, not a negation: 这不是骗人吗 is an accusation.
_RHETORICAL = ("这", "那", "岂", "难道", "还", "可")


def _not_a_negation(rest: str, governed: str) -> bool:
    """A Chinese negator that negates nothing: the A-not-A question (是不是丢了, 有没有人管,
    能不能快点) asks rather than denies; 这不是……吗 asserts."""
    if rest and len(governed) >= 2 and rest[-1] == governed[1]:
        return True
    return governed.startswith("不是") and rest.endswith(_RHETORICAL)


def _alternation(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


def _modifiers(negators: WordList, exceptions: WordList, boost: WordList) -> Modifiers:
    zh = [e.term for e in negators.entries if e.term and CJK.search(e.term)]
    en = [e.term for e in negators.entries if e.term and not CJK.search(e.term)]
    skip = [e.term for e in exceptions.entries if e.term]
    skip_zh = _alternation([t for t in skip if CJK.search(t)]) or "(?!)"
    skip_en = _alternation([t for t in skip if not CJK.search(t)]) or "(?!)"
    # The leading ".*" makes the match the rightmost negator, so the text left of it
    # can be checked for a second one (double negation).
    negation_zh = re.compile(
        rf"^.*((?!{skip_zh})(?:{_alternation(zh) or '(?!)'})[^\s，。！？,.!?]{{0,2}})$"
    )
    en_words = _alternation([t for t in en if t != "n't"]) or "(?!)"
    negation_en = re.compile(
        rf"^.*((?:(?<![A-Za-z])(?!{skip_en})(?:{en_words})(?![A-Za-z])|(?!{skip_en})n't)"
        r"(?:\s+[A-Za-z']+){0,2}\s*)$",
        re.IGNORECASE,
    )
    boost_zh = [e.term for e in boost.entries if e.term and CJK.search(e.term)]
    boost_en = [e.term for e in boost.entries if e.term and not CJK.search(e.term)]
    intensity = {(e.term or "").lower(): e.weight for e in boost.entries if e.term}
    return Modifiers(
        negation_zh=negation_zh,
        negation_en=negation_en,
        intensifier_zh=re.compile(rf"({_alternation(boost_zh)})[^\s，。！？]?$")
        if boost_zh
        else None,
        intensifier_en=re.compile(
            rf"(?<![A-Za-z])({_alternation(boost_en)})\s+(?:[A-Za-z]+\s+)?$", re.IGNORECASE
        )
        if boost_en
        else None,
        intensity=intensity,
    )


_CACHE: dict[str, Modifiers] = {}


def modifiers(lexicon: Lexicon) -> Modifiers:
    """The compiled negation and intensifier tests of ``lexicon`` (cached on its version)."""
    found = _CACHE.get(lexicon.version)
    if found is None:
        if len(_CACHE) > 32:
            _CACHE.clear()
        found = _CACHE[lexicon.version] = _modifiers(
            lexicon["negators"], lexicon["negation_exceptions"], lexicon["intensifiers"]
        )
    return found
