"""The writing partner's plumbing over the labelled agent drafts, with a local fake model.

    .venv/bin/python bench/partner.py [--smoke] [--data FILE_OR_GLOB ...]

Every agent draft in ``bench/data/assist_*.jsonl`` (``"role": "agent"``) is sent
as a rewrite request, the way the case page sends one: the prompt is built by
``kefu.partner.prompts``, redacted by ``kefu.partner.redact``, sent through the
real ``openai`` client (``kefu.partner.client``) to the fake OpenAI-compatible
server of the tests (127.0.0.1, answering with the draft it was sent, so the
placeholders come back as a model would return them), restored, and read by the
coach. A customer line with a phone and an ID number goes along in every prompt.

Prints one JSON object: the drafts, the plumbing latency per request (redact +
HTTP round trip + restore + coach; p50/p95/max, milliseconds), the share of
prompts in which something was redacted (every prompt carries the customer's
line) and of drafts that held personal data of their own, the values per kind, how many
answers came back identical after the placeholders were restored, how many were
refused, and whether any raw phone or ID number reached the server (must be 0).
No model quality is measured here: tools/partner_eval.py does that with a real
provider. ``--smoke`` runs the first 40 drafts.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

CUSTOMER = "师傅说好今天来，到现在也没人！我电话13912345678，身份证110101199003071234，快点。"
RAW = ("13912345678", "110101199003071234")


def _drafts(patterns: list[str]) -> list[str]:
    texts: list[str] = []
    for pattern in patterns:
        for name in sorted(glob.glob(str(ROOT / pattern)) or glob.glob(pattern)):
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("role") == "agent" and isinstance(row.get("text"), str):
                    texts.append(row["text"])
    return texts


def _echo(request: dict[str, Any]) -> str:
    """The fake model's answer: the reply it was asked to rewrite, as it was sent."""
    content = str(request["messages"][-1]["content"])
    start = content.index("The agent's reply:\n") + len("The agent's reply:\n")
    return content[start : content.index("\n\n", start)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the first 40 drafts (seconds)")
    parser.add_argument("--data", action="append", help="JSONL files or globs")
    args = parser.parse_args()
    drafts = _drafts(args.data or ["bench/data/assist_*.jsonl"])
    if args.smoke:
        drafts = drafts[:40]

    from tests.partner.fake_llm import API_KEY, MODEL, serve

    with serve() as fake:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "kefu.settings",
                "KEFU_LLM_BASE_URL": fake.base_url,
                "KEFU_LLM_API_KEY": API_KEY,
                "KEFU_LLM_MODEL": MODEL,
                "KEFU_LLM_TIMEOUT_SECONDS": "10",
            }
        )
        import django

        django.setup()
        from kefu.assist.engine import coach_draft, load_lexicon
        from kefu.partner import prompts
        from kefu.partner.client import ProviderError, chat_complete
        from kefu.partner.redact import Kind, redact, restore
        from kefu.partner.selectors import CaseMaterial, ThreadLine

        fake.reply = _echo
        lexicon = load_lexicon()
        now = datetime.now(UTC)
        latencies: list[float] = []
        redacted_prompts = 0
        per_kind = {kind.value: 0 for kind in Kind}
        identical = refused = failed = drafts_redacted = 0
        for draft in drafts:
            material = CaseMaterial(
                reference="KF-2026-000001",
                subject="上门维修",
                category="投诉",
                status="处理中",
                priority="高",
                customer_language="zh-hans",
                thread=[ThreadLine(at=now, who="customer", body=CUSTOMER, mood="upset")],
            )
            messages = prompts.rewrite_messages(material, text=draft, rewrite="shorter")
            started = time.perf_counter()
            redaction = redact([m["content"] for m in messages])
            sent = [
                {"role": m["role"], "content": text}
                for m, text in zip(messages, redaction.texts, strict=True)
            ]
            try:
                answer = chat_complete(messages=sent, max_tokens=600)
            except ProviderError:
                failed += 1
                continue
            restored = restore(answer.text, redaction.mapping())
            if restored.refusal is None:
                coach_draft(restored.text, {"customer_text": CUSTOMER}, lexicon)
            latencies.append((time.perf_counter() - started) * 1000)
            if redaction.placeholders:
                redacted_prompts += 1
            if redact([draft]).placeholders:
                drafts_redacted += 1
            for kind in Kind:
                per_kind[kind.value] += redaction.count(kind)
            if restored.refusal is not None:
                refused += 1
            elif restored.text == draft:
                identical += 1
        leaked = sum(fake.sent_text().count(raw) for raw in RAW)

    done = len(latencies)
    ordered = sorted(latencies)
    print(
        json.dumps(
            {
                "benchmark": "partner_plumbing",
                "drafts": len(drafts),
                "answered": done,
                "failed": failed,
                "latency_ms": {
                    "p50": round(statistics.median(ordered), 2) if ordered else None,
                    "p95": round(ordered[int(0.95 * (done - 1))], 2) if ordered else None,
                    "max": round(ordered[-1], 2) if ordered else None,
                },
                "share_redacted": round(redacted_prompts / done, 3) if done else None,
                "share_drafts_with_personal_data": (
                    round(drafts_redacted / done, 3) if done else None
                ),
                "redacted_values": per_kind,
                "restored_identical": identical,
                "refused": refused,
                "raw_personal_data_sent": leaked,
                "python": platform.python_version(),
                "machine": platform.machine(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
