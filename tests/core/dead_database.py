"""A database connection whose server went away, for the tests of healing processes.

After PostgreSQL restarts, every query on an old connection fails ("the connection
is closed") until the client closes it and opens a new one; Django alone never does
that in a long-running process. ``DeadConnection`` reproduces exactly that on any
engine: every query fails with ``OperationalError`` until ``close()`` has been called
on the connection enough times for the server to be back (the test's transaction is
kept; nothing real is closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections


class DeadConnection:
    def __init__(self, *, closes_needed: int | None) -> None:
        self.dead = True
        self.closes_needed = closes_needed
        self.refused = 0
        self.closed = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.dead:
            self.refused += 1
            raise OperationalError("the connection is closed")
        return execute(sql, params, many, context)

    def close(self) -> None:
        self.closed += 1
        self.dead = self.closes_needed is None or self.closed < self.closes_needed


@contextmanager
def dead_connection(
    monkeypatch: pytest.MonkeyPatch, *, closes_needed: int | None = 1
) -> Iterator[DeadConnection]:
    """The default connection dies. The server is back once the connection has been
    closed ``closes_needed`` times (each close, then a new connection, is one try);
    with None it never comes back."""
    dead = DeadConnection(closes_needed=closes_needed)
    wrapper = connections[DEFAULT_DB_ALIAS]
    monkeypatch.setattr(wrapper, "close", dead.close)
    with wrapper.execute_wrapper(dead):
        yield dead
