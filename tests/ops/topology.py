"""Start kefu as a service on loopback: web processes, workers and a clock loop.

Used by the process-level tests in this folder and by ``bench/load.py``. Every
process gets the same environment (database, Redis, secret key, media folder),
exactly as docs/operations.md asks of a deployment, and runs in its own process
group so that stopping it (or killing it, to simulate a crash) takes its
children too (gunicorn's workers, RQ's work horse).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
KEFU = str(BIN / "kefu")
GUNICORN = str(BIN / "gunicorn")
SECRET_KEY = "ops-test-secret-key-" + "x" * 40
CHAT_SECRET = "ops-chat-webhook-secret"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url(base: str, name: str) -> str:
    """``base`` with its database name replaced by ``name``."""
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def create_database(base: str, name: str, *, template: str | None = None) -> str:
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(base, name)


def drop_database(base: str, name: str) -> None:
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def scratch_name(prefix: str = "kefu_ops") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Topology:
    """A kefu deployment on this machine; ``env`` is every process's environment."""

    database_url: str
    redis_url: str
    var_dir: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    procs: list[Proc] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
        env.update(
            {
                "KEFU_DATABASE_URL": self.database_url,
                "KEFU_TASKS_BACKEND": "redis",
                "KEFU_REDIS_URL": self.redis_url,
                "KEFU_VAR_DIR": str(self.var_dir),
                "KEFU_SECRET_KEY": SECRET_KEY,
                "KEFU_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "KEFU_CHAT_WEBHOOK_SECRET": CHAT_SECRET,
                "KEFU_CLOCK_IDLE_SECONDS": "1",
                "KEFU_LOG_LEVEL": "warning",
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, argv: Sequence[str], port: int | None = None) -> Proc:
        log = self.var_dir / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(
            list(argv),
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()
        proc = Proc(name=name, popen=popen, log=log, port=port)
        self.procs.append(proc)
        return proc

    def kefu(
        self, *args: str, stdin: bytes | None = None, timeout: float = 120, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Run one ``kefu`` command to completion with the shared environment."""
        done = subprocess.run(
            [KEFU, *args], cwd=ROOT, env=self.env, input=stdin, capture_output=True, timeout=timeout
        )
        if check and done.returncode != 0:
            raise RuntimeError(
                f"kefu {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-2000:]}"
            )
        return done

    def seed(self, what: str = "topology", **options: object) -> dict[str, object]:
        """Create staff, tokens, contacts and a 24x7 team (tests/ops/seed.py); returns its JSON."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.ops.seed", what, json.dumps(options)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"seed failed: {done.stderr.decode()[-3000:]}")
        result: dict[str, object] = json.loads(done.stdout.decode().strip().splitlines()[-1])
        return result

    def start_web(self, name: str, *, workers: int = 1, threads: int = 4) -> Proc:
        port = free_port()
        return self._spawn(
            name,
            [
                GUNICORN,
                "kefu.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--graceful-timeout",
                "5",
            ],
            port=port,
        )

    def start_worker(self, name: str) -> Proc:
        return self._spawn(name, [KEFU, "worker"])

    def start_clock(self, name: str = "clock") -> Proc:
        return self._spawn(name, [KEFU, "clocks"])

    def wait_healthy(self, timeout: float = 60) -> None:
        """Wait until every web process answers its sign-in page."""
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            if proc.port is None:
                continue
            while True:
                if not proc.alive():
                    raise RuntimeError(f"{proc.name} exited: {self.tail(proc)}")
                try:
                    with urllib.request.urlopen(f"{proc.url}/login/", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{proc.name} not healthy: {self.tail(proc)}")
                time.sleep(0.2)

    def tail(self, proc: Proc, size: int = 3000) -> str:
        try:
            return proc.log.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def kill(self, proc: Proc) -> None:
        """SIGKILL the process and every descendant (a machine losing power, for that
        process). RQ's work horse runs in a process group of its own, so the group is
        not enough."""
        family = [proc.popen.pid, *descendants(proc.popen.pid)]
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.popen.wait(10)

    def stop(self, proc: Proc, timeout: float = 10) -> None:
        """SIGTERM the process group, wait, SIGKILL on timeout (descendants too)."""
        family = descendants(proc.popen.pid)
        if proc.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout)
        # Children (a work horse, a gunicorn worker) may outlive a parent that exited.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.popen.pid, signal.SIGKILL)
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if proc.popen.poll() is None:
            proc.popen.wait(10)

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)
        self.procs.clear()


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc; Linux)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: object = None,
    raw: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, object, str]:
    """One HTTP request; returns (status, parsed JSON or None, content type)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, payload, ctype = (
                response.status,
                response.read(),
                response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as exc:
        status, payload, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    parsed: object = None
    if "json" in ctype and payload:
        parsed = json.loads(payload)
    elif payload:
        parsed = payload.decode("utf-8", errors="replace")
    return status, parsed, ctype


def wait_for(check: object, *, timeout: float, interval: float = 0.25, what: str = "") -> object:
    """Poll ``check()`` until it returns something truthy; fail after ``timeout`` seconds."""
    assert callable(check)
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or check}")
        time.sleep(interval)
