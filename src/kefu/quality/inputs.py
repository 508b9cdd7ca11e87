"""Reading survey and count files (CSV), pure: every bad line is reported, none skipped.

No Django here. Each reader returns the parsed rows and a list of
``LineError``; callers print nothing but the errors when there is any, so a
partial result is never shown as if whole. Line numbers count the header as
line 1.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from kefu.core.csv_safe import unguard
from kefu.quality.kano import KanoAnswer, parse_answer
from kefu.quality.servqual import ITEMS, SCALE, Dimension, Rating


class Problem(StrEnum):
    MISSING_COLUMNS = "missing_columns"
    NO_ROWS = "no_rows"
    EMPTY_VALUE = "empty_value"
    BAD_ANSWER = "bad_answer"
    UNKNOWN_ITEM = "unknown_item"
    BAD_SCORE = "bad_score"
    BAD_NUMBER = "bad_number"
    UNKNOWN_DIMENSION = "unknown_dimension"
    DUPLICATE = "duplicate"
    POINTS_NOT_100 = "points_not_100"
    NO_WEIGHTS = "no_weights"


@dataclass(frozen=True)
class LineError:
    """What is wrong on ``line``: the problem, the column and the value read."""

    line: int
    problem: Problem
    column: str = ""
    value: str = ""


T = TypeVar("T")


@dataclass
class Parsed(Generic[T]):
    rows: list[T] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _records(
    text: str, columns: Sequence[str], errors: list[LineError]
) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        errors.append(LineError(1, Problem.MISSING_COLUMNS, ", ".join(missing)))
        return []
    reader.fieldnames = header
    records = []
    for row in reader:
        # A cell an export guarded against formulas ("'=x") reads back as it was typed.
        values = {c: unguard(row.get(c) or "") for c in columns}
        if not any(values.values()):
            continue
        records.append((reader.line_num, values))
        errors.extend(
            LineError(reader.line_num, Problem.EMPTY_VALUE, column)
            for column in columns
            if not values[column]
        )
    if not records and not errors:
        errors.append(LineError(1, Problem.NO_ROWS))
    return records


def read_kano(text: str) -> Parsed[KanoAnswer]:
    """``respondent,feature,functional,dysfunctional``; one answer pair per respondent
    and feature."""
    result: Parsed[KanoAnswer] = Parsed()
    seen: set[tuple[str, str]] = set()
    columns = ("respondent", "feature", "functional", "dysfunctional")
    for line, row in _records(text, columns, result.errors):
        functional = parse_answer(row["functional"])
        dysfunctional = parse_answer(row["dysfunctional"])
        for column, answer in (("functional", functional), ("dysfunctional", dysfunctional)):
            if answer is None and row[column]:
                result.errors.append(LineError(line, Problem.BAD_ANSWER, column, row[column]))
        key = (row["respondent"], row["feature"])
        if key in seen:
            result.errors.append(LineError(line, Problem.DUPLICATE, "feature", row["feature"]))
        seen.add(key)
        if functional and dysfunctional and all(row.values()):
            result.rows.append(KanoAnswer(*key, functional, dysfunctional))
    return result


def _integer(text: str, allowed: range) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value in allowed else None


def read_servqual(text: str) -> Parsed[Rating]:
    """``respondent,item,expectation,perception``: items 1-22, scores 1-7."""
    result: Parsed[Rating] = Parsed()
    seen: set[tuple[str, int]] = set()
    columns = ("respondent", "item", "expectation", "perception")
    for line, row in _records(text, columns, result.errors):
        item = _integer(row["item"], ITEMS)
        if item is None and row["item"]:
            result.errors.append(LineError(line, Problem.UNKNOWN_ITEM, "item", row["item"]))
        scores = {}
        for column in ("expectation", "perception"):
            scores[column] = _integer(row[column], SCALE)
            if scores[column] is None and row[column]:
                result.errors.append(LineError(line, Problem.BAD_SCORE, column, row[column]))
        if item is not None:
            if (row["respondent"], item) in seen:
                result.errors.append(LineError(line, Problem.DUPLICATE, "item", row["item"]))
            seen.add((row["respondent"], item))
        expectation, perception = scores["expectation"], scores["perception"]
        if item is not None and expectation is not None and perception is not None:
            result.rows.append(Rating(row["respondent"], item, expectation, perception))
    return result


def read_weights(
    text: str, respondents: Sequence[str] = ()
) -> Parsed[tuple[str, Dimension, float]]:
    """``respondent,dimension,points``: each respondent's points sum to 100; every
    respondent in ``respondents`` must have weights."""
    result: Parsed[tuple[str, Dimension, float]] = Parsed()
    totals: dict[str, float] = {}
    last_line: dict[str, int] = {}
    seen: set[tuple[str, Dimension]] = set()
    for line, row in _records(text, ("respondent", "dimension", "points"), result.errors):
        try:
            dimension: Dimension | None = Dimension(row["dimension"].lower())
        except ValueError:
            dimension = None
            if row["dimension"]:
                result.errors.append(
                    LineError(line, Problem.UNKNOWN_DIMENSION, "dimension", row["dimension"])
                )
        points = _number(row["points"])
        if points is None and row["points"]:
            result.errors.append(LineError(line, Problem.BAD_NUMBER, "points", row["points"]))
        respondent = row["respondent"]
        if dimension is not None and (respondent, dimension) in seen:
            result.errors.append(LineError(line, Problem.DUPLICATE, "dimension", row["dimension"]))
        if dimension is not None and points is not None and respondent:
            seen.add((respondent, dimension))
            totals[respondent] = totals.get(respondent, 0.0) + points
            last_line[respondent] = line
            result.rows.append((respondent, dimension, points))
    for respondent, total in totals.items():
        if not math.isclose(total, 100.0, abs_tol=1e-6):
            result.errors.append(
                LineError(last_line[respondent], Problem.POINTS_NOT_100, "points", f"{total:g}")
            )
    if not result.errors:
        for respondent in dict.fromkeys(respondents):
            if respondent not in totals:
                result.errors.append(LineError(0, Problem.NO_WEIGHTS, "respondent", respondent))
    return result


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_counts(text: str) -> Parsed[tuple[str, int]]:
    """``period,count``: counts are whole numbers ≥ 0, in period order as given."""
    result: Parsed[tuple[str, int]] = Parsed()
    for line, row in _records(text, ("period", "count"), result.errors):
        count = _integer(row["count"], range(10**12))
        if count is None and row["count"]:
            result.errors.append(LineError(line, Problem.BAD_NUMBER, "count", row["count"]))
        if count is not None and row["period"]:
            result.rows.append((row["period"], count))
    return result
