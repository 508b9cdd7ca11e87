"""Evaluate the conflict coach on the labelled sets written by the kefu team.

    .venv/bin/python bench/assist_eval.py [--data FILE_OR_GLOB ...] [--errors [GROUP]]

Reads ``bench/data/assist_*.jsonl`` by default (or every ``--data``, repeatable,
globs allowed). Prints one JSON object: per group and per label the accuracy,
precision, recall and F1 (customer: upset, threat, negative sentiment, sentiment
accuracy over three classes; agent: negative_phrasing, empathy, commitment_time,
blame_customer, passing_the_buck, jargon), and the latency per message
(p50/p95/max, one core, pure Python). Groups: each split (``dev``, ``holdout``,
``blind5``...), each batch of ``assist_dev.jsonl`` (``batch1`` is the first 488
lines; batch2, batch3... were each written and labelled before the engine was run
on them), each file (``file:assist_corpus_a``), and ``all``. ``--errors`` also
lists the misread lines of the dev split, or with ``--errors GROUP`` of one group
(only once its blind figures are recorded; never look at a blind set's errors
while tuning). Not a test: figures go into docs/assist.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.assist.engine import coach_draft, load_lexicon, polarity, read_customer  # noqa: E402

AGENT_LABELS = (
    "negative_phrasing",
    "empathy",
    "commitment_time",
    "blame_customer",
    "passing_the_buck",
    "jargon",
)


def _binary(pairs: list[tuple[bool, bool]]) -> dict[str, Any]:
    tp = sum(1 for want, got in pairs if want and got)
    fp = sum(1 for want, got in pairs if not want and got)
    fn = sum(1 for want, got in pairs if want and not got)
    right = sum(1 for want, got in pairs if want == got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(pairs),
        "positives": tp + fn,
        "accuracy": round(right / len(pairs), 3) if pairs else None,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def _predict(row: dict[str, Any], lexicon: Any) -> dict[str, Any]:
    context = row.get("context") or {}
    if row["role"] == "customer":
        reading = read_customer(row["text"], context, lexicon)
        return {"upset": reading.upset, "threat": reading.threat, "sentiment": reading.sentiment}
    coaching = coach_draft(row["text"], context, lexicon)
    codes = {f.code for f in coaching.flags}
    predicted: dict[str, Any] = {
        code: code in codes for code in AGENT_LABELS if code not in ("empathy", "commitment_time")
    }
    predicted["empathy"] = coaching.empathy
    predicted["commitment_time"] = coaching.commitment_time
    return predicted


def _latency(rows: list[dict[str, Any]], lexicon: Any, rounds: int) -> dict[str, float]:
    timings = []
    for _ in range(rounds):
        for row in rows:
            context = row.get("context") or {}
            started = time.perf_counter()
            if row["role"] == "customer":
                read_customer(row["text"], context, lexicon)
            else:
                coach_draft(row["text"], context, lexicon)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "messages": len(timings),
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 3),
        "max_ms": round(timings[-1], 3),
    }


def _shows(row: dict[str, Any], errors: str | None) -> bool:
    """Whether ``--errors`` lists this misread line: "dev" (the default) lists the dev
    split only; "batchN" lists one batch, to be used only after its blind figures
    were recorded."""
    if not errors:
        return False
    if errors == "dev":
        return bool(row.get("split", "dev") == "dev")
    return errors in _groups(row)


def _groups(row: dict[str, Any]) -> tuple[str, ...]:
    """The groups a line is scored in: its split, its batch (dev file), its file, all."""
    source = row.get("_file", "assist_dev")
    groups = [str(row.get("split", "dev"))]
    if source == "assist_dev":
        groups.append(f"batch{row.get('batch', 1)}")
    elif "batch" in row:
        groups.append(f"file:{source}:batch{row['batch']}")
    groups += [f"file:{source}", "all"]
    return tuple(groups)


def evaluate(rows: list[dict[str, Any]], *, errors: str | None, rounds: int) -> dict[str, Any]:
    lexicon = load_lexicon()
    pairs: dict[str, dict[str, list[tuple[bool, bool]]]] = defaultdict(lambda: defaultdict(list))
    sentiment: dict[str, list[bool]] = defaultdict(list)
    misread: list[dict[str, Any]] = []
    for row in rows:
        predicted = _predict(row, lexicon)
        wrong = {}
        for split in _groups(row):
            for label, want in row["labels"].items():
                if label == "sentiment":
                    sentiment[split].append(predicted["sentiment"] == want)
                    pairs[split]["sentiment_negative"].append(
                        (want == "negative", predicted["sentiment"] == "negative")
                    )
                elif label in predicted:
                    pairs[split][label].append((bool(want), bool(predicted[label])))
        for label, want in row["labels"].items():
            if label in predicted and predicted[label] != want:
                wrong[label] = {"want": want, "got": predicted[label]}
        if wrong and _shows(row, errors):
            misread.append({"text": row["text"], "context": row.get("context"), **wrong})
    report: dict[str, Any] = {}
    splits = sorted({k for k in pairs if not k.startswith(("batch", "file:")) and k != "all"})
    batches = sorted({k for k in pairs if k.startswith("batch")}, key=lambda k: int(k[5:]))
    files = sorted(k for k in pairs if k.startswith("file:"))
    for split in (*splits, *batches, *files, "all"):
        labels: dict[str, Any] = {label: _binary(p) for label, p in sorted(pairs[split].items())}
        if sentiment[split]:
            labels["sentiment_accuracy"] = round(sum(sentiment[split]) / len(sentiment[split]), 3)
        report[split] = labels
    result: dict[str, Any] = {
        "data": {
            "lines": len(rows),
            "customer": sum(1 for r in rows if r["role"] == "customer"),
            "agent": sum(1 for r in rows if r["role"] == "agent"),
            "holdout": sum(1 for r in rows if r.get("split") == "holdout"),
            "files": sorted({r.get("_file", "assist_dev") for r in rows}),
            "lexicon": lexicon.version,
            "models": {label: polarity.model(label) is not None for label in polarity.MODEL_FILES},
        },
        "splits": report,
        "latency": _latency(rows, lexicon, rounds),
        "machine": {"python": platform.python_version(), "cpus_used": 1},
    }
    if errors:
        result["errors"] = misread
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        action="append",
        default=None,
        help="a labelled JSONL file or a glob (repeatable; default bench/data/assist_*.jsonl)",
    )
    parser.add_argument("--no-models", action="store_true", help="the rules alone")
    parser.add_argument(
        "--errors",
        nargs="?",
        const="dev",
        default=None,
        help="list misread lines: of the dev split (default) or of one batch (batchN)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="timing passes over the set")
    parser.add_argument(
        "--smoke", action="store_true", help="seconds: the first 200 lines, one pass (make test)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.rounds = 1
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if args.no_models:
        polarity._switched_off = True
    patterns = args.data or [str(ROOT / "bench" / "data" / "assist_*.jsonl")]
    paths = sorted({Path(p) for pattern in patterns for p in glob.glob(pattern)})
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                print(f"{path.name}:{number}: not JSON, skipped", file=sys.stderr)
                continue
            row["_file"] = path.stem
            rows.append(row)
    if args.smoke:
        rows = rows[:200]
    json.dump(
        evaluate(rows, errors=args.errors, rounds=args.rounds),
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
