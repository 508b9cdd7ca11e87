"""Pareto analysis, pure: causes sorted by count, cumulative shares, the vital few.

No Django here. The vital few are the smallest prefix of the sorted causes
whose cumulative share reaches 80 % (ties in count are ordered by label, so
the result is the same on every run).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

VITAL_SHARE = 0.8


@dataclass(frozen=True)
class ParetoRow:
    label: str
    count: int
    share: float
    cumulative: float
    is_vital: bool


def pareto(counts: Mapping[str, int], *, threshold: float = VITAL_SHARE) -> list[ParetoRow]:
    """Rows sorted by count (descending), with shares and the vital-few flag.

    Causes with a count of 0 are left out; an empty input gives no rows.
    """
    items = sorted(((k, v) for k, v in counts.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    total = sum(v for _k, v in items)
    rows: list[ParetoRow] = []
    running = 0
    reached = False
    for label, count in items:
        running += count
        cumulative = running / total
        rows.append(ParetoRow(label, count, count / total, cumulative, is_vital=not reached))
        # A tiny tolerance so 0.8 reached by float arithmetic counts as reached.
        reached = reached or cumulative >= threshold - 1e-12
    return rows
