"""Fixtures of the process-level tests: a migrated scratch PostgreSQL database, Redis, and
a ``Topology`` whose processes are always stopped, whatever the test did.

These tests run kefu as real processes (gunicorn, ``kefu worker``, ``kefu clocks``)
against PostgreSQL and Redis. They run in ``make test``'s PostgreSQL pass; the
SQLite pass deselects them (``-m "not postgres_only"``, see the Makefile). Outside
CI a missing PostgreSQL or Redis skips them with the reason; in CI (``CI=true``) it
fails them, like tests/core/test_tasks.py.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ops.cluster import Cluster, make_cluster
from tests.ops.topology import (
    DEFAULT_PG,
    DEFAULT_REDIS,
    Topology,
    create_database,
    drop_database,
    flush_redis,
    scratch_name,
)

MakeTopology = Callable[..., Topology]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI needs it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_base() -> str:
    url = os.environ.get("KEFU_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("process-level tests run in the PostgreSQL pass (KEFU_DATABASE_URL)")
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError as exc:
        _unavailable(f"PostgreSQL is not reachable at {url}: {exc}")
    return url or DEFAULT_PG


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    url = os.environ.get("KEFU_OPS_REDIS_URL", DEFAULT_REDIS)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        _unavailable(f"Redis is not reachable at {url}")
    return url


@pytest.fixture(scope="session")
def template_db(
    pg_base: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated once by ``kefu migrate``; each test gets a copy of it."""
    name = scratch_name("kefu_ops_tpl")
    url = create_database(pg_base, name)
    topology = Topology(
        database_url=url, redis_url=redis_url, var_dir=tmp_path_factory.mktemp("tpl")
    )
    try:
        topology.kefu("migrate", "--no-input", "-v0", timeout=300)
        yield name
    finally:
        drop_database(pg_base, name)


@pytest.fixture
def make_topology(
    pg_base: str, redis_url: str, template_db: str, tmp_path: Path
) -> Iterator[MakeTopology]:
    """Build a topology on a fresh copy of the migrated database; stopped and dropped after."""
    made: list[tuple[Topology, str]] = []

    def make(**extra_env: str) -> Topology:
        name = scratch_name()
        url = create_database(pg_base, name, template=template_db)
        var_dir = tmp_path / f"var{len(made)}"
        var_dir.mkdir()
        flush_redis(redis_url)
        topology = Topology(
            database_url=url, redis_url=redis_url, var_dir=var_dir, extra_env=extra_env
        )
        made.append((topology, name))
        return topology

    try:
        yield make
    finally:
        for topology, name in made:
            topology.stop_all()
            drop_database(pg_base, name)
            shutil.rmtree(topology.var_dir, ignore_errors=True)


@pytest.fixture
def cluster(pg_base: str, template_db: str) -> Iterator[Cluster]:
    """A PostgreSQL cluster of this test's own, holding the migrated schema; removed after."""
    with make_cluster(pg_base, template_db) as made:
        yield made
