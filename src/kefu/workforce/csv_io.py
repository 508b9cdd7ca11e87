"""The history CSV file and the schedule exports: reading, checking, writing.

History columns: ``interval_start,queue,offered,answered,abandoned,aht``.
``interval_start`` is an ISO instant (a time without an offset is read in
Asia/Shanghai); ``queue`` may be left out (or empty) and then the default
queue is used; ``answered``, ``abandoned`` and ``aht`` may be empty. Reading
never touches the database: it returns the good rows and, for every bad one,
its line number and what to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from kefu.core import csv_safe

COLUMNS = ("interval_start", "queue", "offered", "answered", "abandoned", "aht")
REQUIRED_COLUMNS = ("interval_start", "offered")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class HistoryRow:
    line: int
    queue: str
    interval_start: datetime
    offered: int
    answered: int | None
    abandoned: int | None
    aht_seconds: float | None


@dataclass(frozen=True)
class Rejected:
    """One line that was not imported, and what to fix."""

    line: int
    reason: str


@dataclass(frozen=True)
class ParsedHistory:
    rows: list[HistoryRow]
    rejected: list[Rejected]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030 (what Excel saves in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL)
    return value


def _count(text: str, *, column: str, required: bool) -> int | None:
    text = text.strip()
    if not text:
        if required:
            raise ValueError(
                _("%(column)s is empty; give a whole number of contacts.") % {"column": column}
            )
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            _("%(column)s %(value)r is not a number.") % {"column": column, "value": text}
        ) from None
    if number < 0 or number != int(number):
        raise ValueError(
            _("%(column)s must be a whole number of 0 or more, not %(value)s.")
            % {"column": column, "value": text}
        )
    return int(number)


def _check_row(cells: dict[str, str], *, line: int, default_queue: str) -> HistoryRow:
    start_text = cells.get("interval_start", "").strip()
    if not start_text:
        raise ValueError(
            _("interval_start is empty; give an instant such as 2026-11-02T09:00+08:00.")
        )
    try:
        start = _instant(start_text)
    except ValueError:
        raise ValueError(
            _("interval_start %(value)r is not an ISO instant such as 2026-11-02T09:00+08:00.")
            % {"value": start_text}
        ) from None
    if start.second or start.microsecond:
        raise ValueError(_("interval_start must fall on a whole minute."))
    offered = _count(cells.get("offered", ""), column="offered", required=True)
    assert offered is not None  # noqa: S101  (required=True)
    answered = _count(cells.get("answered", ""), column="answered", required=False)
    abandoned = _count(cells.get("abandoned", ""), column="abandoned", required=False)
    if answered is not None and answered > offered:
        raise ValueError(
            _("answered (%(answered)s) is more than offered (%(offered)s).")
            % {"answered": answered, "offered": offered}
        )
    if abandoned is not None and abandoned > offered:
        raise ValueError(
            _("abandoned (%(abandoned)s) is more than offered (%(offered)s).")
            % {"abandoned": abandoned, "offered": offered}
        )
    aht_text = cells.get("aht", "").strip()
    aht: float | None = None
    if aht_text:
        try:
            aht = float(aht_text)
        except ValueError:
            raise ValueError(
                _("aht %(value)r is not a number of seconds.") % {"value": aht_text}
            ) from None
        if not aht > 0 or aht > 86_400:
            raise ValueError(
                _("aht must be more than 0 seconds and at most a day, not %(value)s.")
                % {"value": aht_text}
            )
    queue = (cells.get("queue") or "").strip() or default_queue
    if len(queue) > 100:
        raise ValueError(_("The queue name is longer than 100 characters."))
    return HistoryRow(
        line=line,
        queue=queue,
        interval_start=start,
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        aht_seconds=aht,
    )


def parse_history(text: str, *, default_queue: str = "default") -> ParsedHistory:
    """Every good row and every rejected line of a history file.

    A missing required column rejects the whole file at line 1. The same queue
    and interval twice keeps the first and rejects the later line.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return ParsedHistory(
            [],
            [
                Rejected(
                    1,
                    _("The header must name the columns %(columns)s; missing: %(missing)s.")
                    % {"columns": ",".join(COLUMNS), "missing": ", ".join(missing)},
                )
            ],
        )
    reader.fieldnames = header
    rows: list[HistoryRow] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, datetime], int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) + len(rejected) >= MAX_ROWS:
            rejected.append(
                Rejected(line, _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
            )
            break
        cells = {key: (value or "") for key, value in record.items() if isinstance(key, str)}
        if not any(value.strip() for value in cells.values()):
            continue
        try:
            row = _check_row(cells, line=line, default_queue=default_queue)
        except ValueError as exc:
            rejected.append(Rejected(line, str(exc)))
            continue
        key = (row.queue, row.interval_start)
        if key in seen:
            rejected.append(
                Rejected(
                    line,
                    _("The same queue and interval is already on line %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    return ParsedHistory(rows, rejected)


def write_rows(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV text with a header; UTF-8 is added by the caller (exports carry a byte-order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        # Names are typed by people: defuse formulas (computed figures stay numbers).
        writer.writerow(csv_safe.guard_row(row, keep_numbers=True))
    return buffer.getvalue()
