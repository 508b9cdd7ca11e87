"""The scale-out recipe of docs/operations.md, run as real processes on loopback.

Two gunicorn web processes, two ``kefu worker`` processes (RQ on Redis) and one
``kefu clocks`` loop share one PostgreSQL database, one Redis, one secret key and
one media folder. Agents work through both web processes, a customer's email
comes in through ``kefu ingest-email``, a worker delivers the reply by SMTP and
the clock loop records an SLA breach.
"""

from __future__ import annotations

import concurrent.futures
import time
from email.message import EmailMessage
from typing import Any, cast

import pytest

from tests.ops.conftest import MakeTopology
from tests.ops.fakes import SmtpSink
from tests.ops.topology import Topology, http, wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.redis]


def _api(topology: Topology, web: int) -> str:
    webs = [p for p in topology.procs if p.port is not None]
    return f"{webs[web].url}/api/v1"


def _email(sender: str, subject: str, body: str, message_id: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "service@kefu.example"
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail.set_content(body)
    return mail.as_bytes()


def test_two_webs_two_workers_and_one_clock_serve_agents_and_customers(
    make_topology: MakeTopology,
) -> None:
    sink = SmtpSink()
    try:
        topology = make_topology(
            KEFU_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            KEFU_EMAIL_HOST="127.0.0.1",
            KEFU_EMAIL_PORT=str(sink.port),
        )
        _drive(topology, sink)
    finally:
        sink.close()


def _drive(topology: Topology, sink: SmtpSink) -> None:
    started = time.monotonic()
    topology.kefu("migrate", "--no-input", "-v0")  # the release step; a no-op on the copy
    staff = cast(dict[str, Any], topology.seed("staff"))
    tokens = staff["tokens"]
    people = cast(dict[str, Any], topology.seed("contacts", count=2, channels=["email"]))
    contact_id = people["contacts"][0]
    for name in ("web1", "web2"):
        topology.start_web(name, workers=1, threads=4)
    topology.start_worker("worker1")
    topology.start_worker("worker2")
    topology.start_clock()
    topology.wait_healthy()

    # An agent opens a case through the first web process ...
    status, case, _ctype = http(
        "POST",
        f"{_api(topology, 0)}/cases",
        token=tokens["agent1"],
        body={
            "contact_id": contact_id,
            "subject": "电梯停运",
            "body": "三号楼电梯停了。",
            "channel": "email",
        },
    )
    assert status == 201, case
    case = cast(dict[str, Any], case)
    # ... another reads and answers it through the second.
    status, seen, _ctype = http(
        "GET", f"{_api(topology, 1)}/cases/{case['id']}", token=tokens["agent2"]
    )
    assert status == 200
    assert cast(dict[str, Any], seen)["reference"] == case["reference"]
    status, reply, _ctype = http(
        "POST",
        f"{_api(topology, 1)}/cases/{case['id']}/replies",
        token=tokens["agent2"],
        body={"body": "维修人员已在路上。"},
    )
    assert status == 201, reply
    status, note, _ctype = http(
        "POST",
        f"{_api(topology, 0)}/cases/{case['id']}/notes",
        token=tokens["agent1"],
        body={"body": "已通知物业。"},
    )
    assert status == 201, note

    # A worker delivers the reply by SMTP.
    # (The zero-minute SLA may also breach on this case first; its notice is another mail.)
    def reply_mail() -> list[EmailMessage]:
        bodies = [(m, m.get_body()) for m in sink.messages]
        return [m for m, b in bodies if b is not None and "维修人员已在路上。" in b.get_content()]

    (mail,) = cast(list[EmailMessage], wait_for(reply_mail, timeout=20, what="the reply mail"))
    assert mail["To"] == "c0@customer.example"
    assert case["reference"] in mail["Subject"]

    def reply_sent() -> bool:
        _s, messages, _c = http(
            "GET", f"{_api(topology, 0)}/cases/{case['id']}/messages", token=tokens["agent1"]
        )
        return any(m["delivery_status"] == "sent" for m in cast(list[dict[str, Any]], messages))

    wait_for(reply_sent, timeout=10, what="the reply to be recorded as sent")

    # A customer's email comes in through the mail server's pipe.
    raw = _email("c1@customer.example", "水管漏水", "地下室漏水了。", "<leak-1@customer.example>")
    done = topology.kefu("ingest-email", stdin=raw)
    reference = done.stdout.decode().strip()
    assert reference.startswith("KF-")
    status, listing, _ctype = http(
        "GET", f"{_api(topology, 1)}/cases?scope=all", token=tokens["lead"]
    )
    assert status == 200
    (emailed,) = [c for c in cast(dict[str, Any], listing)["items"] if c["reference"] == reference]
    assert emailed["channel"] == "email"

    # Nobody answers it: with a zero-minute first-response target, the clock loop
    # records the breach.
    def breached() -> bool:
        _s, body, _c = http(
            "GET", f"{_api(topology, 0)}/cases/{emailed['id']}", token=tokens["lead"]
        )
        return bool(cast(dict[str, Any], body)["breach_count"] == 1)

    wait_for(breached, timeout=20, what="the clock loop to record the SLA breach")
    _s, events, _c = http(
        "GET", f"{_api(topology, 1)}/cases/{emailed['id']}/events", token=tokens["lead"]
    )
    assert "sla_breached" in [e["kind"] for e in cast(list[dict[str, Any]], events)]

    assert all(p.alive() for p in topology.procs), [topology.tail(p) for p in topology.procs]
    assert time.monotonic() - started < 60


def test_three_deliveries_of_one_email_and_two_agents_saving_one_case(
    make_topology: MakeTopology,
) -> None:
    """Protections: the unique Message-ID of stored messages (an email delivered three
    times at once, by three ``kefu ingest-email`` processes, is stored once) and the
    case's version compare-and-swap (two agents saving through two web processes:
    one wins, the other gets 409 ``case_changed_concurrently``). In-process versions of both are
    tests/channels/test_email_in.py::test_same_message_id_twice_is_stored_once and
    tests/cases/test_api.py::test_stale_version_gets_409_with_a_code."""
    topology = make_topology()
    staff = cast(dict[str, Any], topology.seed("staff"))
    tokens = staff["tokens"]
    topology.seed("contacts", count=1, channels=["email"])
    topology.start_web("web1")
    topology.start_web("web2")
    topology.wait_healthy()

    raw = _email("c0@customer.example", "发票", "请开发票。", "<invoice-7@customer.example>")
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _n: topology.kefu("ingest-email", stdin=raw), range(3)))
    references = {run.stdout.decode().strip() for run in runs}
    assert len(references) == 1, references
    _status, listing, _ctype = http(
        "GET", f"{_api(topology, 0)}/cases?scope=all", token=tokens["lead"]
    )
    (case,) = cast(dict[str, Any], listing)["items"]
    _s, messages, _c = http(
        "GET", f"{_api(topology, 1)}/cases/{case['id']}/messages", token=tokens["lead"]
    )
    assert [m["direction"] for m in cast(list[dict[str, Any]], messages)] == ["in"]

    version = case["version"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda n: http(
                    "PATCH",
                    f"{_api(topology, n)}/cases/{case['id']}",
                    token=tokens[f"agent{n + 1}"],
                    body={"version": version, "priority": ["high", "low"][n]},
                ),
                range(2),
            )
        )
    statuses = sorted(a[0] for a in answers)
    assert statuses == [200, 409], answers
    loser = next(a for a in answers if a[0] == 409)
    assert cast(dict[str, Any], loser[1])["code"] == "case_changed_concurrently"
    winner = next(a for a in answers if a[0] == 200)
    _s, now, _c = http("GET", f"{_api(topology, 0)}/cases/{case['id']}", token=tokens["lead"])
    assert cast(dict[str, Any], now)["priority"] == cast(dict[str, Any], winner[1])["priority"]
