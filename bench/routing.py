"""Routing's cost at intake: one e-mail with and without routing on the intake team.

    .venv/bin/python bench/routing.py [--engine sqlite|postgres] [--messages 200] [--rounds 3]

Stores ``--messages`` e-mails through ``email_ingest`` with the intake team not
routed, then the same number with skills-first routing over 20 agents on shift
(half with the 漏水 skill that every message names, capacity high enough that
nobody fills up), then with routing and 200 active triggers that match nothing
(``bench/automation.py``'s rules), and prints the milliseconds each message took
and the differences (target: routing and the triggers add at most 5 ms together,
issue 18). The three are measured in ``--rounds`` interleaved rounds (rules and
routing switched on and off between them) and the median of each is kept, so a
busy machine slows all three alike. One JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
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


def _switch(*, routing: bool, rules: bool) -> None:
    from kefu.automation.engine import rules_changed
    from kefu.automation.models import Rule
    from kefu.routing.models import TeamRouting

    TeamRouting.objects.update(is_enabled=routing)
    Rule.objects.update(is_active=rules)
    rules_changed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="seconds: 10 messages (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.messages, args.rounds = 10, 1
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from bench.automation import RULES, _rules
    from bench.desk import configure

    configure(args.engine, database="kefu_bench_routing")
    agents = _routing()
    _rules()
    _per_message_ms(20)  # warm up (first-use imports, caches)
    samples: dict[str, list[float]] = {"without": [], "routing": [], "both": []}
    for _round in range(args.rounds):
        for name, routing, rules in (
            ("without", False, False),
            ("routing", True, False),
            ("both", True, True),
        ):
            _switch(routing=routing, rules=rules)
            _per_message_ms(5)
            samples[name].append(_per_message_ms(args.messages))
    from kefu.cases.models import Case

    routed = Case.objects.filter(owner__isnull=False).count()
    median = {name: statistics.median(values) for name, values in samples.items()}
    result = {
        "benchmark": "routing",
        "engine": args.engine,
        "messages": args.messages,
        "rounds": args.rounds,
        "agents_on_shift": agents,
        "active_triggers_matching_nothing": RULES,
        "cases_given_an_owner": routed,
        "intake_ms_per_message_without_routing": round(median["without"], 2),
        "intake_ms_per_message_with_routing": round(median["routing"], 2),
        "intake_ms_per_message_with_routing_and_triggers": round(median["both"], 2),
        "added_ms_per_message": round(median["routing"] - median["without"], 2),
        "added_ms_per_message_routing_and_triggers": round(median["both"] - median["without"], 2),
        "target_added_ms_with_triggers": 5,
        "samples_ms": {name: [round(v, 2) for v in values] for name, values in samples.items()},
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
