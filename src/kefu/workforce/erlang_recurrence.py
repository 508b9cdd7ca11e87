"""The Erlang B recurrence and the searches built on it, for kefu.workforce.erlang.

Pure Python, no Django (kefu.workforce.erlang re-exports what callers need).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kefu.workforce.erlang_limits import ErlangInputError

#: The search gives up above this many agents (a target no staffing can meet).
MAX_AGENTS = 1_000_000

HUGE = 1e300
FLOATS = [float(k) for k in range(20_001)]


def _reciprocal(traffic: float, agents: int) -> float:
    """1/B for ``0 < traffic`` and ``agents < len(FLOATS)``: 1/B(n) = 1 + n/A · 1/B(n-1),
    one multiply-add a step (the hot loop of the planner); ``HUGE`` or more overflows."""
    inv_a = 1.0 / traffic
    r = 1.0
    for k in FLOATS[1 : agents + 1]:
        r = 1.0 + r * k * inv_a
    return r


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of ``agents`` servers offered ``traffic`` Erlangs."""
    if traffic < 0 or not math.isfinite(traffic):
        raise ErlangInputError("traffic_negative", traffic=traffic)
    if agents < 0:
        raise ErlangInputError("agents_negative", agents=agents)
    if traffic == 0:
        return 1.0 if agents == 0 else 0.0
    if agents < len(FLOATS):
        small = _reciprocal(traffic, agents)
        if small < HUGE:
            return 1.0 / small
    b = 1.0
    for k in range(1, agents + 1):
        ab = traffic * b
        b = ab / (k + ab)
    return b


def smallest(lo: int, ok: Callable[[int], bool]) -> int:
    """Smallest ``n >= lo`` with ``ok(n)`` for a monotone ``ok``: gallop, then bisect."""
    if ok(lo):
        return lo
    bad, step = lo, 1
    while True:
        probe = bad + step
        if probe > MAX_AGENTS:
            raise ErlangInputError("target_unreachable", max_agents=MAX_AGENTS)
        if ok(probe):
            good = probe
            break
        bad, step = probe, step * 2
    while good - bad > 1:
        mid = (bad + good) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def gallop_c(
    traffic: float,
    lo: int,
    b: float,
    t_over_aht: float,
    aht_s: float,
    sl_target: float | None,
    asa_target: float | None,
) -> tuple[int, float]:
    """The smallest Erlang C staffing above ``lo`` (which fails) that meets the targets.

    For kefu.workforce.erlang's unchecked core: ``b`` is B(``lo``) and
    ``lo > traffic``. B is carried forward while the probe gallops up (1, 2, 4, ...
    above the last failure) and kept for the bisection. Returns ``(n, B(n))``.
    """
    exp = math.exp
    b_values = [b]  # b_values[i] = B(lo + i)

    def meets(i: int) -> bool:
        n = lo + i
        b = b_values[i]
        excess = n - traffic
        c = n * b / (n - traffic * (1.0 - b))
        return (sl_target is None or 1.0 - c * exp(-excess * t_over_aht) >= sl_target) and (
            asa_target is None or c * aht_s / excess <= asa_target
        )

    bad = 0  # offsets known to fail
    step = 1
    good = -1
    while good < 0:
        i = bad + step
        if lo + i > MAX_AGENTS:
            raise ErlangInputError("target_unreachable", max_agents=MAX_AGENTS)
        b = b_values[-1]
        for k in range(lo + len(b_values), lo + i + 1):
            ab = traffic * b
            b = ab / (k + ab)
            b_values.append(b)
        if meets(i):
            good = i
        else:
            bad, step = i, step * 2
    while good - bad > 1:
        i = (bad + good) // 2
        if meets(i):
            good = i
        else:
            bad = i
    return lo + good, b_values[good]


class BSeries:
    """Erlang B values carried forward by the recurrence from the lower bracket."""

    __slots__ = ("_a", "_last", "_values")

    def __init__(self, traffic: float, lo: int) -> None:
        self._a = traffic
        self._values: dict[int, float] = {lo: erlang_b(traffic, lo)}
        self._last = lo

    def at(self, n: int) -> float:
        value = self._values.get(n)
        if value is not None:
            return value
        if n < self._last:
            return erlang_b(self._a, n)
        a, b = self._a, self._values[self._last]
        for k in range(self._last + 1, n + 1):
            ab = a * b
            b = ab / (k + ab)
            self._values[k] = b
        self._last = n
        return b
