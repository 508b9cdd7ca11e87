"""Score a real model's reply drafts with the coach's own flags (run by hand).

    KEFU_LLM_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1 \\
    KEFU_LLM_API_KEY=sk-... KEFU_LLM_MODEL=qwen-plus \\
    .venv/bin/python tools/partner_eval.py [--limit 50] [--data FILE_OR_GLOB ...]

    .venv/bin/python tools/partner_eval.py --fake --limit 5   # dry run, local fake model

For each labelled customer message in ``bench/data/assist_*.jsonl`` (``"role":
"customer"``), the coach reads it as it reads any customer message, a one-message
case is built from it, and the partner's draft prompt (``kefu.partner.prompts``)
goes to the provider, redacted exactly as on the case page. The answer is
restored and coached with the customer's text and reading as context. A draft
"needs no edit" when the coach raises no flag on it and it was not refused.

Prints one JSON object: the model, the drafts asked for, answered, refused
(personal data it was not given), failed (provider faults by kind), the share
that needs no edit, the count of each coach flag, tokens spent, latency
(p50/p95), and up to five flagged drafts to read. Costs real tokens: mind the
provider's price and ``--limit``. Nothing of the case database is read or sent;
only the labelled lines.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _customers(patterns: list[str]) -> list[str]:
    texts: list[str] = []
    for pattern in patterns:
        for name in sorted(glob.glob(str(ROOT / pattern)) or glob.glob(pattern)):
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    if row.get("role") == "customer" and isinstance(row.get("text"), str):
                        texts.append(row["text"])
    return texts


def _run(texts: list[str]) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    django.setup()
    from django.conf import settings

    from kefu.assist.engine import coach_draft, load_lexicon, read_customer
    from kefu.partner import prompts
    from kefu.partner.client import ProviderError, chat_complete, is_configured
    from kefu.partner.redact import redact, restore
    from kefu.partner.selectors import CaseMaterial, ThreadLine

    if not is_configured():
        return {"error": "set KEFU_LLM_BASE_URL and KEFU_LLM_MODEL (or use --fake)"}
    lexicon = load_lexicon()
    now = datetime.now(UTC)
    flags: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    latencies: list[int] = []
    tokens = answered = refused = clean = 0
    flagged_examples: list[dict[str, Any]] = []
    for text in texts:
        reading = read_customer(text, {}, lexicon)
        mood = f"sentiment {reading.sentiment}" + ("; upset" if reading.upset else "")
        material = CaseMaterial(
            reference="KF-EVAL",
            subject=text[:40],
            category="complaint" if reading.complaint else "enquiry",
            status="open",
            priority="normal",
            customer_language="zh-hans",
            thread=[ThreadLine(at=now, who="customer", body=text, mood=mood)],
            latest_mood=mood,
            next_step="Empathize: name the customer's feeling in your reply."
            if reading.upset
            else "",
        )
        messages = prompts.draft_messages(material)
        redaction = redact([m["content"] for m in messages])
        sent = [
            {"role": m["role"], "content": t}
            for m, t in zip(messages, redaction.texts, strict=True)
        ]
        try:
            answer = chat_complete(messages=sent, max_tokens=600)
        except ProviderError as exc:
            faults[str(exc.fault)] += 1
            continue
        answered += 1
        latencies.append(answer.latency_ms)
        tokens += answer.prompt_tokens + answer.completion_tokens
        restored = restore(answer.text, redaction.mapping())
        if restored.refusal is not None:
            refused += 1
            continue
        coaching = coach_draft(
            restored.text,
            {
                "customer_text": text,
                "customer_upset": reading.upset,
                "complaint": reading.complaint,
            },
            lexicon,
        )
        codes = sorted({flag.code for flag in coaching.flags})
        flags.update(codes)
        if not codes:
            clean += 1
        elif len(flagged_examples) < 5:
            flagged_examples.append({"customer": text, "draft": restored.text, "flags": codes})
    ordered = sorted(latencies)
    return {
        "model": settings.KEFU_LLM_MODEL,
        "base_url": settings.KEFU_LLM_BASE_URL,
        "asked": len(texts),
        "answered": answered,
        "refused": refused,
        "failed": dict(faults),
        "share_no_edit": round(clean / answered, 3) if answered else None,
        "flags": dict(flags.most_common()),
        "tokens": tokens,
        "latency_ms": {
            "p50": statistics.median(ordered) if ordered else None,
            "p95": ordered[int(0.95 * (len(ordered) - 1))] if ordered else None,
        },
        "flagged_examples": flagged_examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=50, help="customer messages (default 50)")
    parser.add_argument("--data", action="append", help="JSONL files or globs")
    parser.add_argument("--fake", action="store_true", help="the tests' local fake model")
    args = parser.parse_args()
    texts = _customers(args.data or ["bench/data/assist_*.jsonl"])[: max(args.limit, 0)]
    if args.fake:
        from tests.partner.fake_llm import API_KEY, MODEL, serve

        with serve() as fake:
            os.environ.update(
                {
                    "KEFU_LLM_BASE_URL": fake.base_url,
                    "KEFU_LLM_API_KEY": API_KEY,
                    "KEFU_LLM_MODEL": MODEL,
                }
            )
            result = _run(texts)
    else:
        result = _run(texts)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
