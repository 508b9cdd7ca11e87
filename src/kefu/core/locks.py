"""Named locks held until the current transaction ends.

On PostgreSQL a transaction-scoped advisory lock per key. On SQLite nothing is
needed: kefu opens every transaction with ``BEGIN IMMEDIATE`` (settings), which
takes the database's write lock, so write transactions already run one at a time.
"""

from __future__ import annotations

from django.db import connection


def lock_keys(*keys: str) -> None:
    """Wait for, then hold, a lock on each of ``keys`` until the transaction ends.

    Call inside ``transaction.atomic``. Keys are taken in sorted order, so two
    transactions asking for the same keys cannot deadlock.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_keys needs a transaction (transaction.atomic)")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
