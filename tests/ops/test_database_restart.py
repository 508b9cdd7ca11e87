"""PostgreSQL restarted under load: requests fail cleanly and recover, no half-written case.

The shared server at 127.0.0.1:5432 is not restarted (other test runs use it): the
test stops and starts a PostgreSQL cluster of its own (tests/ops/cluster.py) while
agents open cases.
"""

from __future__ import annotations

import threading
import time
from typing import Any, cast

import psycopg
import pytest

from tests.ops.cluster import Cluster
from tests.ops.conftest import MakeTopology
from tests.ops.topology import http

pytestmark = [pytest.mark.postgres_only, pytest.mark.redis]


def test_postgresql_restart_under_load_fails_cleanly_and_recovers(
    make_topology: MakeTopology, cluster: Cluster
) -> None:
    """Protections: database errors under a request become 503 with a JSON error
    (``database_unavailable``) instead of Django's HTML 500 page; each case is opened in
    one transaction (case and first message together); the connection health check
    (``CONN_HEALTH_CHECKS``) replaces the dead connection on the next request."""
    topology = make_topology()
    topology.database_url = cluster.url
    tokens = cast(dict[str, Any], topology.seed("staff", agents=1))["tokens"]
    people = cast(dict[str, Any], topology.seed("contacts", count=3, channels=["email"]))
    web = topology.start_web("web", workers=1, threads=4)
    topology.wait_healthy()

    answers: list[tuple[float, int, str, object]] = []
    stop = threading.Event()
    first_opened = threading.Event()

    def agent(n: int) -> None:
        while not stop.is_set():
            status, body, ctype = http(
                "POST",
                f"{web.url}/api/v1/cases",
                token=tokens["agent1"],
                body={
                    "contact_id": people["contacts"][n],
                    "subject": f"报修{n}",
                    "body": "门禁坏了。",
                    "channel": "email",
                },
                timeout=30,
            )
            answers.append((time.monotonic(), status, ctype, body))
            if status == 201:
                first_opened.set()

    threads = [threading.Thread(target=agent, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        # The first request of a fresh process pays its imports: stop the cluster once a
        # case has been opened under load, not after a fixed pause a slow machine misses.
        assert first_opened.wait(60), "no case was opened before the restart"
        time.sleep(0.5)
        cluster.stop()
        down_at = time.monotonic()
        time.sleep(2)
        cluster.start()
        up_at = time.monotonic()
        deadline = up_at + 30
        while time.monotonic() < deadline and not any(
            s == 201 and t > up_at for t, s, _c, _b in list(answers)
        ):
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)

    statuses = {status for _t, status, _c, _b in answers}
    assert statuses <= {201, 503}, [(s, c, str(b)[:200]) for _t, s, c, b in answers if s != 201]
    refused = [a for a in answers if a[1] == 503]
    assert refused, "the outage was not seen"
    assert all(
        "json" in c and cast(dict[str, Any], b)["code"] == "database_unavailable"
        for _t, _s, c, b in refused
    )
    assert any(s == 201 and t > up_at for t, s, _c, _b in answers), "no recovery"
    assert any(s == 201 and t < down_at for t, s, _c, _b in answers)

    opened = {cast(dict[str, Any], b)["reference"] for _t, s, _c, b in answers if s == 201}
    with psycopg.connect(cluster.url) as conn:
        cases = conn.execute(
            "SELECT c.reference, count(m.id) FROM cases_case c "
            "LEFT JOIN cases_message m ON m.case_id = c.id GROUP BY c.reference"
        ).fetchall()
    assert opened <= {reference for reference, _n in cases}
    assert all(n == 1 for _reference, n in cases), "a case without its message"
    assert not any(r.startswith("tmp-") for r, _n in cases), "a case without its reference"
