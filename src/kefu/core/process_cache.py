"""Small per-process caches of settings rows that every intake reads.

Intake reads the same few rows for every message (the intake department and
team, the active SLA policies). Each cache here keeps one value for
``seconds`` at most: the service that writes the rows calls ``clear()`` at
once, so this process sees its own change on the next read, and other
processes (the mail poller, the other web workers) see it within ``seconds``.
Changes made around the services (the Django admin, a shell) are picked up the
same way, after at most ``seconds``.

:func:`process_caches_clear` forgets every cache (the test suite calls it
before each test, whose rows are rolled back with its transaction).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

#: How long a cached value is trusted by default.
CACHE_SECONDS = 30.0

_registry: list[TtlCache[object]] = []


class TtlCache(Generic[T]):
    """One value, loaded by ``load`` and kept for ``seconds`` (per process and key)."""

    def __init__(self, load: Callable[[], T], *, seconds: float = CACHE_SECONDS) -> None:
        self._load = load
        self._seconds = seconds
        self._value: tuple[float, T] | None = None
        self._lock = threading.Lock()
        _registry.append(self)  # type: ignore[arg-type]

    def get(self) -> T:
        now = time.monotonic()
        with self._lock:
            held = self._value
        if held is not None and now - held[0] < self._seconds:
            return held[1]
        value = self._load()
        with self._lock:
            self._value = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._value = None


def process_caches_clear() -> None:
    """Forget every cached value of this process."""
    for cache in _registry:
        cache.clear()
