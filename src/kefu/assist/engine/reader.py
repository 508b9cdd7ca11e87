"""Reading a customer's message: sentiment, emotions, upset, threat, escalation risk.

Rules over the lexicon lists, with negation, intensifiers, sarcasm, polite
anger, implied dissatisfaction and the case history (how often they wrote,
whether a promise failed). Every score comes with the cues behind it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu.assist.engine import polarity
from kefu.assist.engine.lexicon import EMOTIONS, THREAT_KINDS, Lexicon, Match, load_lexicon
from kefu.assist.engine.text import (
    CONTENT,
    LATIN,
    MAX_CHARS,
    as_context,
    as_text,
    language_of,
    modifiers,
)
from kefu.assist.engine.threats import find_threats

# A reading is upset at this net negative score (sum of cue weights).
UPSET_AT = 1.0
# Sentiment leans negative or positive from this score on.
LEAN_AT = 0.6
# How much a plain question's negative score is softened.
QUESTION_SOFTENING = 0.5
# Implied dissatisfaction ("这个问题很简单") counts fully from this many contacts on.
IMPLIED_CONTACTS = 3
# A named problem (漏水, outage) leans the sentiment negative, once per message.
PROBLEM_WEIGHT = 0.6
# From this many contacts on, the count itself is a cue.
REPEAT_CONTACTS = 3
# An English message written mostly in capitals.
SHOUTING_WEIGHT = 0.8


@dataclass(frozen=True)
class Cue:
    """One piece of evidence in a reading: what, where, how strong."""

    code: str
    text: str
    start: int
    end: int
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "weight": round(self.weight, 2),
        }


@dataclass(frozen=True)
class Reading:
    """The coach's reading of one customer message."""

    sentiment: str
    upset: bool
    emotions: dict[str, float]
    escalation_risk: float
    threat: bool
    threat_kinds: list[str] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    language: str = "unknown"
    complaint: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "sentiment": self.sentiment,
            "upset": self.upset,
            "emotions": dict(self.emotions),
            "escalation_risk": self.escalation_risk,
            "threat": self.threat,
            "cues": [c.to_json() for c in self.cues],
            "threat_kinds": list(self.threat_kinds),
            "language": self.language,
            "complaint": self.complaint,
        }


def _int(value: object, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip()[:6])
    return default


def _history(context: Mapping[str, Any]) -> list[str]:
    history = context.get("history")
    if not isinstance(history, list | tuple):
        return []
    return [h for h in history if isinstance(h, str)]


class _Scores:
    def __init__(self) -> None:
        self.negative = 0.0
        self.positive = 0.0
        self.emotions = dict.fromkeys(EMOTIONS, 0.0)
        self.cues: list[Cue] = []

    def add(self, code: str, match: Match | None, weight: float, emotion: str | None) -> None:
        if emotion == "satisfaction":
            self.positive += weight
        else:
            self.negative += weight
        if emotion:
            self.emotions[emotion] += weight
        if match is not None:
            self.cues.append(Cue(code, match.text, match.start, match.end, weight))
        else:
            self.cues.append(Cue(code, "", 0, 0, weight))


# A contrast after a comma: the praise before it is half praise.
_CONTRAST = re.compile(r"[，,]\s*(?:但是|不过|可是|就是|只是|但|but|however|although|though)", re.I)
_UPPER_WORD = re.compile(r"\b[A-Z]{2,}\b")
_ELONGATED = re.compile(r"([A-Za-z])\1{3,}|([啊阿气烦急哦唉])\2{2,}")


def _shouting(text: str) -> tuple[str, int, int] | None:
    """Capitals for most of an English message ("WHY IS IT DOWN AGAIN") read as shouting."""
    letters = LATIN.findall(text)
    if len(letters) < 12:
        return None
    upper = sum(1 for c in letters if c.isupper())
    words = _UPPER_WORD.findall(text)
    if upper / len(letters) < 0.7 or len(words) < 3:
        return None
    first = _UPPER_WORD.search(text)
    start = first.start() if first else 0
    return text[start : start + 40], start, min(len(text), start + 40)


# Score buckets the models see of the rules' negative and positive sums.
_BUCKETS = (0.3, 0.6, 1.0, 1.5, 2.5)


