"""Pure core: which sick days are paid under the business's policy table. No Django.

Taking sick leave and being paid for it are separate questions (seed 002, case
3): leave is recorded as the agent enters it; this core only reads, for one
agent and one year, which of those days the policy pays. The first
``paid_days`` sick days of the year, in date order, are paid at ``pay_percent``;
later ones are unpaid. With no policy for the year, nothing is decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Policy:
    paid_days: int
    pay_percent: int


@dataclass(frozen=True)
class SickSpell:
    """One stretch of sick leave (first and last day, both included)."""

    key: int
    start: date
    end: date


@dataclass(frozen=True)
class SpellPay:
    key: int
    days: int  # days of the spell inside the year
    paid: int
    unpaid: int


@dataclass(frozen=True)
class YearPay:
    year: int
    has_policy: bool
    entitled: int
    pay_percent: int
    used: int
    paid: int
    unpaid: int
    spells: tuple[SpellPay, ...]

    @property
    def left(self) -> int:
        return max(0, self.entitled - self.paid)


def sick_pay(spells: Sequence[SickSpell], *, year: int, policy: Policy | None) -> YearPay:
    """Paid and unpaid sick days of ``year`` under ``policy`` (None: no row for the year,
    every day is counted but none is decided paid or unpaid)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    remaining = policy.paid_days if policy is not None else 0
    rows: list[SpellPay] = []
    for spell in sorted(spells, key=lambda s: (s.start, s.key)):
        lo, hi = max(spell.start, first), min(spell.end, last)
        days = (hi - lo).days + 1 if hi >= lo else 0
        if days <= 0:
            continue
        paid = min(days, remaining) if policy is not None else 0
        remaining -= paid
        rows.append(SpellPay(spell.key, days, paid, days - paid if policy is not None else 0))
    used = sum(r.days for r in rows)
    return YearPay(
        year=year,
        has_policy=policy is not None,
        entitled=policy.paid_days if policy is not None else 0,
        pay_percent=policy.pay_percent if policy is not None else 0,
        used=used,
        paid=sum(r.paid for r in rows),
        unpaid=sum(r.unpaid for r in rows),
        spells=tuple(rows),
    )


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
