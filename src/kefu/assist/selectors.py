"""Reads of the coach: the active lexicon (shipped lists plus admin entries)."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from kefu.assist.engine import Lexicon, LexiconError, load_lexicon
from kefu.assist.models import LexiconEntry

_lock = threading.Lock()
_cache: dict[str, object] = {}


def active_lexicon() -> Lexicon:
    """The lexicon the coach reads with: the data files plus the active admin entries.

    Cached per process, keyed on (count, latest ``updated_at``) of the entries, so an
    edit in the admin takes effect on the next call without a restart. An entry the
    engine rejects (saved around the service) is skipped rather than breaking reads.
    """
    stamp = LexiconEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (stamp["n"], stamp["latest"])
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
