"""The calendar override file: CSV with the header ``date,kind,name``.

Pure Python (no Django): ``kefu calendar import`` and ``export`` and the tests
share it. One row a date; ``kind`` is ``holiday`` (a day off: a statutory
holiday, a company day off) or ``workday`` (a make-up working day, 调休).
The file is UTF-8 (with or without a byte-order mark) or GB18030, the two
encodings spreadsheets in China save CSV in.

Parsing is all or nothing: :func:`parse_overrides` returns every row, or raises
:class:`OverrideFileError` listing every bad line, so a caller writes nothing
from a file with one mistake in it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kefu.core.csv_safe import guard, unguard

__all__ = [
    "HEADER",
    "KINDS",
    "OverrideFileError",
    "OverrideRow",
    "Problem",
    "decode",
    "parse_overrides",
    "write_overrides",
]

HEADER = ("date", "kind", "name")
KINDS = ("holiday", "workday")
#: Longest name kept (the column's size in the database).
NAME_LENGTH = 100


@dataclass(frozen=True)
class OverrideRow:
    """One dated override: ``kind`` is ``holiday`` or ``workday``."""

    day: date
    kind: str
    name: str = ""

    @property
    def working(self) -> bool:
        """True for a make-up working day, False for a day off."""
        return self.kind == "workday"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line of the file (``line`` 1 is the header).

    ``code`` is one of ``encoding``, ``empty``, ``header``, ``columns``,
    ``date``, ``kind``, ``name``, ``duplicate``; ``value`` is the offending
    text and ``first_line`` the earlier line of a duplicate.
    """

    line: int
    code: str
    value: str = ""
    first_line: int = 0


class OverrideFileError(ValueError):
    """The file cannot be imported; ``problems`` names every bad line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {p.line}: {p.code} {p.value!r}" for p in problems))


def decode(data: bytes) -> str:
    """The text of ``data``: UTF-8 (a byte-order mark is dropped), else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise OverrideFileError([Problem(line=0, code="encoding")]) from None


def parse_overrides(text: str) -> list[OverrideRow]:
    """Every row of the file, sorted by date; :class:`OverrideFileError` if any is bad."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise OverrideFileError([Problem(line=1, code="empty")])
    if tuple(cell.strip().lower() for cell in header) != HEADER:
        raise OverrideFileError([Problem(line=1, code="header", value=",".join(header))])
    problems: list[Problem] = []
    rows: list[OverrideRow] = []
    seen: dict[date, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, e.g. the last one a spreadsheet writes
        if len(cells) not in (2, 3):
            problems.append(Problem(line=line, code="columns", value=",".join(cells)))
            continue
        raw_day, raw_kind = cells[0].strip(), cells[1].strip().lower()
        name = unguard(cells[2].strip()) if len(cells) == 3 else ""
        row_ok = True
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            problems.append(Problem(line=line, code="date", value=raw_day))
            row_ok = False
        if raw_kind not in KINDS:
            problems.append(Problem(line=line, code="kind", value=cells[1].strip()))
            row_ok = False
        if len(name) > NAME_LENGTH:
            problems.append(Problem(line=line, code="name", value=name[:20] + "…"))
            row_ok = False
        if not row_ok:
            continue
        if day in seen:
            problems.append(
                Problem(line=line, code="duplicate", value=raw_day, first_line=seen[day])
            )
            continue
        seen[day] = line
        rows.append(OverrideRow(day=day, kind=raw_kind, name=name))
    if problems:
        raise OverrideFileError(problems)
    return sorted(rows, key=lambda row: row.day)


def write_overrides(rows: Iterable[OverrideRow]) -> str:
    """The CSV text of ``rows`` (header first, one row a date, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in sorted(rows, key=lambda row: row.day):
        writer.writerow((row.day.isoformat(), row.kind, guard(row.name)))
    return out.getvalue()
