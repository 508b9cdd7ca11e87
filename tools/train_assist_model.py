"""Train the coach's secondary polarity model: naive Bayes over character 1-3 grams.

    .venv/bin/python tools/train_assist_model.py [--data bench/data/assist_dev.jsonl]

Reads the customer lines of the *dev* split only (never the holdout, never batch 3
or 4) of the evaluation set written by the kefu team, learns log-likelihood ratios
of "upset" for every character n-gram seen at least twice, and writes them to
``src/kefu/assist/data/polarity_model.json`` (same licence as the repository).
The reader uses it only as a second opinion (see docs/assist.md).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "kefu" / "assist" / "data" / "polarity_model.json"
ALPHA = 1.0
MIN_COUNT = 2
SIZES = (1, 2, 3)


def grams(text: str) -> set[str]:
    """The same n-grams the engine reads (kefu.assist.engine.polarity.grams)."""
    text = " ".join(text.lower().split())[:2000]
    return {text[i : i + n] for n in SIZES for i in range(len(text) - n + 1)}


def train(rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    docs: Counter[bool] = Counter()
    for row in rows:
        upset = bool(row["labels"]["upset"])
        docs[upset] += 1
        counts[upset].update(grams(str(row["text"])))
    weights = {}
    for gram in sorted(set(counts[True]) | set(counts[False])):
        if counts[True][gram] + counts[False][gram] < MIN_COUNT:
            continue
        yes = (counts[True][gram] + ALPHA) / (docs[True] + 2 * ALPHA)
        no = (counts[False][gram] + ALPHA) / (docs[False] + 2 * ALPHA)
        weight = round(math.log(yes / no), 3)
        if weight:
            weights[gram] = weight
    return {
        "about": "Naive Bayes log-likelihood ratios of 'upset' per character n-gram, trained "
        "by tools/train_assist_model.py on the dev split of bench/data/assist_dev.jsonl "
        "(written by the kefu team; same licence as the repository).",
        "sizes": list(SIZES),
        "lines": docs[True] + docs[False],
        "prior": round(math.log(docs[True] / docs[False]), 4),
        "weights": weights,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "bench" / "data" / "assist_dev.jsonl"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text("utf-8").splitlines() if line]
    dev = [r for r in rows if r["role"] == "customer" and r.get("split", "dev") == "dev"]
    model = train(dev)
    OUT.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(model['weights'])} n-grams from {model['lines']} lines")


if __name__ == "__main__":
    main()
