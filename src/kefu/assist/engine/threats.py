"""Threats to escalate in a customer's message: to a regulator, the media or a public
review, the law, or over the agent's head.

A target (12315, 微博, lawyer, your manager) is a threat with an intent word before
it, a threat verb after it, a condition over it, or by itself when strong; a mention,
a calm enquiry, a negated threat, someone else's story or a compliment is not. Pure
Python over the lexicon lists ``threat_target``, ``threat_intent``,
``threat_condition`` and ``threat_reported``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kefu.assist.engine.lexicon import THREAT_KINDS, Lexicon, Match
from kefu.assist.engine.text import (
    LATIN,
    clause_after,
    clause_before,
    modifiers,
    sentence_before,
    sentence_end,
)

# A threat's weight on the negative score and on anger.
THREAT_WEIGHT = 1.0
# A negated threat ("我不想去12315") still adds a little risk.
NEGATED_WEIGHT = 0.3


@dataclass(frozen=True)
class ThreatCue:
    """One target read: ``threat_<kind>`` (``counts``: it adds to the negative score and
    to anger), ``threat_mention`` or ``threat_negated``."""

    code: str
    match: Match
    weight: float
    counts: bool = False


@dataclass
class Threats:
    """The kinds threatened (in ``THREAT_KINDS`` order), whether a threat was negated,
    whether one is firm, and the cues in text order."""

    kinds: list[str] = field(default_factory=list)
    negated: bool = False
    firm: bool = False
    cues: list[ThreatCue] = field(default_factory=list)


def find_threats(text: str, lexicon: Lexicon, *, enquiry: bool, praise: bool = False) -> Threats:
    """Threats to escalate, by kind. In a calm enquiry ("请问工信部的投诉电话是多少？") a
    regulator or a lawyer named is a mention, not a threat, unless the word is a threat
    by itself (起诉, sue).

    A conditional ("不给说法我就找媒体", "再不发货我就去黑猫投诉", "要么……要么我就……",
    "否则", "unless", "or I'll", "if you don't ... I will") makes a threat of a target
    named after it, and its negator belongs to the condition, not to the threat.

    A threat is *firm* when a strong word (起诉, sue) or a declared intent reads it: no
    model overrules it."""
    mods = modifiers(lexicon)
    intents = lexicon["threat_intent"]
    conditions = lexicon["threat_condition"]
    out = Threats()
    for m in lexicon["threat_target"].finditer(text):
        entry = m.entry
        # Chinese packs the intent into a few characters; English needs a few words.
        # Which language the intent is in: the text just before the target says
        # ("reported this to 12345", "complained to the 民航局").
        left = text[: m.start].rstrip()[-1:]
        latin = (m.text[:1].isascii() and m.text[:1].isalpha()) or (left.isascii() and left != "")
        before = clause_before(text, m.start, 48)
        if not latin:
            # Mixed script ("我要 speak to 你们经理") needs room for the English words.
            before = before[-24:] if LATIN.search(before[-14:]) else before[-10:]
        intent_at: int | None = None
        # The intent nearest the target governs it ("我不想去……我就去12315").
        found = list(intents.finditer(before))
        if found:
            intent_at = m.start - len(before) + found[-1].start
        # A declared intent (我要去, I'm going to) is a threat even inside a question.
        declared = any(i.entry.strong for i in found)
        after = clause_after(text, m.end, 24)
        after_intent = any(i.entry.after and i.start <= 3 for i in intents.finditer(after))
        conditional = conditions.search(sentence_before(text, m.start)) is not None or any(
            # "1-star review incoming unless you move us", "……，除非今天退款"
            c.entry.after
            for c in conditions.finditer(text[m.end : sentence_end(text, m.end) + 1])
        )
        if not (entry.strong or intent_at is not None or after_intent or conditional):
            continue
        mention = praise and entry.kind in ("media", "over_heads") and not (conditional or declared)
        if mention or (not conditional and _reported(text, m, lexicon)):
            # "朋友说可以找工信部", "my neighbour reported her builder to Trading Standards"
            out.cues.append(ThreatCue("threat_mention", m, 0.0))
            continue
        asks_for_boss = entry.kind == "over_heads" and intent_at is not None
        if enquiry and not (entry.strong or asks_for_boss or declared):
            # "Can I speak to your supervisor?" still goes over heads.
            out.cues.append(ThreatCue("threat_mention", m, 0.0))
            continue
        anchor = intent_at if intent_at is not None else m.start
        # "我不想去12315" is no threat; "我不想去12315，但是再不退款……" still is, while
        # "我不会给差评的，但这次确实有点失望" is a complaint, not a threat.
        if (
            not conditional
            and (mods.negated(text, anchor) or mods.negated(text, m.start))
            and not _condition_follows(text[m.end : m.end + 60], lexicon)
        ):
            out.negated = True
            out.cues.append(ThreatCue("threat_negated", m, NEGATED_WEIGHT))
            continue
        kind = entry.kind or "over_heads"
        out.cues.append(ThreatCue(f"threat_{kind}", m, THREAT_WEIGHT, counts=True))
        out.firm = out.firm or entry.strong or declared
        if kind not in out.kinds:
            out.kinds.append(kind)
    out.kinds.sort(key=THREAT_KINDS.index)
    return out


# A contrast alone ("但是", "but") does not restore a negated threat: a condition, a
# deadline or a declared intent must follow it.
_CONTRASTS = frozenset({"但是", "但", "可是", "but"})


def _condition_follows(rest: str, lexicon: Lexicon) -> bool:
    found = list(lexicon["threat_condition"].finditer(rest))
    if any(c.text.lower() not in _CONTRASTS for c in found):
        return True
    if not found:
        return False
    tail = rest[found[0].end :]
    # "……，但是你们今天必须给我答复" still presses; "……，但这次确实有点失望" only complains.
    if lexicon["time_pressure"].search(tail) is not None:
        return True
    return any(i.entry.strong for i in lexicon["threat_intent"].finditer(tail))


# A declared intent of the writer's own ("我明天就去", "I'll"), not one reported ("说要去").
_FIRST_PERSON = ("我", "i", "we")


def _reported(text: str, m: Match, lexicon: Lexicon) -> bool:
    """Whether the target ``m`` sits in someone else's story (a ``threat_reported``
    marker earlier in its clause), the writer declares no intent of their own anywhere
    in that sentence and holds no condition over the company after it."""
    if lexicon["threat_reported"].search(clause_before(text, m.start, 96)) is None:
        return False
    if _condition_follows(text[m.end : m.end + 60], lexicon):
        return False  # "朋友说可以走 chargeback，如果今天还不退……"
    sentence = sentence_before(text, m.start, 160) + text[m.start : sentence_end(text, m.end) + 1]
    return not any(
        i.entry.strong and i.text.lower().startswith(_FIRST_PERSON)
        for i in lexicon["threat_intent"].finditer(sentence)
    )