@dataclass
class _Ruled:
    """What the rules read of a message, before the models' second opinion."""

    text: str
    scores: _Scores
    language: str
    contact_count: int
    prior_failure: bool
    sentiment: str
    upset: bool
    threat: bool
    kinds: list[str]
    negated_threat: bool
    firm_threat: bool
    sarcastic: bool
    pressure: bool
    asks: bool
    complaint_problem: bool

    def features(self) -> list[str]:
        """The rules' evidence as model features (see ``polarity.features``)."""
        s = self.scores
        out = {"c:" + c.code for c in s.cues if c.code != "truncated"}
        out.add(f"neg:{sum(1 for b in _BUCKETS if s.negative >= b)}")
        out.add(f"pos:{sum(1 for b in _BUCKETS if s.positive >= b)}")
        out.add("s:" + self.sentiment)
        out.add(f"cc:{min(self.contact_count, 4)}")
        for flag in ("prior_failure", "upset", "threat", "asks", "sarcastic", "pressure"):
            if getattr(self, flag):
                out.add(flag)
        return sorted(out)


def customer_features(
    text: str, context: Mapping[str, Any] | None = None, lexicon: Lexicon | None = None
) -> set[str]:
    """The features the customer models read of ``text`` (training uses these)."""
    ruled = _rules(as_text(text)[:MAX_CHARS], as_context(context), lexicon or load_lexicon())
    return polarity.features(ruled.text, ruled.features())


def firm_threat(
    text: str, context: Mapping[str, Any] | None = None, lexicon: Lexicon | None = None
) -> bool:
    """Whether the rules read a threat no model may overrule (training uses this)."""
    ruled = _rules(as_text(text)[:MAX_CHARS], as_context(context), lexicon or load_lexicon())
    return ruled.threat and ruled.firm_threat


