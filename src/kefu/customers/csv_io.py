"""The customers CSV file: reading and checking every row, and writing an export.

One row per contact, with its organisation's name and tier repeated; an
organisation without contacts has a row with empty contact cells. Reading
never touches the database: it returns every row it could read and every
problem it found, with the line number a spreadsheet shows.

Files are written as UTF-8 with a byte-order mark, which Excel needs to show
Chinese. Files are read as UTF-8 (with or without the mark) or, failing that,
GB18030, the superset of the GBK that Excel in China saves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import csv_safe
from kefu.customers import validation
from kefu.customers.errors import CustomerInvalidError, LineError
from kefu.customers.masking import is_masked

COLUMNS = (
    "organisation",
    "tier",
    "contact_name",
    "title",
    "phone",
    "email",
    "im_handle",
    "language",
    "preferred_channels",
    "quiet_hours",
)
CONTACT_COLUMNS = COLUMNS[2:]
CHANNEL_SEPARATOR = "|"
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
# No column needs more (the longest, an e-mail address, takes 254); Python's reader
# itself stops at 131,072 characters.
MAX_CELL_CHARS = 1_000
# A cell starting like a formula is prefixed with an apostrophe on export (the
# OWASP advice, kefu.core.csv_safe) and imports take the apostrophe off.


@dataclass(frozen=True)
class ImportRow:
    """One checked row. Empty text means "leave as it is" when the record exists."""

    line: int
    organisation: str
    tier: str
    contact_name: str
    title: str
    phone: str
    phone_is_masked: bool
    email: str
    im_handle: str
    language: str
    preferred_channels: tuple[str, ...] | None
    quiet_hours: tuple[time, time] | None

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name)


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ImportRow]
    errors: list[LineError]


class UndecodableFileError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class MixedEncodingError(UndecodableFileError):
    """Some lines are UTF-8 and others GBK: ``line`` is the first that differs from
    ``first_line``, the first line with Chinese text, whose encoding is ``first_encoding``."""

    def __init__(self, line: int, *, first_line: int, first_encoding: str) -> None:
        super().__init__(line)
        self.first_line = first_line
        self.first_encoding = first_encoding


def _line_encoding(line: bytes) -> str | None:
    """None for a plain ASCII line, else ``UTF-8`` when it reads as UTF-8, else ``GBK``."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return "GBK"
    return "UTF-8"


def _check_one_encoding(data: bytes) -> None:
    """Raise ``MixedEncodingError`` when UTF-8 and GBK lines are mixed in ``data``.

    A file saved partly by one program and partly by another would otherwise be
    read whole as GB18030 (which accepts almost any bytes) and stored as mojibake.
    """
    first: tuple[int, str] | None = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        encoding = _line_encoding(line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line)
        if encoding is None:
            continue
        if first is None:
            first = (number, encoding)
        elif encoding != first[1]:
            raise MixedEncodingError(number, first_line=first[0], first_encoding=first[1])


def decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (a BOM is dropped) or else GB18030.

    Raises ``MixedEncodingError`` when some lines are UTF-8 and others GBK, and
    ``UndecodableFileError`` with the line of the first byte neither reads.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        _check_one_encoding(data)
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UndecodableFileError(data[: utf8_error.start].count(b"\n") + 1) from None


