"""Desk benchmark: build a large desk quickly, then time the pages and APIs agents use.

    .venv/bin/python bench/desk.py --engine sqlite --cases 100000
    .venv/bin/python bench/desk.py --engine postgres --cases 1000000

Prints one JSON object: build time, p50/p95 server time (ms) and query counts
for the queue page, the case list API with filters, a case page with 50
messages and Chinese substring search, and ingest rates. The database is a
scratch one (a temporary SQLite file, or PostgreSQL database `kefu_bench`).
Not a test: figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SH = ZoneInfo("Asia/Shanghai")


def configure(engine: str, *, reuse: bool = False, database: str = "kefu_bench") -> None:
    if engine == "postgres":
        if not database.replace("_", "").isalnum() or database in ("test", "postgres"):
            raise SystemExit(f"bench/desk.py: {database!r} is not a scratch database name")
        if not reuse:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
                conn.execute(f"CREATE DATABASE {database}")
        os.environ["KEFU_DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + database
    os.environ["KEFU_VAR_DIR"] = tempfile.mkdtemp(prefix="kefu-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    os.environ["KEFU_TASKS_BACKEND"] = "immediate"
    os.environ["KEFU_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["KEFU_LOG_LEVEL"] = "warning"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class RawInsert:
    """A raw INSERT/COPY of ``model`` whose column list comes from the model itself.

    Every concrete column but the primary key is written: those the bench names in
    ``given`` (a field or column name per value, in order) take the bench's values,
    the others their model default, NULL, or "" for a blank text field. A model that
    grows a column keeps the bench running; a NOT NULL column without a default stops
    it with the column named. A name the model does not have stops it too. Columns
    come from the model as far as the migrated table has them.
    """

    def __init__(self, model: Any, given: tuple[str, ...]) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            in_table = {
                col.name
                for col in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
        # A field whose migration is not written yet has no column to fill.
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key and f.column in in_table
        ]
        by_name = {f.name: f for f in fields} | {f.column: f for f in fields}
        unknown = [name for name in given if name not in by_name]
        if unknown:
            raise SystemExit(f"bench/desk.py: {model._meta.db_table} has no {', '.join(unknown)}")
        position = {by_name[name].column: n for n, name in enumerate(given)}
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self._plan: list[tuple[int, object]] = []  # (index into the given row, or -1; default)
        for field in fields:
            if field.column in position:
                self._plan.append((position[field.column], None))
                continue
            if field.has_default():
                value = field.get_db_prep_save(field.get_default(), connection)
            elif field.null:
                value = None
            elif field.blank and field.get_internal_type() in ("CharField", "TextField"):
                value = ""
            else:
                raise SystemExit(
                    f"bench/desk.py: {self.table}.{field.column} needs a value; add it"
                )
            self._plan.append((-1, value))

    def row(self, given: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(given[i] if i >= 0 else value for i, value in self._plan)

    def write(self, cursor: Any, rows: Iterator[tuple[object, ...]], batch: int = 5000) -> int:
        """Insert every row (COPY on PostgreSQL, executemany elsewhere); the row count."""
        from django.db import connection

        names = ", ".join(self.columns)
        count = 0
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                for given in rows:
                    copy.write_row(self.row(given))
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"  # noqa: S608
        for chunk in batches((self.row(given) for given in rows), batch):
            cursor.executemany(sql, chunk)
            count += len(chunk)
        return count


def texts() -> tuple[list[str], list[str]]:
    from kefu.demo import texts as zh

    subjects: list[str] = []
    bodies: list[str] = []
    for topic in zh.TOPICS_ZH_RENOVATION:
        subjects.append(topic.subject)
        bodies.extend(topic.opening)
        bodies.extend([topic.follow_up, topic.note])
    filler = ["请尽快处理，谢谢。", "已收到，我们会按约定时间上门。", "好的，等你们消息。"]
    return subjects, bodies + filler


def batches(rows: Iterator[tuple[object, ...]], size: int) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(n_cases: int, per_case: int, seed: int) -> dict[str, object]:
    """Insert staff, customers, ``n_cases`` cases and about ``per_case`` messages each."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from kefu.cases import search
    from kefu.cases.models import Case, Message
    from kefu.core.models import Department, Team, User
    from kefu.customers.models import Contact, Organisation

    rng = random.Random(seed)
    started = time.perf_counter()
    department = Department.objects.create(name="客服中心", code="service")
    team = Team.objects.create(department=department, name="热线一组")
    password = make_password("kefu-bench")
    agents = User.objects.bulk_create(
        User(
            username=f"agent{n}",
            password=password,
            role="agent",
            department=department,
            team=team,
        )
        for n in range(20)
    )
    now = datetime(2026, 11, 20, 12, 0, tzinfo=SH)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"客户{n:05d}", created_at=now) for n in range(2000)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            organisation=orgs[n],
            name=f"联系人{n}",
            email=f"c{n}@example.com",
            phone=f"138{n:08d}",
            preferred_channels=["email"],
            created_at=now,
        )
        for n in range(2000)
    )
    subjects, bodies = texts()
    statuses = ["new", "open", "waiting_customer", "resolved", "closed", "closed", "closed"]
    priorities = ["low", "normal", "normal", "normal", "high", "urgent"]
    case_rows = []
    message_plan: list[tuple[int, int, list[str]]] = []
    for n in range(n_cases):
        created = now - timedelta(minutes=rng.randrange(0, 200 * 24 * 60))
        subject = rng.choice(subjects)
        count = max(1, int(rng.expovariate(1 / per_case)))
        chosen = [rng.choice(bodies) for _ in range(count)]
        contact = contacts[rng.randrange(len(contacts))]
        status = rng.choice(statuses)
        is_open = status not in ("resolved", "closed")
        due = created + timedelta(hours=rng.randrange(1, 72)) if is_open else None
        case_rows.append(
            (
                f"KF-B-{n + 1:08d}",
                subject,
                contact.organisation_id,
                contact.pk,
                "email",
                "enquiry",
                rng.choice(priorities),
                status,
                agents[rng.randrange(len(agents))].pk,
                team.pk,
                department.pk,
                "[]",
                False,
                created,
                created,
                due,
                search.merge_terms("", subject + " " + " ".join(chosen)),
            )
        )
        message_plan.append((n + 1, contact.pk, chosen))
    case_insert = RawInsert(
        Case,
        (
            "reference",
            "subject",
            "organisation",
            "contact",
            "channel",
            "category",
            "priority",
            "status",
            "owner",
            "team",
            "department",
            "tags",
            "is_confidential",
            "created_at",
            "updated_at",
            "sla_due_at",
            "search_terms",
        ),
    )
    message_insert = RawInsert(
        Message,
        (
            "case",
            "direction",
            "channel",
            "contact",
            "body",
            "body_html",
            "created_at",
            "in_reply_to",
            "delivery_status",
        ),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        case_insert.write(cursor, iter(case_rows))
        cursor.execute("SELECT id FROM cases_case ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]

        def message_rows() -> Iterator[tuple[object, ...]]:
            for case_id, (_n, contact_id, chosen) in zip(ids, message_plan, strict=True):
                for i, body in enumerate(chosen):
                    direction = "in" if i % 2 == 0 else "out"
                    yield (case_id, direction, "email", contact_id, body, "", now, "", "")

        message_count = message_insert.write(cursor, message_rows(), batch=10000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "cases": n_cases,
        "messages": message_count,
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def timed(fn: Callable[[], object], runs: int) -> dict[str, float | int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    queries = 0
    fn()  # warm up
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "queries": queries,
        "runs": runs,
    }


def measure(runs: int) -> dict[str, object]:
    from django.test import Client
    from django.utils import timezone

    from kefu.cases import services
    from kefu.cases.models import Case
    from kefu.core.models import User

    agent = User.objects.get(username="agent3")
    client = Client()
    client.force_login(agent)
    big = Case.objects.filter(owner=agent).order_by("-pk").first()
    if big is None:
        raise SystemExit("no case owned by agent3")
    for n in range(big.messages.count(), 50):
        services.case_note(
            actor=agent, case=big, body=f"跟进记录 {n}：已联系客户。", at=timezone.now()
        )

    def ok(url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            return response

        return get

    return {
        "queue_page": timed(ok("/cases/?scope=mine"), runs),
        "case_list_api_filtered": timed(
            ok("/api/v1/cases?scope=all&status=open&priority=high&limit=50"), runs
        ),
        "case_page_50_messages": timed(ok(f"/cases/{big.pk}/"), runs),
        "search_api_渗水": timed(ok("/api/v1/cases?scope=all&q=%E6%B8%97%E6%B0%B4&limit=50"), runs),
        "search_page_卫生间渗水": timed(
            ok("/cases/?scope=all&q=%E5%8D%AB%E7%94%9F%E9%97%B4%E6%B8%97%E6%B0%B4"), runs
        ),
        # By who the customer is (issue 16): organisation name, whole phone, partial reference.
        "search_api_organisation": timed(
            ok("/api/v1/cases?scope=all&q=%E5%AE%A2%E6%88%B700042&limit=50"), runs
        ),
        "search_api_phone": timed(ok("/api/v1/cases?scope=all&q=138-0000-0042&limit=50"), runs),
        "search_api_reference_000123": timed(ok("/api/v1/cases?scope=all&q=000123&limit=50"), runs),
        "search_page_global": timed(ok("/search/?q=%E5%AE%A2%E6%88%B700042"), runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--messages-per-case", type=int, default=5)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: measure the database built by an earlier run.",
    )
    parser.add_argument(
        "--database",
        default="kefu_bench",
        help="PostgreSQL only: the scratch database (dropped and rebuilt unless --reuse).",
    )
    parser.add_argument("--build-only", action="store_true", help="build, print, stop")
    parser.add_argument(
        "--smoke", action="store_true", help="seconds: 300 cases, 3 runs, 20 mails (make test)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.runs = min(args.cases, 300), 3
    configure(args.engine, reuse=args.reuse, database=args.database)
    if args.reuse:
        from kefu.cases.models import Case, Message

        built: dict[str, object] = {
            "cases": Case.objects.count(),
            "messages": Message.objects.count(),
            "build_seconds": "reused",
        }
    else:
        built = build(args.cases, args.messages_per_case, args.seed)
    result = {
        "benchmark": "desk",
        "engine": args.engine,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu",
        "python": platform.python_version(),
        "date": datetime.now(SH).isoformat(timespec="minutes"),
        **built,
    }
    if args.build_only:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    result["timings"] = measure(args.runs)
    sys.path.insert(0, str(ROOT))
    from bench.ingest import measure_ingest

    result["ingest"] = measure_ingest(20, pipe_runs=1) if args.smoke else measure_ingest()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