def _rules(
    text: str, context: Mapping[str, Any], lexicon: Lexicon, *, truncated: bool = False
) -> _Ruled:
    scores = _Scores()
    if truncated:
        scores.cues.append(Cue("truncated", "", MAX_CHARS, MAX_CHARS, 0.0))
    history = _history(context)
    contact_count = max(_int(context.get("contact_count"), 1), len(history) + 1, 1)
    prior_failure = bool(context.get("prior_failure") is True)
    language = language_of(text)
    mods = modifiers(lexicon)
    for m in lexicon["negative"].finditer(text):
        if mods.negation(text, m.start):
            continue  # 不着急, no problem: a negated complaint word is no complaint
        weight = m.entry.weight * mods.intensity_before(text, m.start)
        scores.add("negative", m, weight, m.entry.emotion or "anger")
    positives: list[tuple[Match, float]] = []
    # A thanks beside a request or a question is a courtesy, not praise.
    request = (
        lexicon["request"].search(text) is not None or lexicon["question"].search(text) is not None
    )
    contrast = _CONTRAST.search(text)
    for m in lexicon["positive"].finditer(text):
        negation = mods.negation(text, m.start)
        if negation == 1:
            # "不满意", "not happy": an explicit dissatisfaction.
            scores.add("negated_positive", m, max(m.entry.weight, 0.8) * 1.3, "disappointment")
            continue
        if negation == 2:
            continue
        weight = m.entry.weight * mods.intensity_before(text, m.start)
        if m.entry.courtesy and request:
            weight /= 2
        if contrast is not None and m.end <= contrast.start():
            # "东西不错，就是物流慢了点", "not bad, but...": what follows the "but" counts.
            weight /= 2
        positives.append((m, weight))

    shout = _shouting(text)
    if shout is not None:
        scores.add("shouting", None, SHOUTING_WEIGHT, "anger")
        scores.cues[-1] = Cue("shouting", shout[0], shout[1], shout[2], SHOUTING_WEIGHT)
    if scores.negative > 0:
        stretched = _ELONGATED.search(text)
        if stretched is not None:
            scores.add("intensity", None, 0.4, "anger")
            scores.cues[-1] = Cue("intensity", stretched.group(0), *stretched.span(), 0.4)

    repeat = False
    for m in lexicon["repeat_contact"].finditer(text):
        if not mods.negated(text, m.start):
            scores.add("repeat_contact", m, m.entry.weight, m.entry.emotion or "disappointment")
            repeat = True
    if contact_count >= REPEAT_CONTACTS:
        weight = 0.3 * min(contact_count - REPEAT_CONTACTS + 1, 4)
        scores.add("contact_count", None, weight, "disappointment")
        scores.cues[-1] = Cue("contact_count", str(contact_count), 0, 0, weight)
    if prior_failure:
        scores.cues.append(Cue("prior_failure", "", 0, 0, 0.4))

    polite = False
    for m in lexicon["polite_anger"].finditer(text):
        scores.add("polite_anger", m, m.entry.weight, m.entry.emotion or "anger")
        polite = True
        # "I'd appreciate it if someone actually read..." is no thanks.
        positives = [(p, w) for p, w in positives if p.end <= m.start or p.start >= m.end]
    failure = (
        prior_failure
        or repeat
        or contact_count >= IMPLIED_CONTACTS
        or lexicon["failure"].search(text) is not None
        or lexicon["problem"].search(text) is not None
        or scores.negative >= 1.0
    )
    sarcastic = False
    for m in lexicon["sarcasm"].finditer(text):
        if m.entry.always or failure:
            scores.add("sarcasm", m, m.entry.weight, "anger")
            scores.emotions["disappointment"] += m.entry.weight / 2
            sarcastic = True
    if sarcastic:
        # Praise in a sarcastic message is the opposite of praise.
        for m, weight in positives:
            scores.add("sarcastic_praise", m, weight, "disappointment")
    else:
        for m, weight in positives:
            scores.add("positive", m, weight, "satisfaction")

    for m in lexicon["implied"].finditer(text):
        full = contact_count >= IMPLIED_CONTACTS or repeat or prior_failure
        weight = m.entry.weight if full else m.entry.weight * 0.3
        scores.add("implied_dissatisfaction", m, weight, m.entry.emotion or "disappointment")
    pressure = False
    for m in lexicon["time_pressure"].finditer(text):
        if not mods.negated(text, m.start):
            scores.add("time_pressure", m, m.entry.weight, m.entry.emotion or "anxiety")
            pressure = True

    question = lexicon["question"].search(text) is not None
    enquiry = question and scores.negative < 0.6 and not (sarcastic or polite or pressure)
    # Praise with no complaint: a manager or a post named is a compliment, not a threat.
    praise = scores.positive > 0 and scores.negative < 0.6 and not (sarcastic or polite)
    threats = find_threats(text, lexicon, enquiry=enquiry, praise=praise)
    for cue in threats.cues:
        if cue.counts:
            scores.add(cue.code, cue.match, cue.weight, "anger")
        else:
            m = cue.match
            scores.cues.append(Cue(cue.code, m.text, m.start, m.end, cue.weight))
    kinds, negated_threat, firm = threats.kinds, threats.negated, threats.firm
    threat = bool(kinds)
    asks = question or text.rstrip().endswith(("?", "？"))
    problem = lexicon["problem"].search(text)
    if problem is not None and not asks and not mods.negation(text, problem.start):
        # A problem reported calmly is a negative message, though not an upset one.
        scores.add("problem", problem, PROBLEM_WEIGHT, "disappointment")

    if question and not (threat or sarcastic or polite) and scores.negative < 2.5:
        softened = scores.negative * QUESTION_SOFTENING
        scores.cues.append(Cue("question", "", 0, 0, -(scores.negative - softened)))
        scores.negative = softened
    if prior_failure and scores.negative > 0:
        scores.negative += 0.4

    negative, positive = scores.negative, scores.positive
    has_content = CONTENT.search(text) is not None or bool(scores.cues)
    if not has_content or (not text.strip()):
        sentiment = "unknown"
    elif negative >= LEAN_AT and negative - positive >= 0.3:
        sentiment = "negative"
    elif positive >= LEAN_AT and positive - negative >= 0.3:
        sentiment = "positive"
    else:
        sentiment = "neutral"
    upset = threat or _upset_by_scores(scores)
    return _Ruled(
        text=text,
        scores=scores,
        language=language,
        contact_count=contact_count,
        prior_failure=prior_failure,
        sentiment=sentiment,
        upset=upset,
        threat=threat,
        kinds=kinds,
        negated_threat=negated_threat,
        firm_threat=firm,
        sarcastic=sarcastic,
        pressure=pressure,
        asks=asks,
        complaint_problem=problem is not None and not question,
    )


def _upset_by_scores(scores: _Scores) -> bool:
    net = scores.negative - 0.5 * scores.positive
    return net >= UPSET_AT and scores.negative > scores.positive


def _doubt_threat(ruled: _Ruled) -> None:
    """The threat model is sure the rules' threat is none (a story, a compliment, a
    word in another sense): its targets become mentions and the rules read again
    whether the message is upset."""
    scores = ruled.scores
    codes = {f"threat_{kind}" for kind in THREAT_KINDS}
    for i, cue in enumerate(scores.cues):
        if cue.code in codes:
            scores.negative -= cue.weight
            scores.emotions["anger"] = max(0.0, scores.emotions["anger"] - cue.weight)
            scores.cues[i] = Cue("threat_mention", cue.text, cue.start, cue.end, 0.0)
    ruled.threat, ruled.kinds = False, []
    ruled.upset = _upset_by_scores(scores)


