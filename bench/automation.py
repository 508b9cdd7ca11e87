"""Trigger evaluation cost at intake: one e-mail with and without 200 active triggers.

    .venv/bin/python bench/automation.py [--engine sqlite|postgres] [--messages 200]

Stores ``--messages`` e-mails through ``email_ingest`` with no rule, then the same
number with 200 active triggers on case_opened / customer_replied (each with two
conditions; none match: the cost of evaluating them), then with 4 of the 200
matching and tagging every case (the cost of the work the rules do), and prints the milliseconds
each message took, the difference (target: at most 5 ms), and bench/ingest.py's
figure measured in the same run. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = 200


def _mail(run: str, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"客户{n} <auto{n % 300}@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = f"卫生间漏水 第{n}次反映"
    message["Message-ID"] = f"<auto-{run}-{n}@example.com>"
    message.set_content("楼下邻居说天花板有水渍，麻烦尽快派人上门查看。" * 3)
    return bytes(message)


def _per_message_ms(count: int) -> float:
    from django.utils import timezone

    from kefu.channels.email_in import email_ingest

    run = uuid.uuid4().hex[:8]
    mails = [_mail(run, n) for n in range(count)]
    start = time.perf_counter()
    for raw in mails:
        email_ingest(raw=raw, at=timezone.now(), source="bench")
    return (time.perf_counter() - start) * 1000 / count


def _rules(*, matching_every: int = 0) -> None:
    from django.utils import timezone

    from kefu.automation import services
    from kefu.automation.models import Rule
    from kefu.core.models import Department, User
    from kefu.core.roles import Role

    department = Department.objects.order_by("pk").first() or Department.objects.create(
        name="客服中心", code="service"
    )
    admin = User.objects.create(
        username=f"bench-admin-{uuid.uuid4().hex[:6]}",
        role=Role.ADMINISTRATOR,
        department=department,
    )
    for n in range(RULES):
        matching = bool(matching_every) and n % matching_every == 0
        services.rule_save(
            actor=admin,
            name=f"bench {n}",
            kind=Rule.Kind.TRIGGER,
            events=["case_opened", "customer_replied"],
            conditions={
                "match": "all",
                "rules": [
                    {"field": "case.channel", "op": "eq", "value": "email"},
                    {
                        "field": "message.text",
                        "op": "contains",
                        "value": "漏水" if matching else f"词语{n}",
                    },
                ],
            },
            actions=[{"type": "add_tags", "tags": [f"bench{n}"]}],
            at=timezone.now(),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="seconds: 10 messages (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.messages = 10
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from bench.desk import configure
    from bench.ingest import measure_ingest

    configure(args.engine, database="kefu_bench_automation")
    ingest = measure_ingest(args.messages, pipe_runs=1)
    _per_message_ms(20)  # warm up (first-use imports, caches)
    without = _per_message_ms(args.messages)
    _rules()
    with_rules = _per_message_ms(args.messages)
    from kefu.automation.models import Rule

    Rule.objects.all().delete()
    _rules(matching_every=50)
    with_firing = _per_message_ms(args.messages)
    email_rate = float(str(ingest["email_messages_per_second_one_process"]))
    result = {
        "benchmark": "automation",
        "engine": args.engine,
        "messages": args.messages,
        "active_triggers": RULES,
        "ingest_bench_email_ms_per_message": round(1000 / email_rate, 2),
        "intake_ms_per_message_without_rules": round(without, 2),
        "intake_ms_per_message_with_200_rules": round(with_rules, 2),
        "added_ms_per_message": round(with_rules - without, 2),
        "intake_ms_per_message_with_200_rules_4_firing": round(with_firing, 2),
        "added_ms_per_message_4_firing": round(with_firing - without, 2),
        "target_added_ms": 5,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
