"""Statistical second opinions: L2-regularised logistic regressions over sparse features.

The models ship in ``kefu/assist/data/``, all written by ``tools/train_assist_model.py``
from the kefu team's own labelled lines (never from a blind evaluation batch), one per
label (``MODEL_FILES``): is a customer message *upset*, a *threat*; does an agent draft
use *negative phrasing*, show *empathy*, *pass the buck*, *blame the customer*?

Each holds a bias, a weight per feature and the decision threshold chosen by
cross validation. The features (``features``) are binary: character 1-3 grams of
the non-Latin runs of the lower-cased text (Chinese has no spaces), word unigrams
and bigrams of Latin-script text, a few dense cues (a run of ！！ or ？？, mostly
capitals, a length bucket), and what the rules found (``extra``: cue codes, score
buckets, the lists a draft matches), so a model weighs the rules' evidence together
with the wording. Inference is pure Python: a set of strings and a dictionary lookup
each. A missing or broken file only switches its model off.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kefu.assist.engine.lexicon import DATA_DIR

# Which file holds the model of which label.
MODEL_FILES: dict[str, str] = {
    "upset": "polarity_model.json",
    "threat": "threat_model.json",
    "negative_phrasing": "phrasing_model.json",
    "empathy": "empathy_model.json",
    "passing_the_buck": "buck_model.json",
    "blame_customer": "blame_model.json",
}
MODEL_DIR = DATA_DIR
# The models read at most this many characters.
MODEL_CHARS = 2000
# Feature-set version: a model trained on other features is not used.
FEATURES = "kefu-assist-features-3"

_NON_LATIN = re.compile(r"[^\x00-\x7f]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_BANGS = re.compile(r"[!！]{2,}")
_QUERIES = re.compile(r"[?？]{2,}|[?？][!！]|[!！][?？]")
_LETTER = re.compile(r"[A-Za-z]")
_LENGTHS = (12, 30, 80)


def features(text: str, extra: Iterable[str] = ()) -> set[str]:
    """The binary features of ``text`` the models are trained and read on; ``extra``
    (what the rules found) joins them with an ``r:`` prefix."""
    text = " ".join(text.split())[:MODEL_CHARS]
    low = text.lower()
    out: set[str] = set()
    for run in _NON_LATIN.findall(low):
        size = len(run)
        for n in (1, 2, 3):
            for i in range(size - n + 1):
                out.add(run[i : i + n])
    words = _WORD.findall(low)
    out.update("w:" + w for w in words)
    out.update(f"w:{a} {b}" for a, b in itertools.pairwise(words))
    if _BANGS.search(text):
        out.add("d:bangs")
    if _QUERIES.search(text):
        out.add("d:queries")
    letters = _LETTER.findall(text)
    if len(letters) >= 8 and sum(1 for c in letters if c.isupper()) >= 0.6 * len(letters):
        out.add("d:caps")
    bucket = sum(1 for limit in _LENGTHS if len(text) >= limit)
    out.add(f"d:len{bucket}")
    return with_rules(out, extra) if extra else out


def with_rules(feats: set[str], extra: Iterable[str]) -> set[str]:
    """``feats`` and what the rules found (``extra``, prefixed ``r:``), a new set."""
    return feats | {"r:" + f for f in extra}


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over binary features, and its decision threshold."""

    bias: float
    threshold: float
    weights: dict[str, float]
    # Below this probability the model overrules the rules' own "yes" (0: never).
    veto: float = 0.0
    # Whether it reads what the rules found (``extra``) besides the wording.
    extras: bool = False

    def score(self, feats: set[str]) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in feats)

    def probability(self, text: str, extra: Iterable[str] = ()) -> float:
        return self.likelihood(features(text, extra))

    def likelihood(self, feats: set[str]) -> float:
        """The probability of the label given the features (0..1)."""
        score = self.score(feats)
        return 1 / (1 + math.exp(-max(min(score, 30.0), -30.0)))

    def decide(self, feats: set[str], rules: bool, gate: bool = True) -> tuple[bool, float]:
        """The decision and the probability: the rules' "yes" stands unless the model
        is sure it is wrong (below ``veto``); a "no" turns "yes" where the model is
        confident (``threshold``) and the ``gate`` lets it."""
        likely = self.likelihood(feats)
        if rules:
            return likely >= self.veto, likely
        return gate and likely >= self.threshold, likely

    def strongest(self, text: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
        """Of the (start, end) spans of ``text``, the one whose features weigh most."""
        best: tuple[float, tuple[int, int]] | None = None
        get = self.weights.get
        for start, end in spans:
            weight = sum(get(f, 0.0) for f in features(text[start:end]) if not f.startswith("d:"))
            if best is None or weight > best[0]:
                best = (weight, (start, end))
        return best[1] if best is not None and best[0] > 0 else None


def _load(path: Path) -> LinearModel | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("features") != FEATURES:
            return None
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        threshold = float(data["threshold"])
        veto = float(data.get("veto", 0.0))
        if not 0.0 < threshold < 1.0 or not 0.0 <= veto < threshold:
            return None
        extras = data.get("extras", False) is True
        return LinearModel(float(data["bias"]), threshold, weights, veto, extras)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


_switched_off = False


@lru_cache(maxsize=len(MODEL_FILES))
def _cached(label: str) -> LinearModel | None:
    name = MODEL_FILES.get(label)
    return None if name is None else _load(MODEL_DIR / name)


def model(label: str) -> LinearModel | None:
    """The model of ``label`` (a key of ``MODEL_FILES``), or None when none ships, its
    file is broken or stale, or the models are switched off."""
    return None if _switched_off else _cached(label)


def reload() -> None:
    """Forget the loaded models (after the files or ``MODEL_DIR`` changed)."""
    _cached.cache_clear()


@contextmanager
def switched_off() -> Iterator[None]:
    """The rules alone, for as long as the block runs (evaluation and training)."""
    global _switched_off
    saved, _switched_off = _switched_off, True
    try:
        yield
    finally:
        _switched_off = saved


def probability(label: str, text: str, extra: Iterable[str] = ()) -> float | None:
    """How likely the kefu-written examples make ``text`` a case of ``label`` (0..1),
    or None when no model ships."""
    found = model(label)
    return None if found is None else found.probability(text, extra)