def _header_errors(header: Sequence[str]) -> list[LineError]:
    names = [csv_safe.unguard(name).lower() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if not (missing or unknown or repeated):
        return []
    reason = _("The first line must name the columns %(columns)s.") % {
        "columns": ", ".join(COLUMNS)
    }
    details = []
    if missing:
        details.append(_("Missing: %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        details.append(_("Unknown: %(names)s.") % {"names": ", ".join(unknown)})
    if repeated:
        details.append(_("Repeated: %(names)s.") % {"names": ", ".join(repeated)})
    return [LineError(1, " ".join([reason, *details]))]


class _RowReader:
    """Checks one row's cells, collecting every problem instead of stopping at the first."""

    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.errors: list[LineError] = []

    def fail(self, reason: str) -> None:
        self.errors.append(LineError(self.line, reason))

    def text(self, column: str, *, max_length: int = 100) -> str:
        value = self.cells[column]
        if len(value) > max_length:
            self.fail(
                _("%(column)s is longer than %(max)s characters.")
                % {"column": column, "max": max_length}
            )
        return value

    def checked(self, column: str, clean: Callable[[str], str]) -> str:
        value = self.cells[column]
        if not value:
            return ""
        try:
            return clean(value)
        except CustomerInvalidError as exc:
            self.fail(exc.text())
            return ""

    def phone(self) -> tuple[str, bool]:
        value = self.cells["phone"]
        if is_masked(value):
            return value, True
        return self.checked("phone", validation.clean_phone), False

    def email(self) -> str:
        """The checked address; a masked one (an export for staff who may not reveal
        addresses) reads as empty, so it leaves the stored address as it is."""
        if is_masked(self.cells["email"]):
            return ""
        return self.checked("email", validation.clean_email)

    def channels(self) -> tuple[str, ...] | None:
        value = self.cells["preferred_channels"]
        if not value:
            return None
        parts = [part for part in value.split(CHANNEL_SEPARATOR) if part.strip()]
        try:
            return tuple(validation.clean_channels(parts))
        except CustomerInvalidError as exc:
            self.fail(exc.text())
            return None

    def quiet_hours(self) -> tuple[time, time] | None:
        try:
            start, end = validation.parse_quiet_hours(self.cells["quiet_hours"])
        except CustomerInvalidError as exc:
            self.fail(exc.text())
            return None
        return None if start is None or end is None else (start, end)

    def row(self) -> ImportRow:
        organisation = self.text("organisation", max_length=200)
        contact_name = self.text("contact_name")
        has_contact_cells = any(self.cells[column] for column in CONTACT_COLUMNS)
        if not contact_name and (has_contact_cells or not organisation):
            self.fail(_("The contact's name is missing."))
        phone, phone_is_masked = self.phone()
        return ImportRow(
            line=self.line,
            organisation=organisation,
            tier=self.checked("tier", validation.clean_tier),
            contact_name=contact_name,
            title=self.text("title"),
            phone=phone,
            phone_is_masked=phone_is_masked,
            email=self.email(),
            im_handle=self.text("im_handle"),
            language=self.checked("language", validation.clean_language),
            preferred_channels=self.channels(),
            quiet_hours=self.quiet_hours(),
        )


def _duplicate_keys(row: ImportRow) -> list[tuple[str, str, str]]:
    if not row.has_contact:
        return [(row.organisation, "organisation", "")]
    keys = []
    if row.email:
        keys.append((row.organisation, "email", row.email))
    if row.phone:
        keys.append((row.organisation, "phone", row.phone))
    if not keys:
        keys.append((row.organisation, "name", row.contact_name))
    return keys


def _cross_row_errors(rows: list[ImportRow]) -> list[LineError]:
    """Rows repeating a contact (same email or phone, or same name without either), or
    disagreeing on an organisation's tier."""
    errors: list[LineError] = []
    seen: dict[tuple[str, str, str], int] = {}
    tiers: dict[str, tuple[str, int]] = {}
    for row in rows:
        for key in _duplicate_keys(row):
            if key in seen:
                errors.append(
                    LineError(row.line, _("Duplicate of line %(line)s.") % {"line": seen[key]})
                )
                break
            seen[key] = row.line
        if row.organisation and row.tier:
            tier, line = tiers.setdefault(row.organisation, (row.tier, row.line))
            if tier != row.tier:
                errors.append(
                    LineError(
                        row.line,
                        _("The tier differs from line %(line)s for the same organisation.")
                        % {"line": line},
                    )
                )
    return errors


def _unreadable(line: int) -> LineError:
    return LineError(
        line,
        _("A cell is longer than %(max)s characters; the file cannot be read from here.")
        % {"max": MAX_CELL_CHARS},
    )


def _cell_error(line: int, cells: Sequence[str]) -> LineError | None:
    """A row no column can store: a cell past ``MAX_CELL_CHARS`` or holding NUL."""
    if any("\x00" in cell for cell in cells):
        return LineError(line, _("The line contains a NUL character; remove it."))
    if any(len(cell) > MAX_CELL_CHARS for cell in cells):
        return LineError(
            line,
            _("A cell is longer than %(max)s characters.") % {"max": MAX_CELL_CHARS},
        )
    return None


def parse(text: str) -> ParsedFile:
    """Read and check every row of ``text``; empty lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return ParsedFile([], [LineError(1, _("The file is empty."))])
    except csv.Error:
        return ParsedFile([], [_unreadable(1)])
    header_error = _cell_error(1, header)
    if header_error is not None:
        return ParsedFile([], [header_error])
    errors = _header_errors(header)
    if errors:
        return ParsedFile([], errors)
    columns = [csv_safe.unguard(name).lower() for name in header]
    rows: list[ImportRow] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a cell past Python's 131,072 characters: nothing more to read
            errors.append(_unreadable(line))
            break
        # A quoted cell may span lines: a row starts where the previous one ended.
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        cell_error = _cell_error(start, cells)
        if cell_error is not None:
            errors.append(cell_error)
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(
                LineError(start, _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
            )
            break
        if len(cells) != len(columns):
            errors.append(
                LineError(
                    start,
                    _("Expected %(expected)s cells, found %(found)s.")
                    % {"expected": len(columns), "found": len(cells)},
                )
            )
            continue
        row_reader = _RowReader(
            start, dict(zip(columns, map(csv_safe.unguard, cells), strict=True))
        )
        row = row_reader.row()
        errors.extend(row_reader.errors)
        if not row_reader.errors:
            rows.append(row)
    errors.extend(_cross_row_errors(rows))
    errors.sort(key=lambda error: error.line)
    return ParsedFile(rows, errors)


def render(rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file of ``COLUMNS`` and ``rows``, UTF-8 with a BOM, formulas defused."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(csv_safe.guard_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def format_channels(channels: Iterable[str]) -> str:
    return CHANNEL_SEPARATOR.join(channels)


def export_filename(at: datetime) -> str:
    """``customers-20261123-1149.csv`` in local time."""
    return f"customers-{timezone.localtime(at):%Y%m%d-%H%M}.csv"
