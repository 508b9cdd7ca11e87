"""PostgreSQL down for 30 seconds, then back: the work that fell due meanwhile runs by
itself, within two minutes, and pages answered 503 while it was down.

A web process, a worker (database queue, or RQ) and a clock loop run against a
PostgreSQL cluster of the test's own (tests/ops/cluster.py). Just before the outage
an SLA target, the re-delivery of a reply and the retry of a stoppage notice (both
met the SMS gateway down) and the automatic sending of the stoppage's "no news"
update (its draft waiting, unsent) are made due a few seconds ahead; the cluster is
stopped for 30 s and started again, and no one touches a process. Before: the clock
loop kept its dead connection and failed every tick for good (nothing ran), and the
worker exited at the first error.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from typing import Any, cast

import psycopg
import pytest

from tests.core.factories import PASSWORD
from tests.ops.cluster import Cluster
from tests.ops.conftest import MakeTopology
from tests.ops.fakes import SmsGateway
from tests.ops.topology import Proc, Topology, http, wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.redis]

OUTAGE_SECONDS = 30
RECOVERY_LIMIT_SECONDS = 120


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    gw = SmsGateway()
    try:
        yield gw
    finally:
        gw.close()


def _sql(url: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        cursor = conn.execute(query, params)
        return list(cursor.fetchall()) if cursor.description else []


class Browser:
    """A signed-in agent's browser: cookies kept, errors read rather than raised."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def _open(self, request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), dict(exc.headers)

    def sign_in(self, username: str) -> None:
        _status, page, _h = self.get("/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:500]
        form = {"csrfmiddlewaretoken": match.group(1), "username": username}
        form["password"] = PASSWORD
        request = urllib.request.Request(  # noqa: S310
            self.base + "/login/", data=urllib.parse.urlencode(form).encode(), method="POST"
        )
        request.add_header("Referer", self.base + "/login/")
        status, page, _h = self._open(request)
        assert status == 200, (status, page[:500])
        assert self.get("/cases/")[0] == 200


def _open_case(api: str, token: str, contact_id: int) -> dict[str, Any]:
    status, case, _c = http(
        "POST",
        f"{api}/cases",
        token=token,
        body={"contact_id": contact_id, "subject": "停电", "body": "何时来电？", "channel": "sms"},
    )
    assert status == 201, case
    return cast(dict[str, Any], case)


def _make_due(url: str, *, case_id: int, reply_case_id: int, at: datetime) -> None:
    """The first-response target of ``case_id`` and the re-delivery of the reply on
    ``reply_case_id`` fall due at ``at`` (as if written long enough ago)."""
    _sql(url, "UPDATE cases_case SET first_response_due_at = %s WHERE id = %s", at, case_id)
    updated = _sql(
        url,
        "UPDATE core_scheduledjob SET due_at = %s, locked_until = NULL,"
        " payload = jsonb_set(payload, '{due_at}', to_jsonb(%s::text))"
        " WHERE key = %s RETURNING id",
        at,
        at.isoformat(),
        f"case:{case_id}:sla:first_response",
    )
    assert len(updated) == 1
    # Written ten minutes ago, so the re-delivery job takes it (it leaves the first two).
    _sql(
        url,
        "UPDATE cases_message SET created_at = created_at - interval '10 minutes'"
        " WHERE case_id = %s AND direction = 'out'",
        reply_case_id,
    )
    updated = _sql(
        url,
        "UPDATE core_scheduledjob SET due_at = %s, locked_until = NULL"
        " WHERE key = 'cases.redeliver' RETURNING id",
        at,
    )
    assert len(updated) == 1


def _make_incident_due(url: str, *, incident: dict[str, Any], at: datetime) -> None:
    """The retry of the first notice (it met the gateway down) and the automatic sending
    of the waiting update draft of ``incident`` fall due at ``at``."""
    updated = _sql(
        url,
        "UPDATE incidents_delivery SET next_attempt_at = %s"
        " WHERE notice_id = %s AND status = 'queued' RETURNING id",
        at,
        incident["first_notice"],
    )
    assert len(updated) == 1
    for key in ("incidents.deliveries", f"incident:{incident['incident']}:autosend"):
        updated = _sql(
            url,
            "UPDATE core_scheduledjob SET due_at = %s, locked_until = NULL"
            " WHERE key = %s AND done_at IS NULL RETURNING id",
            at,
            key,
        )
        assert len(updated) == 1, key


def _alive(topology: Topology, *procs: Proc) -> None:
    for proc in procs:
        assert proc.alive(), f"{proc.name} exited: {topology.tail(proc)}"


@pytest.mark.parametrize("tasks_backend", ["database", "redis"])
def test_postgresql_down_30_seconds_then_due_work_runs_with_no_person_acting(
    make_topology: MakeTopology, cluster: Cluster, gateway: SmsGateway, tasks_backend: str
) -> None:
    """With the worker on the database queue and on RQ (Redis stays up)."""
    topology = make_topology(KEFU_SMS_GATEWAY_URL=gateway.url, KEFU_TASKS_BACKEND=tasks_backend)
    topology.database_url = cluster.url
    tokens = cast(dict[str, Any], topology.seed("staff", agents=1, first_response_minutes=600))[
        "tokens"
    ]
    contacts = cast(dict[str, Any], topology.seed("contacts", count=3, channels=["sms"]))
    web = topology.start_web("web", workers=1, threads=4)
    worker = topology.start_worker("worker")
    clock = topology.start_clock("clock")
    topology.wait_healthy()
    api = f"{web.url}/api/v1"
    browser = Browser(web.url)
    browser.sign_in("agent1")
    wait_for(
        lambda: http("GET", f"{web.url}/healthz")[0] == 200,
        timeout=30,
        what="/healthz to answer 200 (the clock loop's first tick)",
    )

    # A reply whose gateway is down goes back to the queue for the re-delivery job.
    breach_case = _open_case(api, tokens["agent1"], contacts["contacts"][0])
    reply_case = _open_case(api, tokens["agent1"], contacts["contacts"][1])
    gateway.set_down(True)
    status, body, _c = http(
        "POST",
        f"{api}/cases/{reply_case['id']}/replies",
        token=tokens["agent1"],
        body={"body": "抢修队已出发，预计一小时内来电。"},
    )
    assert status == 201, body
    wait_for(lambda: gateway.refused >= 1, timeout=30, what="the worker to meet the gateway's 503")
    assert _sql(
        cluster.url,
        "SELECT delivery_status FROM cases_message WHERE case_id = %s AND direction = 'out'",
        reply_case["id"],
    ) == [("queued",)]
    # A stoppage confirmed now: its first notice meets the gateway down too and waits
    # for a retry; the draft of its next update waits for the clock to send it.
    phone_contact = contacts["contacts"][2]
    incident = cast(dict[str, Any], topology.seed("incident", contacts=[phone_contact]))
    first_key = f"inc{incident['incident']}-n{incident['first_notice']}-c{phone_contact}-sms"
    update_key = f"inc{incident['incident']}-n{incident['update_notice']}-c{phone_contact}-sms"
    wait_for(
        lambda: (
            _sql(
                cluster.url,
                "SELECT status, attempts FROM incidents_delivery WHERE notice_id = %s",
                incident["first_notice"],
            )
            == [("queued", 1)]
        ),
        timeout=30,
        what="the stoppage notice to meet the gateway's 503 and wait for a retry",
    )
    gateway.set_down(False)

    due_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    _make_due(cluster.url, case_id=breach_case["id"], reply_case_id=reply_case["id"], at=due_at)
    _make_incident_due(cluster.url, incident=incident, at=due_at)
    cluster.stop()
    down_at = time.monotonic()

    # During the outage: pages, the API and /healthz answer 503 (no 500).
    time.sleep(8)
    page_status, page, page_headers = browser.get("/cases/")
    api_status, api_body, _c = http("GET", f"{api}/cases", token=tokens["agent1"])
    health_status, health, _c = http("GET", f"{web.url}/healthz")
    time.sleep(max(OUTAGE_SECONDS - (time.monotonic() - down_at), 0))
    cluster.start()
    up_at = time.monotonic()

    assert page_status == 503, page[:500]
    assert "数据库暂时无法访问，请稍后再试。" in page
    assert page_headers.get("Retry-After") == "5"
    assert api_status == 503
    assert cast(dict[str, Any], api_body)["code"] == "database_unavailable"
    assert health_status == 503
    assert cast(dict[str, Any], health)["database"]["ok"] is False
    _alive(topology, worker, clock)

    # Nobody acts: the clock loop and the worker heal and run what fell due.
    def breached() -> bool:
        _s, case, _c = http("GET", f"{api}/cases/{breach_case['id']}", token=tokens["lead"])
        return _s == 200 and cast(dict[str, Any], case)["breach_count"] == 1

    wait_for(breached, timeout=RECOVERY_LIMIT_SECONDS, what="the SLA breach after the restart")
    breach_after = time.monotonic() - up_at

    def delivered() -> bool:
        return any(t.text == "抢修队已出发，预计一小时内来电。" for t in gateway.effects())

    remaining = RECOVERY_LIMIT_SECONDS - (time.monotonic() - up_at)
    wait_for(delivered, timeout=max(remaining, 1), what="the re-delivered SMS after the restart")
    sms_after = time.monotonic() - up_at

    # The stoppage notice's retry and the "no news" update, each to the contact's phone.
    phone = incident["phones"][str(phone_contact)]
    expected = {first_key: incident["first_body"], update_key: incident["update_body"]}
    incident_after: dict[str, float] = {}

    def notices_sent() -> bool:
        for sms in gateway.effects():
            if sms.client_reference in expected and sms.client_reference not in incident_after:
                assert (sms.to, sms.text) == (phone, expected[sms.client_reference])
                incident_after[sms.client_reference] = time.monotonic() - up_at
        return len(incident_after) == len(expected)

    remaining = RECOVERY_LIMIT_SECONDS - (time.monotonic() - up_at)
    wait_for(
        notices_sent,
        timeout=max(remaining, 1),
        what="the stoppage notice's retry and the automatic update after the restart",
    )
    assert breach_after < RECOVERY_LIMIT_SECONDS
    assert sms_after < RECOVERY_LIMIT_SECONDS
    assert max(incident_after.values()) < RECOVERY_LIMIT_SECONDS
    # Each went out once: nothing was sent twice on the way back.
    keys = [r.client_reference for r in gateway.requests]
    assert (keys.count(first_key), keys.count(update_key)) == (1, 1)

    # The same processes healed: none was restarted, and the desk answers again.
    _alive(topology, worker, clock)
    assert browser.get("/cases/")[0] == 200
    wait_for(
        lambda: http("GET", f"{web.url}/healthz")[0] == 200,
        timeout=60,
        what="/healthz to answer 200 again",
    )
    print(  # noqa: T201 (the figures docs/operations.md quotes)
        f"{tasks_backend}: outage {up_at - down_at:.1f} s; breach recorded "
        f"{breach_after:.1f} s, SMS delivered {sms_after:.1f} s, stoppage notice "
        f"{incident_after[first_key]:.1f} s and automatic update "
        f"{incident_after[update_key]:.1f} s after the restart"
    )
