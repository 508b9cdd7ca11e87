"""Fail when a catalogue has untranslated or fuzzy entries (run by `make test`)."""

from __future__ import annotations

import sys

import polib


def main(paths: list[str]) -> int:
    problems = 0
    for path in paths:
        catalogue = polib.pofile(path)
        for entry in catalogue:
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems += 1
                print(f"{path}: untranslated: {entry.msgid!r}", file=sys.stderr)
    if problems:
        print(f"{problems} untranslated entries; translate them in the .po file.", file=sys.stderr)
        return 1
    print(f"translations complete: {', '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
