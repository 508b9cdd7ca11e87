"""Incidents benchmark: confirm a stoppage affecting 10,000 contacts and time until every
first notice is handed to its channel.

    .venv/bin/python bench/incidents.py --engine sqlite
    .venv/bin/python bench/incidents.py --engine postgres --contacts 10000

Every contact prefers email then SMS, so the first notice makes two deliveries
per contact. Email goes to Django's in-memory backend; the SMS gateway is faked
in-process (the real SMS adapter runs, only its HTTP post is replaced). One
worker: the task runs in this process right after the confirmation commits.
Prints one JSON object: seconds, rows written and queries. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.desk import configure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="seconds: 50 contacts (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.contacts = 50
    os.environ["KEFU_SMS_GATEWAY_URL"] = "http://gateway.invalid/send"
    configure(args.engine)

    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from kefu.channels import sms
    from kefu.core.models import User
    from kefu.core.roles import Role
    from kefu.customers.models import Contact, Organisation
    from kefu.incidents import services
    from kefu.incidents.models import Delivery, Incident, ManualOutreach, Notice

    gateway_calls = 0

    def fake_gateway(url: str, payload: object, **kwargs: object) -> dict[str, object]:
        nonlocal gateway_calls
        gateway_calls += 1
        return {"id": f"gw-{gateway_calls}"}

    sms.post_json = fake_gateway  # type: ignore[assignment]
    mail.outbox = []
    now = timezone.now()
    lead = User.objects.create(username="bench.lead", role=Role.TEAM_LEAD)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"客户{i:04d}", region="上海", created_at=now)
        for i in range(max(args.contacts // 50, 1))
    )
    Contact.objects.bulk_create(
        (
            Contact(
                organisation=orgs[i % len(orgs)],
                name=f"联系人{i:05d}",
                email=f"c{i}@example.com",
                phone=f"138{i:08d}",
                language="en" if i % 5 == 0 else "zh-hans",
                preferred_channels=["email", "sms"],
                created_at=now,
            )
            for i in range(args.contacts)
        ),
        batch_size=2000,
    )
    incident = services.incident_create(
        actor=lead,
        title="全市停电",
        kind=Incident.Kind.DISASTER,
        cause="台风导致区域停电",
        started_at=now,
        expected_from=timezone.localdate() + timedelta(days=3),
        at=now,
    )
    services.incident_pick_affected(actor=lead, incident=incident, regions=["上海"], at=now)

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        services.incident_confirm(actor=lead, incident=incident, at=timezone.now())
    elapsed = time.perf_counter() - started

    deliveries = Delivery.objects.filter(notice__incident=incident)
    result = {
        "benchmark": "incidents.first_notice",
        "engine": args.engine,
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "contacts": args.contacts,
        "seconds_until_all_handed": round(elapsed, 2),
        "deliveries": deliveries.count(),
        "handed": deliveries.filter(status="sent").count(),
        "emails": len(mail.outbox),
        "sms_gateway_calls": gateway_calls,
        "queries": queries,
        "queries_per_delivery": round(queries / max(deliveries.count(), 1), 2),
        "rows_written": {
            "notice": Notice.objects.filter(incident=incident).count(),
            "delivery": deliveries.count(),
            "manual_outreach": ManualOutreach.objects.filter(incident=incident).count(),
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
