"""Early warning on Poisson counts, pure: EWMA and tabular CUSUM with a known baseline.

No Django here. Counts per period (a day or a week) of complaints are Poisson
with a known in-control mean ``mu0`` (from a baseline window), so their
variance is ``mu0`` too.

EWMA (λ = 0.2, L = 3 by default): z_0 = μ₀, z_t = λ x_t + (1 − λ) z_{t−1},
with the exact time-varying limits
σ_z,t² = μ₀ · λ / (2 − λ) · (1 − (1 − λ)^{2t}),
UCL_t = μ₀ + L σ_z,t, LCL_t = μ₀ − L σ_z,t. An upper alarm is z_t > UCL_t; a
lower signal (fewer complaints than usual) is z_t < LCL_t and is reported, not
alarmed. An EWMA is not reset after an alarm: it forgets on its own.

Tabular CUSUM (k = 0.5 √μ₀, h = 4 √μ₀ by default, i.e. half a standard
deviation and four standard deviations): C⁺_t = max(0, x_t − μ₀ − k + C⁺_{t−1}),
C⁻_t = max(0, μ₀ − k − x_t + C⁻_{t−1}), C_0 = 0. An alarm is C⁺_t > h. After
an alarm the sums restart from 0 (``reset=True``, the default), so a shift
that persists alarms again once fresh evidence builds up rather than on every
later period.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    EWMA = "ewma"
    CUSUM = "cusum"


LAMBDA = 0.2
L_WIDTH = 3.0


@dataclass(frozen=True)
class EwmaPoint:
    """Period ``t`` (1-based): the count, the statistic, its limits and signals."""

    t: int
    count: float
    z: float
    ucl: float
    lcl: float
    alarm: bool
    low: bool


@dataclass(frozen=True)
class CusumPoint:
    t: int
    count: float
    upper: float
    lower: float
    alarm: bool
    low: bool


def ewma_sigma(mu0: float, t: int, lam: float = LAMBDA) -> float:
    """σ of the EWMA statistic at period ``t`` (exact, time-varying)."""
    return math.sqrt(mu0 * lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))


def ewma(
    counts: Sequence[float], *, mu0: float, lam: float = LAMBDA, width: float = L_WIDTH
) -> list[EwmaPoint]:
    """The EWMA chart of ``counts`` against baseline ``mu0`` (> 0)."""
    if mu0 <= 0:
        raise ValueError("mu0 must be positive")
    if not 0 < lam <= 1:
        raise ValueError("lambda must be in (0, 1]")
    z = mu0
    points = []
    for t, count in enumerate(counts, start=1):
        z = lam * count + (1 - lam) * z
        spread = width * ewma_sigma(mu0, t, lam)
        ucl, lcl = mu0 + spread, mu0 - spread
        points.append(EwmaPoint(t, count, z, ucl, lcl, alarm=z > ucl, low=z < lcl))
    return points


def cusum(
    counts: Sequence[float],
    *,
    mu0: float,
    k: float | None = None,
    h: float | None = None,
    reset: bool = True,
) -> list[CusumPoint]:
    """The tabular CUSUM of ``counts``; ``k`` and ``h`` default to 0.5√μ₀ and 4√μ₀."""
    if mu0 <= 0:
        raise ValueError("mu0 must be positive")
    k = 0.5 * math.sqrt(mu0) if k is None else k
    h = 4 * math.sqrt(mu0) if h is None else h
    upper = lower = 0.0
    points = []
    for t, count in enumerate(counts, start=1):
        upper = max(0.0, count - mu0 - k + upper)
        lower = max(0.0, mu0 - k - count + lower)
        alarm, low = upper > h, lower > h
        points.append(CusumPoint(t, count, upper, lower, alarm=alarm, low=low))
        if reset and alarm:
            upper = 0.0
        if reset and low:
            lower = 0.0
    return points


def alarms(counts: Sequence[float], *, mu0: float, method: Method = Method.EWMA) -> list[int]:
    """The 1-based periods with an upper alarm."""
    if method == Method.CUSUM:
        return [p.t for p in cusum(counts, mu0=mu0) if p.alarm]
    return [p.t for p in ewma(counts, mu0=mu0) if p.alarm]
