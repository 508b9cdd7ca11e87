"""Portal benchmark: the case list of a contact with 500 cases.

    .venv/bin/python bench/portal.py --engine sqlite
    .venv/bin/python bench/portal.py --engine postgres --cases 500

One contact owns ``--cases`` cases (every third with an open promise, the next
step the list shows); other contacts own as many again. Timed: the selector
behind the list (``portal_case_list``, one page) and the whole page
``GET /portal/`` through Django's test client with a portal session (sign-in
check, incidents, surveys, template). Prints one JSON object with p50 and p95
in milliseconds. Not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.desk import configure  # noqa: E402


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--smoke", action="store_true", help="seconds: 60 cases, 5 runs")
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.runs = 60, 5  # more than a page, so a next page shows
    configure(args.engine)

    from django.test import Client
    from django.utils import timezone

    from kefu.cases.models import Case, Commitment
    from kefu.cases.services import intake_department
    from kefu.core.models import User
    from kefu.customers.models import Contact, Organisation
    from kefu.portal.access import COOKIE
    from kefu.portal.selectors import portal_case_list
    from kefu.portal.services_signin import session_start

    now = timezone.now()
    agent = User.objects.create_user(username="bench.agent", password=None)
    department = intake_department()
    organisation = Organisation.objects.create(name="基准测试客户", created_at=now)
    contact = Contact.objects.create(
        organisation=organisation, name="李娜", email="bench@example.com", created_at=now
    )
    other = Contact.objects.create(
        organisation=organisation, name="王强", email="other@example.com", created_at=now
    )
    rows = [
        Case(
            reference=f"KF-B-{n:06d}",
            subject=f"卫生间渗水 {n}",
            contact=contact if n < args.cases else other,
            organisation=organisation,
            channel="email",
            department=department,
            status=Case.Status.OPEN,
            created_at=now - timedelta(minutes=n),
            updated_at=now - timedelta(minutes=n),
        )
        for n in range(args.cases * 2)
    ]
    Case.objects.bulk_create(rows, batch_size=500)
    Commitment.objects.bulk_create(
        [
            Commitment(
                case=case,
                what="师傅上门查看",
                owner=agent,
                created_by=agent,
                due_at=now + timedelta(days=1),
                created_at=now,
            )
            for case in Case.objects.filter(contact=contact).order_by("pk")[::3]
        ],
        batch_size=500,
    )

    selector_ms: list[float] = []
    for _run in range(args.runs):
        started = time.perf_counter()
        page = portal_case_list(contact)
        selector_ms.append((time.perf_counter() - started) * 1000)
    if len(page) != 51:
        raise SystemExit(f"bench/portal.py: expected a full page and one more, got {len(page)}")

    client = Client()
    client.cookies[COOKIE] = session_start(contact=contact, at=now)
    client.get("/portal/")  # warm the template cache
    page_ms: list[float] = []
    for _run in range(args.runs):
        started = time.perf_counter()
        response = client.get("/portal/")
        page_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bench/portal.py: /portal/ answered {response.status_code}")
    print(
        json.dumps(
            {
                "bench": "portal_case_list",
                "engine": args.engine,
                "cases_of_contact": args.cases,
                "runs": args.runs,
                "selector_p50_ms": round(statistics.median(selector_ms), 2),
                "selector_p95_ms": round(_p95(selector_ms), 2),
                "page_p50_ms": round(statistics.median(page_ms), 2),
                "page_p95_ms": round(_p95(page_ms), 2),
                "target_ms": 50,
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
