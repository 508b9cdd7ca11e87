"""The shipped data files: versioned, every pattern compiles, every list known, every
rewrite differs from its source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kefu.assist.engine import FLAG_CODES, load_lexicon
from kefu.assist.engine.lexicon import DATA_DIR, DATA_FILES, ENTRY_FIELDS

# Every list the engine reads; a data file may not carry others.
ENGINE_LISTS = {
    "negative", "positive", "negators", "negation_exceptions", "intensifiers", "sarcasm",
    "failure", "polite_anger", "implied", "time_pressure", "repeat_contact", "question",
    "request", "problem", "threat_target", "threat_intent", "threat_condition", "threat_reported",
    "negative_phrasing", "alternative", "blame_customer", "empathy", "apology",
    "confirmation", "promise", "time_concrete", "transfer", "transfer_reason", "next_step",
    "jargon", "proposal", "agreement", "missing",
}  # fmt: skip


def _files() -> list[dict[str, object]]:
    return [json.loads((DATA_DIR / name).read_text("utf-8")) for name in DATA_FILES]


def test_data_files_share_a_version() -> None:
    versions = {str(data["version"]) for data in _files()}
    assert len(versions) == 1
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", versions.pop())
    assert load_lexicon().version in {str(d["version"]) for d in _files()}


def test_every_list_is_known_and_every_entry_well_formed() -> None:
    seen = set()
    for data in _files():
        lists = data["lists"]
        assert isinstance(lists, dict)
        for name, spec in lists.items():
            seen.add(name)
            assert name in ENGINE_LISTS, name
            assert spec["entries"], name
            for entry in spec["entries"]:
                assert set(entry) <= ENTRY_FIELDS, entry
                if name != "missing":
                    assert ("term" in entry) != ("pattern" in entry), entry
    assert seen == ENGINE_LISTS


def test_every_pattern_compiles_and_matches_something_nonempty() -> None:
    for data in _files():
        for spec in data["lists"].values():  # type: ignore[attr-defined]
            for entry in spec["entries"]:
                if "pattern" in entry:
                    compiled = re.compile(entry["pattern"], re.IGNORECASE)
                    assert not compiled.match(""), entry


@pytest.mark.parametrize("list_name", ["negative_phrasing", "blame_customer", "jargon"])
def test_every_rewrite_differs_from_its_source(list_name: str) -> None:
    lexicon = load_lexicon()
    for entry in lexicon[list_name].entries:
        assert entry.suggestion, entry
        if entry.term:
            assert entry.suggestion.lower() != entry.term.lower(), entry
            # The rewrite itself is not flagged again under the same list.
            assert lexicon[list_name].search(entry.suggestion) is None, entry


def test_flag_lists_explain_in_both_languages() -> None:
    lexicon = load_lexicon()
    for name in ("negative_phrasing", "blame_customer", "jargon", "transfer"):
        assert lexicon[name].explanation_zh
        assert lexicon[name].explanation_en
    for code in FLAG_CODES:
        if code in ("negative_phrasing", "blame_customer", "jargon"):
            continue
        message = lexicon.messages[code]
        assert message["explanation_zh"]
        assert message["explanation_en"]


def test_data_directory_is_inside_the_package() -> None:
    assert Path(DATA_DIR).parent.name == "assist"
