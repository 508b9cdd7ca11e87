"""CSV cells a spreadsheet will not run: formula injection defused in every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel and LibreOffice (``=HYPERLINK(...)``, ``@SUM(...)``,
``-2+3``). The OWASP advice is to prefix such text with an apostrophe, which
the spreadsheet shows as text and hides; imports take it off again
(``unguard``). Every CSV export goes through ``guard``/``guard_row``. Pure: no
Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "-12.5" or "+3" is a number to a spreadsheet, never a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


def guard(cell: object, *, keep_numbers: bool = False) -> object:
    """``cell`` as it may be written: text starting like a formula gets a leading ``'``.

    Values that are not text (numbers, dates) are returned as they are. With
    ``keep_numbers``, text that is a plain decimal number (``"-20.00"``) is
    kept too, so computed figures stay numbers; user-typed text (phones,
    names) should be guarded without it.
    """
    if not isinstance(cell, str):
        return cell
    if keep_numbers and _PLAIN_NUMBER.match(cell):
        return cell
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def guard_row(row: Iterable[object], *, keep_numbers: bool = False) -> list[object]:
    """Every cell of ``row`` through ``guard``."""
    return [guard(cell, keep_numbers=keep_numbers) for cell in row]


def unguard(cell: str) -> str:
    """The stripped text of an imported cell, without the ``'`` an export put in front."""
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
