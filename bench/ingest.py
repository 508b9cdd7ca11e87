"""Ingest rates: emails through the `kefu ingest-email` path and the signed chat webhook.

    .venv/bin/python bench/ingest.py [--engine sqlite|postgres] [--messages 400]

Imported by bench/desk.py after the desk is built (and runnable alone, on an
empty scratch database); measures in one process (the mail server pipe and the
webhook both end in these same calls). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN = uuid.uuid4().hex[:8]  # fresh ids each run, so nothing is skipped as a repeat


def _mail(n: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"客户{n} <bench{n % 500}@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = f"卫生间渗水 第{n}次反映" if n % 3 else f"Re: 报修进度 {n}"
    message["Message-ID"] = f"<bench-{RUN}-{n}@example.com>"
    message.set_content("楼下邻居说天花板有水渍，麻烦尽快派人上门查看。" * 3)
    return bytes(message)


def measure_ingest(count: int = 400, *, pipe_runs: int = 5) -> dict[str, object]:
    """Messages per second stored by email ingestion and by the chat webhook."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from kefu.cases.services import intake_department
    from kefu.channels.email_in import email_ingest
    from kefu.channels.signing import sign
    from kefu.core.models import Team

    # A desk files new cases into its service team (every desk set up by `kefu demo`
    # or the admin has one); a scratch database gets one, as a real desk would.
    department = intake_department()
    if not Team.objects.filter(department=department).exists():
        Team.objects.create(department=department, name="热线一组")
    mails = [_mail(n) for n in range(count)]
    start = time.perf_counter()
    for raw in mails:
        email_ingest(raw=raw, at=timezone.now(), source="bench")
    email_rate = count / (time.perf_counter() - start)

    settings.KEFU_CHAT_WEBHOOK_SECRET = "bench-secret-bench-secret"  # type: ignore[misc]  # noqa: S105
    client = Client()
    bodies = [
        json.dumps(
            {
                "message_id": f"bench-chat-{RUN}-{n}",
                "conversation_id": f"conv-{n % 300}",
                "sender": {"handle": f"wx_bench_{n % 300}", "name": f"客户{n}"},
                "text": "请问维修师傅几点到？",
                "sent_at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        for n in range(count)
    ]
    start = time.perf_counter()
    for body in bodies:
        response = client.post(
            "/api/v1/channels/chat/messages",
            body,
            content_type="application/json",
            headers={"X-Kefu-Signature": sign(settings.KEFU_CHAT_WEBHOOK_SECRET, body)},
        )
        if response.status_code != 200:
            raise RuntimeError(f"chat webhook: {response.status_code} {response.content[:200]!r}")
    chat_rate = count / (time.perf_counter() - start)

    # One `kefu ingest-email` process per message, as a mail server pipe runs it:
    # dominated by starting Python and Django.
    kefu = str(Path(sys.executable).with_name("kefu"))
    start = time.perf_counter()
    runs = pipe_runs
    for n in range(runs):
        subprocess.run(
            [kefu, "ingest-email"],
            input=_mail(count + n),
            env=dict(os.environ),
            capture_output=True,
            check=True,
        )
    per_process = (time.perf_counter() - start) / runs
    return {
        "email_messages_per_second_one_process": round(email_rate, 1),
        "chat_webhook_messages_per_second_one_process": round(chat_rate, 1),
        "ingest_email_command_seconds_per_invocation": round(per_process, 2),
        "messages": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--smoke", action="store_true", help="seconds: 20 mails (make test)")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from bench.desk import configure

    configure(args.engine, database="kefu_bench_ingest")
    count, pipe_runs = (20, 1) if args.smoke else (args.messages, 5)
    result = {"benchmark": "ingest", "engine": args.engine}
    result.update(measure_ingest(count, pipe_runs=pipe_runs))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
