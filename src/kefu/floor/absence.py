"""Pure core: patterns of absence that suggest a supportive conversation. No Django.

A pattern only ever leads to a suggestion to the team lead to talk with the
agent and find the real cause; nothing here feeds a score or a penalty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

WINDOW_DAYS = 60
SICK_DAYS_THRESHOLD = 3
WEEKEND_ADJACENT_THRESHOLD = 2
MONDAY, FRIDAY = 0, 4
# Annual leave is planned and chosen; it says nothing about how someone is doing.
UNPLANNED_KINDS = frozenset({"sick", "personal", "other"})


class Pattern(StrEnum):
    FREQUENT_SICK = "frequent_sick"
    WEEKEND_ADJACENT = "weekend_adjacent"


@dataclass(frozen=True)
class Absence:
    kind: str
    start: date
    end: date


@dataclass(frozen=True)
class PatternFound:
    pattern: Pattern
    count: int
    window_days: int


def _days(absence: Absence, first: date, last: date) -> int:
    start, end = max(absence.start, first), min(absence.end, last)
    return max(0, (end - start).days + 1)


def absence_patterns(
    absences: Iterable[Absence],
    *,
    today: date,
    window_days: int = WINDOW_DAYS,
    sick_days_threshold: int = SICK_DAYS_THRESHOLD,
    weekend_threshold: int = WEEKEND_ADJACENT_THRESHOLD,
) -> list[PatternFound]:
    """The patterns in the ``window_days`` ending ``today``.

    - ``FREQUENT_SICK``: at least ``sick_days_threshold`` sick days in the window.
    - ``WEEKEND_ADJACENT``: at least ``weekend_threshold`` unplanned absences that
      start on a Monday or end on a Friday in the window.
    """
    first = today - timedelta(days=window_days - 1)
    items = [a for a in absences if a.end >= first and a.start <= today]
    found: list[PatternFound] = []
    sick_days = sum(_days(a, first, today) for a in items if a.kind == "sick")
    if sick_days >= sick_days_threshold:
        found.append(PatternFound(Pattern.FREQUENT_SICK, sick_days, window_days))
    next_to_weekend = sum(
        1
        for a in items
        if a.kind in UNPLANNED_KINDS and (a.start.weekday() == MONDAY or a.end.weekday() == FRIDAY)
    )
    if next_to_weekend >= weekend_threshold:
        found.append(PatternFound(Pattern.WEEKEND_ADJACENT, next_to_weekend, window_days))
    return found
