"""The coach's word lists: loaded from the data files, compiled once, immutable.

Each list becomes one compiled alternation, so reading a message costs one
regex scan per list however long the lists grow. Admin-added entries
(``extra``) are merged in; the result is cached on their content.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILES = ("customer.json", "coach.json")

# Fields an entry may carry; "term" or "pattern" is required (except in "missing").
ENTRY_FIELDS = frozenset(
    {
        "term",
        "pattern",
        "lang",
        "weight",
        "emotion",
        "kind",
        "strong",
        "always",
        "after",
        "courtesy",
        "suggestion",
        "explanation_zh",
        "explanation_en",
        "code",
        "suggestion_zh",
        "suggestion_en",
    }
)
EMOTIONS = ("anger", "anxiety", "disappointment", "satisfaction")
THREAT_KINDS = ("regulator", "media", "legal", "over_heads")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")


class LexiconError(ValueError):
    """A data file or an extra entry is malformed (unknown list, bad pattern)."""


@dataclass(frozen=True)
class Entry:
    """One term or pattern of a list, with what it means there."""

    list: str
    term: str | None = None
    pattern: str | None = None
    lang: str = "any"
    weight: float = 1.0
    emotion: str | None = None
    kind: str | None = None
    strong: bool = False
    always: bool = False
    after: bool = False
    courtesy: bool = False
    suggestion: str | None = None
    explanation_zh: str | None = None
    explanation_en: str | None = None

    @property
    def source(self) -> str:
        return self.term if self.term is not None else (self.pattern or "")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry
    text: str


def _trie_regex(terms: list[str]) -> str:
    """One regex for many literal terms, shaped as a trie so the engine branches on each
    character instead of trying every term in turn; at one position the longest term wins.
    English words match whole words only ("sue" not in "issue")."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = term

    def build(node: dict[str, Any], depth: int) -> str:
        options = []
        for char in sorted(k for k in node if k):
            head = re.escape(char)
            if depth == 0 and _ASCII_WORD.match(char):
                head = r"(?<![A-Za-z0-9])" + head
            options.append(head + build(node[char], depth + 1))
        if "" in node:
            term = node[""]
            options.append(r"(?![A-Za-z0-9])" if _ASCII_WORD.match(term[-1]) else "")
        if len(options) == 1:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    return build(trie, 0) if trie else ""


def _regex_for(entry: Entry) -> str:
    if entry.pattern is not None:
        return entry.pattern
    term = entry.term or ""
    body = re.escape(term)
    # English words match whole words only ("sue" not in "issue").
    if term and _ASCII_WORD.match(term[0]):
        body = r"(?<![A-Za-z0-9])" + body
    if term and _ASCII_WORD.match(term[-1]):
        body += r"(?![A-Za-z0-9])"
    return body


@dataclass(frozen=True)
class WordList:
    """A compiled list: one alternation, longest terms first."""

    name: str
    entries: tuple[Entry, ...]
    explanation_zh: str | None = None
    explanation_en: str | None = None
    regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    by_term: Mapping[str, Entry] = field(default_factory=dict, compare=False, repr=False)
    patterns: tuple[tuple[re.Pattern[str], Entry], ...] = field(
        default=(), compare=False, repr=False
    )

    @classmethod
    def build(
        cls,
        name: str,
        entries: Iterable[Entry],
        explanation_zh: str | None = None,
        explanation_en: str | None = None,
    ) -> WordList:
        entries = tuple(entries)
        matchable = [e for e in entries if e.term or e.pattern]
        # Patterns first, then terms longest first: at one position the longest wins.
        ordered = sorted(matchable, key=lambda e: (e.pattern is None, -len(e.term or "")))
        by_term: dict[str, Entry] = {}
        for entry in matchable:
            if entry.term is not None:
                by_term.setdefault(entry.term.lower(), entry)
        patterns = tuple(
            (re.compile(e.pattern, re.IGNORECASE), e) for e in matchable if e.pattern is not None
        )
        parts = [f"(?:{e.pattern})" for e in ordered if e.pattern is not None]
        trie = _trie_regex(sorted({e.term.lower() for e in ordered if e.term is not None}))
        if trie:
            parts.append(trie)
        regex = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        return cls(
            name=name,
            entries=entries,
            explanation_zh=explanation_zh,
            explanation_en=explanation_en,
            regex=regex,
            by_term=MappingProxyType(by_term),
            patterns=patterns,
        )

    def _entry_for(self, text: str, start: int, end: int) -> Entry:
        found = text[start:end]
        entry = self.by_term.get(found.lower())
        if entry is not None:
            return entry
        for compiled, candidate in self.patterns:
            # Matched in place, so a pattern's lookahead and lookbehind still see the text.
            hit = compiled.match(text, start)
            if hit is not None and hit.end() == end:
                return candidate
        for candidate in self.entries:  # pragma: no cover - case-folding oddities
            if candidate.term and candidate.term.lower() == found.lower():
                return candidate
        return self.entries[0]

    def finditer(self, text: str) -> Iterator[Match]:
        """Every non-overlapping occurrence of the list in ``text``, left to right."""
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            if m.end() == m.start():
                continue
            yield Match(m.start(), m.end(), self._entry_for(text, m.start(), m.end()), m.group(0))

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)


