"""Reads of the coach: the active lexicon (shipped lists plus admin entries)."""

from __future__ import annotations

import threading

from django.db import connection

from kefu.assist.engine import Lexicon, LexiconError, load_lexicon
from kefu.assist.models import LexiconEntry

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _stamp() -> tuple[object, ...]:
    # Read on every message the coach reads: plain SQL, as the ORM's aggregate took
    # longer to compile than to run.
    table = connection.ops.quote_name(LexiconEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(updated_at) FROM {table}")  # noqa: S608
        row = cursor.fetchone()
    return tuple(row) if row else ()


def active_lexicon() -> Lexicon:
    """The lexicon the coach reads with: the data files plus the active admin entries.

    Cached per process, keyed on (count, latest ``updated_at``) of the entries, so an
    edit in the admin takes effect on the next call without a restart. An entry the
    engine rejects (saved around the service) is skipped rather than breaking reads.
    """
    key = _stamp()
    with _lock:
        if _cache.get("key") == key:
            cached = _cache["lexicon"]
            assert isinstance(cached, Lexicon)  # noqa: S101
            return cached
    entries = [e.as_entry() for e in LexiconEntry.objects.filter(is_active=True).order_by("pk")]
    try:
        lexicon = load_lexicon(entries)
    except LexiconError:
        good = []
        for entry in entries:
            try:
                load_lexicon([entry])
            except LexiconError:
                continue
            good.append(entry)
        lexicon = load_lexicon(good)
    with _lock:
        _cache["key"] = key
        _cache["lexicon"] = lexicon
    return lexicon


def lexicon_entry_list() -> list[LexiconEntry]:
    """Every admin-added entry, active or not, by list."""
    return list(LexiconEntry.objects.select_related("created_by").order_by("list_name", "pk"))
