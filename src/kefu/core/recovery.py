"""Long-running processes that heal after a database outage.

The clock loop and the worker keep one database connection for hours. When
PostgreSQL restarts (or fails over) that connection is dead for good: Django only
opens a new one once the old one is closed. So after a database error a process
drops its connections, waits a growing delay (1, 2, 4 ... seconds, capped), and
tries again; after ``KEFU_PROCESS_FAILURE_LIMIT`` failures in a row it gives up and
exits non-zero, so that its supervisor (systemd, ``tools/supervise.py`` under
``make run``) starts a fresh one. See docs/operations.md, "Database outages".
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

# What a lost or refused connection raises (psycopg's errors, wrapped by Django).
DATABASE_ERRORS = (OperationalError, InterfaceError)

# Exit status of a process that gave up (EX_TEMPFAIL: try again later).
EXIT_GAVE_UP = 75


def retry_delay(failures: int, *, cap: float, first: float = 1.0) -> float:
    """Seconds to wait after the ``failures``-th failure in a row (1-based): ``first``,
    doubling each time, never more than ``cap``."""
    if failures < 1:
        return 0.0
    return float(min(first * 2 ** min(failures - 1, 30), cap))


@dataclass
class FailureRun:
    """Consecutive failures of one process; ``limit`` of them in a row means give up."""

    limit: int
    cap: float
    count: int = 0

    def failed(self) -> float | None:
        """Count one more failure; return the delay before the next try, or None
        once the limit is reached."""
        self.count += 1
        if self.count >= self.limit:
            return None
        return retry_delay(self.count, cap=self.cap)

    def succeeded(self) -> None:
        self.count = 0


def connections_drop() -> None:
    """Close this thread's database connections, so the next query opens a fresh one.
    Closing a dead connection may itself fail; that is fine, it is gone either way."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


def run_restarting(
    run: Callable[[], None],
    *,
    what: str,
    failure_limit: int,
    retry_max_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Call ``run`` until it returns; after a database error drop the connections,
    wait and call it again. Returns True when ``run`` returned, False after
    ``failure_limit`` failures in a row. A run that lasted longer than
    ``retry_max_seconds`` before failing had been working: the count starts again."""
    failures = FailureRun(limit=failure_limit, cap=retry_max_seconds)
    while True:
        started = clock()
        try:
            run()
        except DATABASE_ERRORS:
            connections_drop()
            if clock() - started > retry_max_seconds:
                failures.succeeded()
            delay = failures.failed()
            if delay is None:
                logger.exception("%s: database error, %d in a row; giving up", what, failures.count)
                return False
            logger.exception(
                "%s: database error (%d in a row); trying again in %.0f s",
                what,
                failures.count,
                delay,
            )
            sleep(delay)
        else:
            return True