@dataclass(frozen=True)
class Lexicon:
    """Every list the coach uses, compiled; ``version`` names the data and the extras."""

    version: str
    lists: Mapping[str, WordList]
    settings: Mapping[str, Any]
    messages: Mapping[str, Mapping[str, str]]

    def __getitem__(self, name: str) -> WordList:
        return self.lists[name]

    def setting(self, name: str, default: int) -> int:
        value = self.settings.get(name, default)
        return int(value) if isinstance(value, int | float) else default


def _entry(list_name: str, raw: Mapping[str, Any]) -> Entry:
    unknown = set(raw) - ENTRY_FIELDS - {"list"}
    if unknown:
        raise LexiconError(f"{list_name}: unknown fields {sorted(unknown)}")
    term = raw.get("term")
    pattern = raw.get("pattern")
    if term is not None and not isinstance(term, str):
        raise LexiconError(f"{list_name}: term must be text")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise LexiconError(f"{list_name}: pattern must be text")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{list_name}: bad pattern {pattern!r}: {exc}") from exc
        if compiled.match(""):
            raise LexiconError(f"{list_name}: pattern {pattern!r} matches empty text")
    if not term and not pattern and list_name != "missing":
        raise LexiconError(f"{list_name}: an entry needs a term or a pattern")
    lang = raw.get("lang") or ("zh" if _CJK.search(term or pattern or "") else "any")
    if _ASCII_WORD.search(term or "") and not _CJK.search(term or ""):
        lang = raw.get("lang") or "en"
    emotion = raw.get("emotion")
    if emotion is not None and emotion not in EMOTIONS:
        raise LexiconError(f"{list_name}: unknown emotion {emotion!r}")
    kind = raw.get("kind")
    if kind is not None and kind not in THREAT_KINDS:
        raise LexiconError(f"{list_name}: unknown threat kind {kind!r}")
    try:
        weight = float(raw.get("weight", 1.0))
    except (TypeError, ValueError) as exc:
        raise LexiconError(f"{list_name}: weight must be a number") from exc
    return Entry(
        list=list_name,
        term=term or None,
        pattern=pattern or None,
        lang=str(lang),
        weight=weight,
        emotion=emotion,
        kind=kind,
        strong=bool(raw.get("strong", False)),
        always=bool(raw.get("always", False)),
        after=bool(raw.get("after", False)),
        courtesy=bool(raw.get("courtesy", False)),
        suggestion=raw.get("suggestion") or None,
        explanation_zh=raw.get("explanation_zh") or None,
        explanation_en=raw.get("explanation_en") or None,
    )


@lru_cache(maxsize=1)
def _base_data() -> tuple[str, dict[str, Any]]:
    versions: set[str] = set()
    merged: dict[str, Any] = {"lists": {}, "settings": {}}
    for name in DATA_FILES:
        data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        versions.add(str(data["version"]))
        merged["settings"].update(data.get("settings", {}))
        for list_name, spec in data["lists"].items():
            if list_name in merged["lists"]:
                raise LexiconError(f"list {list_name} is defined twice")
            merged["lists"][list_name] = spec
    if len(versions) != 1:
        raise LexiconError(f"data files disagree on the version: {sorted(versions)}")
    return versions.pop(), merged


def known_lists() -> tuple[str, ...]:
    """The names of the lists in the data files (the only lists extras may name)."""
    return tuple(_base_data()[1]["lists"])


def validate_entry(raw: Mapping[str, Any]) -> Entry:
    """Check one extra entry (with "list") and return it; raise ``LexiconError`` if bad."""
    list_name = raw.get("list")
    if list_name not in known_lists() or list_name == "missing":
        raise LexiconError(f"unknown list {list_name!r}")
    return _entry(str(list_name), raw)


def _freeze(extra: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(json.dumps(dict(e), sort_keys=True, ensure_ascii=False) for e in extra)


def load_lexicon(extra: Iterable[Mapping[str, Any]] = ()) -> Lexicon:
    """The lexicon of the shipped data files plus ``extra`` entries (each naming its "list").

    Cached on the content of ``extra``: calling it again with the same entries is cheap.
    Raises ``LexiconError`` on an unknown list or a bad pattern.
    """
    return _load(_freeze(extra))


@lru_cache(maxsize=16)
def _load(frozen: tuple[str, ...]) -> Lexicon:
    version, data = _base_data()
    added: dict[str, list[Entry]] = {}
    for line in frozen:
        entry = validate_entry(json.loads(line))
        added.setdefault(entry.list, []).append(entry)
    lists: dict[str, WordList] = {}
    messages: dict[str, Mapping[str, str]] = {}
    for name, spec in data["lists"].items():
        if name == "missing":
            for raw in spec["entries"]:
                messages[raw["code"]] = MappingProxyType(
                    {k: str(v) for k, v in raw.items() if k != "code"}
                )
            continue
        entries = [_entry(name, raw) for raw in spec["entries"]] + added.get(name, [])
        lists[name] = WordList.build(
            name, entries, spec.get("explanation_zh"), spec.get("explanation_en")
        )
    if frozen:
        digest = hashlib.sha256("\n".join(sorted(frozen)).encode()).hexdigest()[:6]
        version = f"{version}+{len(frozen)}.{digest}"
    return Lexicon(
        version=version,
        lists=MappingProxyType(lists),
        settings=MappingProxyType(dict(data["settings"])),
        messages=MappingProxyType(messages),
    )
