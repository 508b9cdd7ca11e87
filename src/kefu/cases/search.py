"""Chinese substring search, pure: text -> search terms, query -> terms.

Chinese has no spaces, so a word index misses substrings (渗水 inside
卫生间渗水). Each case keeps the distinct character bigrams of its subject and
messages as space-separated terms; a query's bigrams must all be present,
then the candidates are checked with a plain substring match. Latin words
and numbers are kept whole (lowercased) and as prefixes are not needed.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+", re.IGNORECASE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
MAX_TERMS = 4000


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def terms(text: str) -> list[str]:
    """Every search term of ``text`` in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(_normal(text)):
        if _CJK_RUN.match(token):
            if len(token) == 1:
                seen.setdefault(token, None)
            for i in range(len(token) - 1):
                seen.setdefault(token[i : i + 2], None)
        else:
            seen.setdefault(token, None)
    return list(seen)[:MAX_TERMS]


def merge_terms(existing: str, text: str) -> str:
    """``existing`` (space-separated terms) plus the new terms of ``text``."""
    have = existing.split()
    known = set(have)
    have.extend(term for term in terms(text) if term not in known)
    return " ".join(have[:MAX_TERMS])


def query_terms(query: str) -> list[str]:
    """The terms a document must hold to possibly contain ``query``.

    A single Chinese character is its own term; a document holds it when any
    bigram starts or ends with it, so single characters are matched by the
    substring check alone (the caller falls back to it).
    """
    return [t for t in terms(query) if len(t) > 1 or not _CJK_RUN.match(t)]
