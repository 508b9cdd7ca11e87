"""Load on the scale-out topology: agents, customers by email and chat, a stoppage notice.

    .venv/bin/python bench/load.py [--seconds 30] [--agents 6] [--chat 2] [--contacts 500]

Starts the topology of docs/operations.md on loopback (2 gunicorn web processes,
2 ``kefu worker`` on Redis, 1 ``kefu clocks``; a scratch PostgreSQL database
migrated with ``kefu migrate``; a fake SMS gateway and SMTP sink in this process),
then for ``--seconds`` runs, in threads:

- agents working the queue: list it, open a case, reply, add a note (through both
  web processes in turn);
- customers writing by chat (the HMAC-signed webhook) and by email (each mail
  piped into ``kefu ingest-email``, as a mail server does);
- one stoppage notice: an incident with ``--contacts`` affected contacts created
  and confirmed through ``/api/v1/incidents``; the fan-out time runs until every
  delivery (SMS and email per contact) is handed to its channel.

With ``--url http://a,http://b`` it drives an already running kefu instead; give
``KEFU_LOAD_AGENT_TOKEN``, ``KEFU_LOAD_LEAD_TOKEN`` and ``KEFU_CHAT_WEBHOOK_SECRET``
in the environment (the fan-out then uses the first ``--contacts`` contacts).

Loopback only; stops by itself. Prints one JSON object: per endpoint the
requests, errors, throughput and p50/p95 latency, and the fan-out figures.
Not a test: figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ops.fakes import SmsGateway, SmtpSink  # noqa: E402
from tests.ops.topology import (  # noqa: E402
    CHAT_SECRET,
    DEFAULT_PG,
    DEFAULT_REDIS,
    Topology,
    create_database,
    drop_database,
    flush_redis,
    http,
    scratch_name,
)

from kefu.channels.signing import sign  # noqa: E402


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.codes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def timed(self, name: str, call: Callable[[], tuple[int, Any, str]]) -> tuple[int, Any]:
        started = time.perf_counter()
        try:
            status, body, _ctype = call()
        except Exception:  # a refused connection or a timeout is an error, not a crash
            status, body = 0, None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[name].append(elapsed)
            self.codes[name][status] += 1
            if not 200 <= status < 300:
                self.errors[name] += 1
        return status, body

    def report(self, seconds: float) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in sorted(self.times):
            times = sorted(self.times[name])
            out[name] = {
                "requests": len(times),
                "errors": self.errors[name],
                "per_second": round(len(times) / seconds, 1),
                "p50_ms": round(1000 * statistics.median(times), 1),
                "p95_ms": round(1000 * times[max(0, int(len(times) * 0.95) - 1)], 1),
                "statuses": dict(self.codes[name]),
            }
        return out


class Load:
    def __init__(self, args: argparse.Namespace, webs: list[str], tokens: dict[str, str]) -> None:
        self.args = args
        self.webs = webs
        self.tokens = tokens
        self.recorder = Recorder()
        self.stop = threading.Event()
        self.web_cycle = itertools.cycle(webs)
        self.cycle_lock = threading.Lock()
        self.chat_secret = os.environ.get("KEFU_CHAT_WEBHOOK_SECRET", CHAT_SECRET)
        self.contacts: list[int] = []
        self.fanout: dict[str, Any] = {}

    def api(self) -> str:
        with self.cycle_lock:
            return f"{next(self.web_cycle)}/api/v1"

    def agent(self, n: int) -> None:
        token = self.tokens[f"agent{n % self.args.token_agents + 1}"]
        rnd = random.Random(n)
        r = self.recorder
        while not self.stop.is_set():
            status, page = r.timed(
                "GET /cases (queue)",
                lambda: http("GET", f"{self.api()}/cases?scope=all&limit=20", token=token),
            )
            items = page.get("items", []) if status == 200 and isinstance(page, dict) else []
            if not items:
                contact = rnd.choice(self.contacts)
                r.timed(
                    "POST /cases",
                    lambda c=contact: http(
                        "POST",
                        f"{self.api()}/cases",
                        token=token,
                        body={
                            "contact_id": c,
                            "subject": "电梯故障",
                            "body": "电梯停在三楼。",
                            "channel": "email",
                        },
                    ),
                )
                continue
            case_id = rnd.choice(items)["id"]
            r.timed(
                "GET /cases/{id}",
                lambda c=case_id: http("GET", f"{self.api()}/cases/{c}", token=token),
            )
            r.timed(
                "GET /cases/{id}/messages",
                lambda c=case_id: http("GET", f"{self.api()}/cases/{c}/messages", token=token),
            )
            r.timed(
                "POST /cases/{id}/replies",
                lambda c=case_id: http(
                    "POST",
                    f"{self.api()}/cases/{c}/replies",
                    token=token,
                    body={"body": "您好，维修人员已出发，预计三十分钟内到达。"},
                ),
            )
            r.timed(
                "POST /cases/{id}/notes",
                lambda c=case_id: http(
                    "POST",
                    f"{self.api()}/cases/{c}/notes",
                    token=token,
                    body={"body": "已电话联系物业。"},
                ),
            )

    def chat(self, n: int) -> None:
        rnd = random.Random(100 + n)
        for number in itertools.count():
            if self.stop.is_set():
                return
            body = json.dumps(
                {
                    "message_id": f"load-{n}-{number}-{time.time_ns()}",
                    "conversation_id": f"conv-{rnd.randrange(50)}",
                    "sender": {"handle": f"wx_load_{rnd.randrange(50)}", "name": "顾客"},
                    "text": "小区又停电了，什么时候恢复？",
                    "sent_at": datetime.now(UTC).isoformat(),
                },
                ensure_ascii=False,
            ).encode()
            self.recorder.timed(
                "POST /channels/chat/messages",
                lambda b=body: http(
                    "POST",
                    f"{self.api()}/channels/chat/messages",
                    raw=b,
                    headers={"X-Kefu-Signature": sign(self.chat_secret, b)},
                ),
            )

    def email(self, topology: Topology | None) -> None:
        if topology is None:
            return
        for number in itertools.count():
            if self.stop.is_set():
                return
            mail = EmailMessage()
            mail["From"] = f"mailer{number % 40}@customer.example"
            mail["To"] = "service@kefu.example"
            mail["Subject"] = "物业费发票"
            mail["Message-ID"] = f"<load-{number}-{time.time_ns()}@customer.example>"
            mail.set_content("请开具上月物业费发票。")
            raw = mail.as_bytes()

            def ingest(data: bytes = raw) -> tuple[int, Any, str]:
                done = topology.kefu("ingest-email", stdin=data, check=False)
                return (200 if done.returncode == 0 else 500), None, ""

            self.recorder.timed("kefu ingest-email (pipe)", ingest)

    def notice(self) -> None:
        """Create and confirm one incident for the contacts; time until every row is handed."""
        time.sleep(2)
        token = self.tokens["lead"]
        api = f"{self.webs[0]}/api/v1"
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        chosen = self.contacts[: self.args.contacts]
        started = time.perf_counter()
        status, incident = self.recorder.timed(
            "POST /incidents",
            lambda: http(
                "POST",
                f"{api}/incidents",
                token=token,
                body={
                    "title": "三号片区计划停水",
                    "kind": "system_outage",
                    "cause": "主管道抢修",
                    "started_at": datetime.now(UTC).isoformat(),
                    "expected_from": tomorrow,
                    "affected": {"contacts": chosen},
                },
                timeout=120,
            ),
        )
        if status != 201:
            self.fanout = {"error": f"create answered {status}: {str(incident)[:300]}"}
            return
        incident_id = incident["id"]
        status, body = self.recorder.timed(
            "POST /incidents/{id}/confirm",
            lambda: http(
                "POST", f"{api}/incidents/{incident_id}/confirm", token=token, timeout=120
            ),
        )
        confirmed = time.perf_counter()
        if status != 200:
            self.fanout = {"error": f"confirm answered {status}: {str(body)[:300]}"}
            return
        rows: list[dict[str, Any]] = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            _s, rows, _c = http(
                "GET", f"{api}/incidents/{incident_id}/deliveries", token=token, timeout=60
            )
            if rows and all(r["status"] in ("sent", "delivered", "failed") for r in rows):
                break
            time.sleep(0.5)
        done = time.perf_counter()
        by_status: dict[str, int] = defaultdict(int)
        for row in rows or []:
            by_status[row["status"]] += 1
        self.fanout = {
            "contacts": len(chosen),
            "deliveries": len(rows or []),
            "by_status": dict(by_status),
            "create_and_confirm_s": round(confirmed - started, 2),
            "all_handed_s": round(done - started, 2),
        }

    def run(self, topology: Topology | None) -> dict[str, Any]:
        threads = [
            threading.Thread(target=self.agent, args=(n,), daemon=True)
            for n in range(self.args.agents)
        ]
        threads += [
            threading.Thread(target=self.chat, args=(n,), daemon=True)
            for n in range(self.args.chat)
        ]
        threads.append(threading.Thread(target=self.email, args=(topology,), daemon=True))
        fan = threading.Thread(target=self.notice, daemon=True)
        started = time.perf_counter()
        for thread in [*threads, fan]:
            thread.start()
        self.stop.wait(self.args.seconds)
        self.stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.perf_counter() - started
        fan.join(300)
        return {"seconds": round(elapsed, 1), "endpoints": self.recorder.report(elapsed)}


def _contacts_of(api: str, token: str, count: int) -> list[int]:
    found: list[int] = []
    offset = 0
    while len(found) < count:
        query = urllib.parse.urlencode({"limit": 100, "offset": offset})
        _s, page, _c = http("GET", f"{api}/contacts?{query}", token=token)
        items = page.get("items", []) if isinstance(page, dict) else page or []
        if not items:
            break
        found += [c["id"] for c in items]
        offset += len(items)
    return found[:count]


def _missing_services(args: argparse.Namespace) -> list[str]:
    """What the topology needs and this machine lacks (a smoke run then says so)."""
    import psycopg

    missing = []
    try:
        psycopg.connect(args.pg, connect_timeout=2).close()
    except psycopg.Error:
        missing.append(f"PostgreSQL at {args.pg}")
    try:
        import redis

        redis.Redis.from_url(args.redis, socket_connect_timeout=2).ping()
    except Exception:  # any failure to reach Redis
        missing.append(f"Redis at {args.redis}")
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--agents", type=int, default=6, help="agent threads")
    parser.add_argument("--chat", type=int, default=2, help="chat customer threads")
    parser.add_argument("--contacts", type=int, default=500, help="contacts of the notice")
    parser.add_argument("--url", default="", help="comma-separated web URLs of a running kefu")
    parser.add_argument("--pg", default=os.environ.get("KEFU_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--keep-logs", default="", help="copy the processes' logs here")
    parser.add_argument(
        "--smoke", action="store_true", help="seconds: 3 s, 1 agent, 1 chat, 10 contacts"
    )
    args = parser.parse_args()
    args.token_agents = 4
    if args.smoke:
        args.seconds, args.agents, args.chat, args.contacts = 3, 1, 1, 10
        missing = _missing_services(args)
        if missing:
            print(json.dumps({"benchmark": "load", "smoke": "not run", "missing": missing}))
            return

    if args.url:
        webs = [u.strip().rstrip("/") for u in args.url.split(",") if u.strip()]
        if any(urllib.parse.urlsplit(u).hostname not in ("127.0.0.1", "localhost") for u in webs):
            parser.error("--url: loopback only")
        agent = os.environ["KEFU_LOAD_AGENT_TOKEN"]
        tokens = {"lead": os.environ["KEFU_LOAD_LEAD_TOKEN"]}
        tokens.update({f"agent{n}": agent for n in range(1, args.token_agents + 1)})
        load = Load(args, webs, tokens)
        load.contacts = _contacts_of(f"{webs[0]}/api/v1", tokens["lead"], args.contacts)
        result = load.run(None)
        result["fanout"] = load.fanout
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return

    name = scratch_name("kefu_load")
    base = args.pg if args.pg.startswith("postgres") else DEFAULT_PG
    gateway, sink = SmsGateway(), SmtpSink()
    with tempfile.TemporaryDirectory(prefix="kefu-load-") as var:
        topology = Topology(
            database_url=create_database(base, name),
            redis_url=args.redis,
            var_dir=Path(var),
            extra_env={
                "KEFU_SMS_GATEWAY_URL": gateway.url,
                "KEFU_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "KEFU_EMAIL_HOST": "127.0.0.1",
                "KEFU_EMAIL_PORT": str(sink.port),
            },
        )
        try:
            flush_redis(args.redis)
            topology.kefu("migrate", "--no-input", "-v0", timeout=600)
            tokens = topology.seed("staff", agents=args.token_agents, first_response_minutes=240)[
                "tokens"
            ]
            seeded = topology.seed("contacts", count=args.contacts, channels=["sms", "email"])
            topology.start_web("web1", workers=1, threads=4)
            topology.start_web("web2", workers=1, threads=4)
            topology.start_worker("worker1")
            topology.start_worker("worker2")
            topology.start_clock()
            topology.wait_healthy()
            webs = [p.url for p in topology.procs if p.port is not None]
            load = Load(args, webs, tokens)  # type: ignore[arg-type]
            load.contacts = list(seeded["contacts"])  # type: ignore[call-overload]
            result = load.run(topology)
            result["fanout"] = load.fanout
            result["sms_gateway_texts"] = len(gateway.effects())
            result["smtp_mails"] = len(sink.messages)
            result["topology"] = "2 gunicorn (1 worker x 4 threads each), 2 RQ workers, 1 clock"
            result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores"
            print(json.dumps(result, ensure_ascii=False, indent=2))
        finally:
            topology.stop_all()
            if args.keep_logs:
                Path(args.keep_logs).mkdir(parents=True, exist_ok=True)
                for log in Path(var).glob("*.log"):
                    shutil.copy(log, Path(args.keep_logs) / log.name)
            gateway.close()
            sink.close()
            drop_database(base, name)


if __name__ == "__main__":
    main()
