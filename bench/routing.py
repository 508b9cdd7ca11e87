"""Routing's cost at intake: one e-mail with and without routing on the intake team.

    .venv/bin/python bench/routing.py [--engine sqlite|postgres] [--messages 200]

Stores ``--messages`` e-mails through ``email_ingest`` with the intake team not
routed, then the same number with skills-first routing over 20 agents on shift
(half with the 漏水 skill that every message names, capacity high enough that
nobody fills up), and prints the milliseconds each message took and the
difference (target with the triggers: at most 5 ms together). One JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENTS = 20


def _mail(run: str, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"客户{n} <route{n}-{run}@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = f"卫生间漏水 第{n}次反映"
    message["Message-ID"] = f"<route-{run}-{n}@example.com>"
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


def _routing() -> int:
    """Route the intake team; returns how many agents are at work."""
    from django.utils import timezone

    from kefu.cases.services import intake_department
    from kefu.core.models import Team, User
    from kefu.core.roles import Role
    from kefu.floor.models import AgentState
    from kefu.routing.models import AgentSkill, TeamRouting
    from kefu.workforce.models import Schedule, ScheduledShift

    now = timezone.now()
    department = intake_department()
    team = Team.objects.filter(department=department).order_by("pk").first()
    if team is None:
        team = Team.objects.create(department=department, name="热线一组")
    schedule = Schedule.objects.create(
        team=team, week_start=now.date(), rules={}, status="published", created_at=now
    )
    for n in range(AGENTS):
        agent = User.objects.create(
            username=f"bench-route-{uuid.uuid4().hex[:6]}",
            role=Role.AGENT,
            department=department,
            team=team,
        )
        ScheduledShift.objects.create(
            schedule=schedule,
            agent=agent,
            start=now - timedelta(hours=1),
            end=now + timedelta(hours=8),
        )
        AgentState.objects.create(agent=agent, state="available", started_at=now)
        if n % 2 == 0:
            AgentSkill.objects.create(agent=agent, kind="topic", value="漏水", updated_at=now)
    TeamRouting.objects.update_or_create(
        team=team,
        defaults={
            "method": "skills_first",
            "capacity": 10_000,
            "channel_capacity": {},
            "updated_at": now,
        },
    )
    return AGENTS


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

    configure(args.engine, database="kefu_bench_routing")
    _per_message_ms(20)  # warm up (first-use imports, caches)
    without = _per_message_ms(args.messages)
    agents = _routing()
    with_routing = _per_message_ms(args.messages)
    from kefu.cases.models import Case

    routed = Case.objects.filter(owner__isnull=False).count()
    result = {
        "benchmark": "routing",
        "engine": args.engine,
        "messages": args.messages,
        "agents_on_shift": agents,
        "cases_given_an_owner": routed,
        "intake_ms_per_message_without_routing": round(without, 2),
        "intake_ms_per_message_with_routing": round(with_routing, 2),
        "added_ms_per_message": round(with_routing - without, 2),
        "target_added_ms_with_triggers": 5,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
