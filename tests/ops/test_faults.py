"""Faults kefu survives, with real processes on PostgreSQL and Redis.

Each test names the protection it proves; each fails when that protection is
taken out (checked by hand, see the docstrings). Time-based recovery (leases,
the re-delivery job) is driven with ``kefu clocks --once --now <later>`` rather
than by waiting minutes.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import psycopg
import pytest

from tests.ops.conftest import MakeTopology
from tests.ops.fakes import SmsGateway
from tests.ops.topology import Topology, http, wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.redis]


@pytest.fixture
def gateway() -> Any:
    gw = SmsGateway()
    try:
        yield gw
    finally:
        gw.close()


def _later(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def _rows(topology: Topology, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(topology.database_url) as conn:
        return list(conn.execute(query, params).fetchall())


def _api(topology: Topology) -> str:
    web = next(p for p in topology.procs if p.port is not None)
    return f"{web.url}/api/v1"


def _sms_desk(
    make_topology: MakeTopology, gateway: SmsGateway, contacts: int
) -> tuple[Topology, dict[str, str]]:
    topology = make_topology(KEFU_SMS_GATEWAY_URL=gateway.url)
    tokens = cast(dict[str, Any], topology.seed("staff", agents=1))["tokens"]
    topology.seed("contacts", count=contacts, channels=["sms"])
    return topology, tokens


def _open(topology: Topology, token: str, contact_id: int) -> dict[str, Any]:
    status, case, _c = http(
        "POST",
        f"{_api(topology)}/cases",
        token=token,
        body={"contact_id": contact_id, "subject": "停水", "body": "何时来水？", "channel": "sms"},
    )
    assert status == 201, case
    return cast(dict[str, Any], case)


def _reply(topology: Topology, token: str, case_id: int, text: str) -> None:
    status, body, _c = http(
        "POST", f"{_api(topology)}/cases/{case_id}/replies", token=token, body={"body": text}
    )
    assert status == 201, body


def test_worker_killed_mid_send_of_a_stoppage_notice_loses_and_duplicates_nothing(
    make_topology: MakeTopology, gateway: SmsGateway
) -> None:
    """Protections: the claim of each delivery row (queued -> sending, with a lease), the
    clock job ``incidents.deliveries`` that queues rows again once a dead worker's lease
    passed, and the delivery's stable ``client_reference`` key, which lets the gateway
    drop the resend of a text it already took. Without the re-queue the rows stay
    ``sending`` (lost); with a fresh key per attempt the gateway sends texts twice."""
    topology, tokens = _sms_desk(make_topology, gateway, contacts=30)
    contact_ids = _rows(topology, "SELECT id FROM customers_contact ORDER BY id")
    topology.start_web("web")
    worker = topology.start_worker("worker1")
    topology.wait_healthy()
    gateway.stall_after(10)

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    status, incident, _c = http(
        "POST",
        f"{_api(topology)}/incidents",
        token=tokens["lead"],
        body={
            "title": "二号泵站停水",
            "kind": "system_outage",
            "cause": "泵站检修",
            "started_at": datetime.now(UTC).isoformat(),
            "expected_from": tomorrow,
            "affected": {"contacts": [c for (c,) in contact_ids]},
        },
    )
    assert status == 201, incident
    incident_id = cast(dict[str, Any], incident)["id"]
    status, body, _c = http(
        "POST", f"{_api(topology)}/incidents/{incident_id}/confirm", token=tokens["lead"]
    )
    assert status == 200, body

    assert gateway.state.stalled.wait(30), topology.tail(worker)
    topology.kill(worker)  # mid-send: the 11th text is at the gateway, unanswered
    gateway.unstall()
    assert len(gateway.effects()) == 11
    topology.start_worker("worker2")
    # Past the lease: the clock job queues the stuck rows again and a worker re-sends them.
    topology.kefu("clocks", "--once", "--now", _later(6))

    def all_sent() -> bool:
        statuses = _rows(
            topology,
            "SELECT d.status, count(*) FROM incidents_delivery d GROUP BY d.status",
        )
        return statuses == [("sent", 30)]

    wait_for(all_sent, timeout=30, what="every delivery to be sent")
    texts = gateway.effects()
    assert sorted(t.to for t in texts) == sorted(f"139{n:08d}" for n in range(30))
    assert len(gateway.requests) > 30  # the crash did force resends; the gateway dropped them


def test_worker_killed_mid_send_of_a_reply_sends_it_once(
    make_topology: MakeTopology, gateway: SmsGateway
) -> None:
    """Protections: ``deliver_message`` claims the message (queued -> sending) by a
    compare-and-swap; the clock job ``cases.redeliver`` queues a message stuck in
    ``sending`` again; the SMS carries ``client_reference=message-<id>`` on every attempt,
    so the gateway takes the resend as the same text. Before this test the desk's SMS
    had no key (the customer got the reply twice); without the re-queue it is lost."""
    topology, tokens = _sms_desk(make_topology, gateway, contacts=1)
    topology.start_web("web")
    worker = topology.start_worker("worker1")
    topology.wait_healthy()
    gateway.stall_after(0)
    (contact_id,) = _rows(topology, "SELECT id FROM customers_contact")[0]
    case = _open(topology, tokens["agent1"], contact_id)
    _reply(topology, tokens["agent1"], case["id"], "明早八点恢复供水。")

    assert gateway.state.stalled.wait(30), topology.tail(worker)
    topology.kill(worker)
    gateway.unstall()
    assert _rows(topology, "SELECT delivery_status FROM cases_message WHERE direction='out'") == [
        ("sending",)
    ]
    topology.start_worker("worker2")
    topology.kefu("clocks", "--once", "--now", _later(11))

    wait_for(
        lambda: (
            _rows(topology, "SELECT delivery_status FROM cases_message WHERE direction='out'")
            == [("sent",)]
        ),
        timeout=30,
        what="the reply to be sent",
    )
    assert len(gateway.requests) == 2
    assert [t.text for t in gateway.effects()] == ["明早八点恢复供水。"]


def test_two_clock_loops_at_once_run_each_due_item_once(make_topology: MakeTopology) -> None:
    """Protections: the clock's compare-and-swap claim of each due row (``locked_until``
    re-checked in the UPDATE) and the handler's own compare-and-swap
    (``reminded_at IS NULL``). Two ``kefu clocks`` processes share 80 due promise
    reminders; each owner is reminded once per promise. With both compare-and-swaps
    taken out, reminders are sent twice."""
    topology = make_topology()
    topology.seed("staff", agents=1)
    topology.seed("contacts", count=80, channels=["sms"])
    made = cast(dict[str, Any], topology.seed("promises", count=80))["commitments"]
    topology.start_clock("clock1")
    topology.start_clock("clock2")

    def reminders_done() -> bool:
        (pending,) = _rows(
            topology,
            "SELECT count(*) FROM core_scheduledjob "
            "WHERE kind='cases.commitment_reminder' AND done_at IS NULL",
        )[0]
        return bool(pending == 0)

    wait_for(reminders_done, timeout=40, what="both loops to run every reminder")
    counts = _rows(
        topology,
        "SELECT body, count(*) FROM core_notification WHERE subject LIKE '%%明天回电%%' "
        "GROUP BY body ORDER BY body",
    )
    assert len(counts) == len(made)
    assert {n for _body, n in counts} == {1}
    dead = {p.name: topology.tail(p) for p in topology.procs if not p.alive()}
    assert not dead, dead


def test_sms_gateway_down_for_a_while_then_everything_goes_out_in_order(
    make_topology: MakeTopology, gateway: SmsGateway
) -> None:
    """Protections: a temporary failure (503) puts the message back to ``queued``
    instead of failing it, and the clock job ``cases.redeliver`` queues again, oldest
    first, whatever is still queued after two minutes. Without the re-delivery job the
    replies stay queued for ever; per contact they arrive in the order written."""
    topology, tokens = _sms_desk(make_topology, gateway, contacts=2)
    topology.start_web("web")
    topology.start_worker("worker1")
    topology.wait_healthy()
    gateway.set_down(True)
    contacts = [c for (c,) in _rows(topology, "SELECT id FROM customers_contact ORDER BY id")]
    cases = [_open(topology, tokens["agent1"], c) for c in contacts]
    for n in range(1, 4):
        for case in cases:
            _reply(topology, tokens["agent1"], case["id"], f"{case['reference']} 第{n}次答复")

    def all_tried() -> bool:
        rows = _rows(topology, "SELECT delivery_status FROM cases_message WHERE direction='out'")
        return len(rows) == 6 and all(s == "queued" for (s,) in rows)

    # Every attempt met a 503 and went back to the queue.
    threading.Event().wait(2)
    wait_for(all_tried, timeout=20, what="every reply to be back in the queue")
    assert gateway.requests == []

    gateway.set_down(False)
    topology.kefu("clocks", "--once", "--now", _later(6))
    wait_for(
        lambda: (
            _rows(topology, "SELECT count(*) FROM cases_message WHERE delivery_status='sent'")[0][0]
            == 6
        ),
        timeout=30,
        what="every reply to go out",
    )
    for case, phone in zip(cases, ["13900000000", "13900000001"], strict=True):
        texts = [t.text for t in gateway.effects() if t.to == phone]
        assert texts == [f"{case['reference']} 第{n}次答复" for n in range(1, 4)]
