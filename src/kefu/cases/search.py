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


# A case reference is KF-<year>-<sequence of at least six digits>. Partial forms:
# the sequence alone ("000123", "123"), or the year with the head of the
# sequence ("2026-0001", "KF-2026-00"). Nine digits at most, so that a phone
# number is not read as a sequence.
_SEQUENCE_ONLY = re.compile(r"(?:KF-?)?(\d{1,9})", re.IGNORECASE)
_YEAR_AND_HEAD = re.compile(r"(?:KF-?)?(\d{4})-(\d{0,9})", re.IGNORECASE)
_SEQUENCE_DIGITS = 6


def reference_sequence(query: str) -> int | None:
    """The case sequence number a digits-only query names ("000123" → 123), else None."""
    match = _SEQUENCE_ONLY.fullmatch(query.strip())
    if match is None or int(match.group(1)) == 0:
        return None
    return int(match.group(1))


def references_with_sequence(sequence: int, years: range) -> list[str]:
    """Every reference of ``sequence`` in ``years``: an exact (indexed) lookup each."""
    return [f"KF-{year}-{sequence:0{_SEQUENCE_DIGITS}d}" for year in years]


def reference_range(query: str) -> tuple[str, str] | None:
    """``(low, high)`` with ``low <= reference < high`` exactly for the references that
    start with the year and sequence head in ``query`` ("2026-0001" →
    ``("KF-2026-0001", "KF-2026-0002")``), else None.

    A range rather than a prefix match, so that an ordinary index answers it on
    both engines; the bounds differ from the matches only in their last digit,
    so any collation orders them the same way.
    """
    match = _YEAR_AND_HEAD.fullmatch(query.strip())
    if match is None:
        return None
    year, head = match.group(1), match.group(2)
    low = f"KF-{year}-{head}"
    stripped = head.rstrip("9")
    if stripped:
        bumped = stripped[:-1] + str(int(stripped[-1]) + 1)
        return low, f"KF-{year}-{bumped}"
    # "2026-" or "2026-99": every sequence of the year from there on.
    return low, f"KF-{int(year) + 1:04d}-"
