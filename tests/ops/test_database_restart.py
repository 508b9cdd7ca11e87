"""PostgreSQL restarted under load: requests fail cleanly and recover, no half-written case.

The shared server at 127.0.0.1:5432 is not restarted (other test runs use it): the
test starts its own PostgreSQL cluster with ``initdb`` and ``pg_ctl`` on a free port
in a temporary folder (as the ``postgres`` user when run as root), copies the
migrated schema into it, and stops and starts it while agents open cases.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest

from tests.ops.conftest import MakeTopology
from tests.ops.topology import database_url, free_port, http

pytestmark = [pytest.mark.postgres_only, pytest.mark.redis]


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class Cluster:
    def __init__(self, bindir: Path, data: Path, port: int) -> None:
        self.bindir, self.data, self.port = bindir, data, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/kefu"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("-w", "-l", str(self.data / "log"), "-o", options, "start")

    def stop(self) -> None:
        self.ctl("-w", "-m", "fast", "stop")


@pytest.fixture
def cluster(pg_base: str, template_db: str) -> Iterator[Cluster]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("initdb is missing (apt-get install postgresql); CI needs it")
        pytest.skip("initdb is not installed")
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    result = Cluster(bindir, data, free_port())
    try:
        subprocess.run(
            _as_postgres(
                [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        result.start()
        with psycopg.connect(database_url(result.url, "postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE kefu")
        # The migrated schema, copied from the template on the shared server.
        dump = subprocess.run(
            [str(bindir / "pg_dump"), "--no-owner", database_url(pg_base, template_db)],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            [str(bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", result.url],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield result
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            result.stop()
        shutil.rmtree(root, ignore_errors=True)


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

    threads = [threading.Thread(target=agent, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        cluster.stop()
        down_at = time.monotonic()
        time.sleep(2)
        cluster.start()
        up_at = time.monotonic()
        time.sleep(3)
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
