"""A second opinion on "upset": naive Bayes over character n-grams.

Weights come from ``kefu/assist/data/polarity_model.json``, written by
``tools/train_assist_model.py`` from the dev split of the kefu team's own
evaluation set. Pure Python; a missing or broken file means no second opinion.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from kefu.assist.engine.lexicon import DATA_DIR

MODEL_FILE = DATA_DIR / "polarity_model.json"
# The model reads at most this many characters.
MODEL_CHARS = 2000


@lru_cache(maxsize=1)
def _model() -> tuple[float, tuple[int, ...], dict[str, float]] | None:
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        sizes = tuple(int(n) for n in data["sizes"])
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return float(data["prior"]), sizes, weights
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def grams(text: str, sizes: tuple[int, ...] = (1, 2, 3)) -> set[str]:
    """The character n-grams of ``text`` (lower case, runs of spaces as one)."""
    text = " ".join(text.lower().split())[:MODEL_CHARS]
    return {text[i : i + n] for n in sizes for i in range(len(text) - n + 1)}


def upset_probability(text: str) -> float | None:
    """How likely the kefu-written examples make ``text`` an upset message (0..1), or
    None when no model ships."""
    model = _model()
    if model is None:
        return None
    prior, sizes, weights = model
    score = prior + sum(weights.get(g, 0.0) for g in grams(text, sizes))
    return 1 / (1 + math.exp(-max(min(score, 30.0), -30.0)))
