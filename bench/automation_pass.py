"""The automations pass (time conditions) over a large desk.

    .venv/bin/python bench/automation_pass.py --smoke
    .venv/bin/python bench/automation_pass.py --engine postgres --database kefu_bench_pg1m --reuse

Builds (or reuses, PostgreSQL) bench/desk.py's desk, gives resolved and closed
cases a resolution time, adds two automations, "waiting for the customer 48
working hours → tag 待跟进" and "resolved 5 days → close", and runs the clock's
pass (``automations_pass``, in one transaction as the clock loop runs it)
``--passes`` times at the desk's "now". Prints one JSON object: the due backlog
per rule, each pass's seconds and cases fired on, and the candidates queries'
plans (PostgreSQL: the index each walks). The passes commit: a reused database
keeps the tags and closures of earlier runs, so later runs find the next cases.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # bench/desk.py's


def _prepare() -> None:
    """Resolution times for the generated resolved and closed cases (the desk leaves
    them empty), and the two rules."""
    from django.db import connection

    from kefu.automation import services
    from kefu.automation.models import Rule
    from kefu.core.models import Department, User
    from kefu.core.roles import Role

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET resolved_at = updated_at"
            " WHERE status IN ('resolved', 'closed') AND resolved_at IS NULL"
        )
        cursor.execute("ANALYZE cases_case")
    Rule.objects.filter(name__startswith="bench pass ").delete()
    department = Department.objects.order_by("pk").first()
    admin = User.objects.filter(username="bench-pass-admin").first() or User.objects.create(
        username="bench-pass-admin", role=Role.ADMINISTRATOR, department=department
    )
    services.rule_save(
        actor=admin,
        name="bench pass 48 working hours waiting",
        kind=Rule.Kind.AUTOMATION,
        time={"since": "updated", "hours": 48, "working": True},
        conditions={
            "match": "all",
            "rules": [{"field": "case.status", "op": "eq", "value": "waiting_customer"}],
        },
        actions=[{"type": "add_tags", "tags": ["待跟进"]}],
        at=NOW,
    )
    services.rule_save(
        actor=admin,
        name="bench pass resolved 5 days",
        kind=Rule.Kind.AUTOMATION,
        time={"since": "resolved", "hours": 120, "working": False},
        conditions={
            "match": "all",
            "rules": [{"field": "case.status", "op": "eq", "value": "resolved"}],
        },
        actions=[{"type": "set_field", "field": "status", "value": "closed"}],
        at=NOW,
    )


def _plans() -> dict[str, object]:
    from django.db import connection

    from kefu.automation.clocks import candidates
    from kefu.automation.models import Rule

    out: dict[str, object] = {}
    for rule in Rule.objects.filter(name__startswith="bench pass ").order_by("pk"):
        query = candidates(rule, now=NOW).values("pk")
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0][0]
                out[rule.name] = {
                    "ms": round(plan["Execution Time"], 1),
                    "indexes": sorted(_indexes(plan["Plan"])),
                }
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                out[rule.name] = [row[-1] for row in cursor.fetchall()]
    return out


def _indexes(node: dict[str, Any]) -> set[str]:
    found = {str(node["Index Name"])} if "Index Name" in node else set()
    if node.get("Node Type") == "Seq Scan":
        found.add(f"Seq Scan on {node['Relation Name']}")
    for child in node.get("Plans", []):
        found |= _indexes(child)
    return found


def _due() -> dict[str, int]:
    from kefu.automation.clocks import working_cutoff
    from kefu.cases.models import Case
    from kefu.cases.services.sla import team_calendar
    from kefu.core.models import Team

    team = Team.objects.order_by("pk").first()
    return {
        "waiting_48_working_hours": Case.objects.filter(
            status="waiting_customer",
            updated_at__lte=working_cutoff(team_calendar(team), NOW, 48),
        ).count(),
        "resolved_5_days": Case.objects.filter(
            status="resolved", resolved_at__lte=NOW - timedelta(days=5)
        ).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--database", default="kefu_bench_automation_pass")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: an earlier desk build")
    parser.add_argument("--smoke", action="store_true", help="seconds: 500 cases on SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.engine, args.cases, args.passes, args.reuse = "sqlite", 500, 2, False
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from bench.desk import build, configure

    if args.engine == "postgres":
        try:
            import psycopg

            psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres").close()
        except Exception as exc:  # no server: say so, as every bench does
            print(json.dumps({"benchmark": "automation_pass", "missing": f"PostgreSQL: {exc}"}))
            return
    configure(args.engine, reuse=args.reuse, database=args.database)
    built: dict[str, object] = {"build": "reused"} if args.reuse else build(args.cases, 5, 2026)
    from django.db import transaction

    from kefu.automation import clocks
    from kefu.automation.models import RuleRun
    from kefu.cases.models import Case
    from kefu.core.models import ScheduledJob

    _prepare()
    due = _due()
    plans = _plans()
    passes = []
    for _ in range(args.passes):
        before = RuleRun.objects.filter(outcome="done").count()
        start = time.perf_counter()
        with transaction.atomic():
            clocks.automations_pass(ScheduledJob(kind=clocks.PASS_JOB), NOW)
        seconds = time.perf_counter() - start
        fired = RuleRun.objects.filter(outcome="done").count() - before
        passes.append({"seconds": round(seconds, 2), "fired": fired})
    result = {
        "benchmark": "automation_pass",
        "engine": args.engine,
        "cases": Case.objects.count(),
        **built,
        "due_before": due,
        "batch_per_rule": clocks.BATCH,
        "pass_budget_seconds": clocks.PASS_BUDGET,
        "candidates_plans": plans,
        "passes": passes,
        "target_seconds": 60,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