def _second_opinions(ruled: _Ruled, lexicon: Lexicon) -> None:
    """Rules miss new wording: a confident statistical model makes the message upset or
    a threat; a sure model may also overrule the rules' "upset", and a threat that is
    not firm (no strong word, no declared intent), when it is sure they are wrong.
    Thresholds from cross validation (tools/train_assist_model.py). Nothing is added
    to an unknown reading, nor to a clearly positive one with no sarcasm."""
    threat_model, upset_model = polarity.model("threat"), polarity.model("upset")
    if threat_model is None and upset_model is None:
        return
    gate = ruled.sentiment != "unknown" and (ruled.sentiment != "positive" or ruled.sarcastic)
    scores = ruled.scores
    words = polarity.features(ruled.text)  # computed once for both models

    def feats(model: polarity.LinearModel) -> set[str]:
        return polarity.with_rules(words, ruled.features()) if model.extras else words

    if threat_model is not None and ruled.threat:
        doubted = threat_model.veto > 0 and not ruled.firm_threat
        if doubted and not threat_model.decide(feats(threat_model), rules=True)[0]:
            _doubt_threat(ruled)
    elif threat_model is not None and not ruled.threat and gate and not ruled.negated_threat:
        # A threat the rules read as negated ("我不想去12315") stays a mention.
        threat, likely = threat_model.decide(feats(threat_model), rules=False)
        if threat:
            ruled.threat = ruled.upset = True
            scores.add("threat_model", None, 1.0, "anger")
            scores.cues[-1] = Cue("threat_model", "", 0, 0, round(likely, 2))
            for m in lexicon["threat_target"].finditer(ruled.text):
                kind = m.entry.kind or "over_heads"
                if kind not in ruled.kinds:
                    ruled.kinds.append(kind)
            ruled.kinds.sort(key=THREAT_KINDS.index)
    if upset_model is not None and not ruled.threat:
        upset, likely = upset_model.decide(feats(upset_model), rules=ruled.upset, gate=gate)
        if upset != ruled.upset:
            ruled.upset = upset
            scores.cues.append(Cue("model", "", 0, 0, round(likely if upset else -likely, 2)))


def read_customer(
    text: str,
    context: Mapping[str, Any] | None = None,
    lexicon: Lexicon | None = None,
) -> Reading:
    """Read one customer message; never raises, whatever ``text`` holds.

    ``context`` (all optional): ``contact_count`` (messages on this matter, this
    one included), ``prior_failure`` (a fix failed or a promise was broken),
    ``history`` (earlier customer messages, oldest first). Unknown keys are ignored.
    """
    text = as_text(text)
    context = as_context(context)
    lexicon = lexicon or load_lexicon()
    truncated = len(text) > MAX_CHARS
    ruled = _rules(text[:MAX_CHARS], context, lexicon, truncated=truncated)
    _second_opinions(ruled, lexicon)
    scores = ruled.scores
    sentiment, upset, threat, kinds = ruled.sentiment, ruled.upset, ruled.threat, ruled.kinds
    negative = scores.negative
    contact_count, prior_failure = ruled.contact_count, ruled.prior_failure
    if upset and sentiment != "negative":
        sentiment = "negative"
    complaint = upset or threat or sentiment == "negative" or ruled.complaint_problem

    strength = 1 - math.exp(-0.45 * negative)
    risk = 0.55 * strength
    if threat:
        risk += 0.35 + 0.05 * (len(kinds) - 1)
    elif ruled.negated_threat:
        risk += 0.1
    risk += 0.05 * min(max(contact_count - 1, 0), 4)
    if prior_failure:
        risk += 0.1
    if ruled.pressure:
        risk += 0.05
    if threat:
        risk = max(risk, 0.7)
    if sentiment in ("positive", "unknown") and not threat:
        risk = min(risk, 0.2)
    emotions = {k: round(1 - math.exp(-0.8 * v), 2) for k, v in scores.emotions.items()}
    return Reading(
        sentiment=sentiment,
        upset=upset,
        emotions=emotions,
        escalation_risk=round(min(max(risk, 0.0), 1.0), 2),
        threat=threat,
        threat_kinds=kinds,
        cues=sorted(scores.cues, key=lambda c: (c.start, c.end, c.code)),
        language=ruled.language,
        complaint=complaint,
    )
