"""A PostgreSQL cluster of the test's own, to stop and start at will.

The shared server at 127.0.0.1:5432 is never restarted (other test runs use it):
``initdb`` and ``pg_ctl`` from /usr/lib/postgresql/*/bin make a cluster on a free
port in a temporary folder (as the ``postgres`` user when run as root), the
migrated schema is copied into its database ``kefu``, and the folder is removed
afterwards. The ``cluster`` fixture (tests/ops/conftest.py) yields one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.ops.topology import database_url, free_port


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


@contextlib.contextmanager
def make_cluster(pg_base: str, template_db: str) -> Iterator[Cluster]:
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
