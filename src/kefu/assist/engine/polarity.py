"""Statistical second opinions: L2-regularised logistic regressions over sparse features.

Two models ship in ``kefu/assist/data/``, both written by ``tools/train_assist_model.py``
from the kefu team's own labelled lines (never from a blind evaluation batch):

- ``polarity_model.json``: is a customer message *upset*?
- ``phrasing_model.json``: does an agent draft use *negative phrasing*?

Each holds a bias, a weight per feature and the decision threshold chosen by
cross validation. The features (``features``) are binary: character 1-3 grams of
the non-Latin runs of the lower-cased text (Chinese has no spaces), word unigrams
and bigrams of Latin-script text, and a few dense cues (a run of ！！ or ？？,
mostly capitals, a length bucket). Inference is pure Python: a set of strings and
a dictionary lookup each. A missing or broken file only switches a model off.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kefu.assist.engine.lexicon import DATA_DIR

MODEL_FILE = DATA_DIR / "polarity_model.json"
PHRASING_FILE = DATA_DIR / "phrasing_model.json"
# The models read at most this many characters.
MODEL_CHARS = 2000
# Feature-set version: a model trained on other features is not used.
FEATURES = "kefu-assist-features-2"

_NON_LATIN = re.compile(r"[^\x00-\x7f]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_BANGS = re.compile(r"[!！]{2,}")
_QUERIES = re.compile(r"[?？]{2,}|[?？][!！]|[!！][?？]")
_LETTER = re.compile(r"[A-Za-z]")
_LENGTHS = (12, 30, 80)


def features(text: str) -> set[str]:
    """The binary features of ``text`` the models are trained and read on."""
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
    return out


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over binary features, and its decision threshold."""

    bias: float
    threshold: float
    weights: dict[str, float]

    def score(self, feats: set[str]) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in feats)

    def probability(self, text: str) -> float:
        score = self.score(features(text))
        return 1 / (1 + math.exp(-max(min(score, 30.0), -30.0)))

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
        if not 0.0 < threshold < 1.0:
            return None
        return LinearModel(float(data["bias"]), threshold, weights)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@lru_cache(maxsize=1)
def _model() -> LinearModel | None:
    return _load(MODEL_FILE)


@lru_cache(maxsize=1)
def _phrasing() -> LinearModel | None:
    return _load(PHRASING_FILE)


def upset_model() -> LinearModel | None:
    """The customer-upset model, or None when none ships (or its file is broken)."""
    return _model()


def phrasing_model() -> LinearModel | None:
    """The agent negative-phrasing model, or None when none ships."""
    return _phrasing()


def upset_probability(text: str) -> float | None:
    """How likely the kefu-written examples make ``text`` an upset message (0..1), or
    None when no model ships."""
    model = _model()
    return None if model is None else model.probability(text)


def phrasing_probability(text: str) -> float | None:
    """How likely ``text`` is an agent draft with negative phrasing (0..1), or None."""
    model = _phrasing()
    return None if model is None else model.probability(text)
