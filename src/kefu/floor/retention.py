"""Pure core: tenure, attrition and retention figures for the people page. No Django.

Few agents stay past two years, and those moved to a new role mostly stay
(DOMAIN.md §3): the page shows both, so the effect of giving people a new
role can be watched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

TWO_YEARS = timedelta(days=730)
YEAR = timedelta(days=365)
# The two-year list: people this far into their tenure with no move or promotion yet.
CLIFF_FROM_MONTHS = 18
CLIFF_TO_MONTHS = 24


class TenureBand(StrEnum):
    UNDER_3_MONTHS = "under_3_months"
    MONTHS_3_TO_6 = "3_to_6_months"
    MONTHS_6_TO_12 = "6_to_12_months"
    YEARS_1_TO_2 = "1_to_2_years"
    OVER_2_YEARS = "over_2_years"


_BAND_LIMITS = (
    (timedelta(days=91), TenureBand.UNDER_3_MONTHS),
    (timedelta(days=182), TenureBand.MONTHS_3_TO_6),
    (YEAR, TenureBand.MONTHS_6_TO_12),
    (TWO_YEARS, TenureBand.YEARS_1_TO_2),
)


@dataclass(frozen=True)
class Tenure:
    hired_on: date
    left_on: date | None
    changed_role: bool

    def length(self, today: date) -> timedelta:
        return (self.left_on or today) - self.hired_on

    def employed_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class Retention:
    headcount: int
    bands: tuple[tuple[TenureBand, int], ...]
    two_year_cohort: int
    two_year_stayed: int
    leavers_12_months: int
    attrition_12_months: float | None
    role_changers: int
    role_changers_retained: float | None
    others: int
    others_retained: float | None

    @property
    def past_two_years_share(self) -> float | None:
        """Of those hired at least two years ago, the share who stayed two years."""
        return self.two_year_stayed / self.two_year_cohort if self.two_year_cohort else None


def band_of(length: timedelta) -> TenureBand:
    for limit, band in _BAND_LIMITS:
        if length < limit:
            return band
    return TenureBand.OVER_2_YEARS


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def retention_summary(people: Sequence[Tenure], *, today: date) -> Retention:
    """Tenure bands of current staff, two-year survival, twelve-month attrition
    (leavers over the average of headcount now and a year ago) and the share
    still employed among those who changed role against those who did not."""
    current = [p for p in people if p.employed_on(today)]
    counts = dict.fromkeys(TenureBand, 0)
    for person in current:
        counts[band_of(person.length(today))] += 1
    cohort = [p for p in people if p.hired_on <= today - TWO_YEARS]
    stayed = sum(1 for p in cohort if p.length(today) >= TWO_YEARS)
    year_ago = today - YEAR
    leavers = sum(1 for p in people if p.left_on is not None and year_ago < p.left_on <= today)
    headcount_then = sum(1 for p in people if p.employed_on(year_ago))
    average = (len(current) + headcount_then) / 2
    changers = [p for p in people if p.changed_role]
    others = [p for p in people if not p.changed_role]
    return Retention(
        headcount=len(current),
        bands=tuple(counts.items()),
        two_year_cohort=len(cohort),
        two_year_stayed=stayed,
        leavers_12_months=leavers,
        attrition_12_months=leavers / average if average else None,
        role_changers=len(changers),
        role_changers_retained=_share(sum(p.employed_on(today) for p in changers), len(changers)),
        others=len(others),
        others_retained=_share(sum(p.employed_on(today) for p in others), len(others)),
    )


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def near_two_years(hired_on: date, *, today: date, moved: bool, left: bool) -> bool:
    """Whether someone belongs on the two-year list: still here, between 18 and 24
    months of service, never moved to a new role or promoted. Those moved mostly stay;
    those left where they are mostly go at two years (seed 002)."""
    if moved or left:
        return False
    return CLIFF_FROM_MONTHS <= months_between(hired_on, today) < CLIFF_TO_MONTHS
