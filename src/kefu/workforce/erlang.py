"""Staffing maths: Erlang B, C and A, and the smallest staffing that meets every target.

Pure Python on purpose (no Django, no numpy): the planner pages, the ``kefu erlang``
command and the benchmark share it.

Numerical method
----------------
No factorials anywhere. Erlang B comes from the recurrence
``B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1))``, which stays in ``[0, 1]`` for any
traffic and any agent count (thousands of agents are fine). Erlang C follows
from B: ``C = n·B / (n − A·(1 − B))``.

Erlang A (M/M/n+M, callers hang up after an exponential patience with mean
``patience_s``) uses the birth-death chain of the system: states up to ``n`` are
the Erlang B distribution, states above ``n`` a tail with ratios
``λ / (nμ + jθ)``. For a caller who arrives with ``m`` callers ahead, the time to
reach an agent is a sum of exponential stages with rates ``nμ + iθ`` (equally
spaced), so the chance of being answered within ``t`` is a regularised incomplete
beta function, computed by its recurrence in ``m``. Definitions (also in
``docs/workforce.md``):

* ``p_wait``: share of arriving contacts that find every agent busy;
* ``abandon``: share of offered contacts that hang up before an answer;
* ``service_level``: share of *all* offered contacts answered within the answer
  time (a contact that abandons counts as not answered);
* ``asa``: mean wait of the answered contacts (zero waits included);
* ``occupancy``: carried load / agents.

Searching
---------
Every measure is monotone in the agent count. :func:`required` brackets the
answer from the traffic (``n > A`` for Erlang C, ``n ≥ A / max_occupancy``),
then gallops (1, 2, 4, … agents above the bracket) and bisects. Erlang B values
are carried forward by the recurrence, so a probe costs O(1) after the first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kefu.workforce.erlang_a import erlang_a_measures as _erlang_a
from kefu.workforce.erlang_limits import (
    MAX_EVALUATE_AGENTS,
    MAX_TRAFFIC,
    MAX_WORK_SECONDS,
    ErlangInputError,
    work_seconds,
)
from kefu.workforce.erlang_limits import check_size as _check_size
from kefu.workforce.erlang_recurrence import FLOATS as _FLOATS
from kefu.workforce.erlang_recurrence import HUGE as _HUGE
from kefu.workforce.erlang_recurrence import BSeries as _BSeries
from kefu.workforce.erlang_recurrence import erlang_b
from kefu.workforce.erlang_recurrence import gallop_c as _gallop_c
from kefu.workforce.erlang_recurrence import smallest as _smallest

__all__ = [
    "ErlangInputError",
    "Staffing",
    "erlang_b",
    "erlang_c",
    "evaluate",
    "required",
    "required_per_interval",
    "work_seconds",
]

_INF = math.inf
#: Exact types the unchecked fast path accepts (bool, numpy scalars... take the checked path).
_PLAIN = frozenset({int, float})


@dataclass(frozen=True)
class Staffing:
    """One staffing figure and what it delivers."""

    agents: int
    scheduled: int
    service_level: float
    asa: float
    p_wait: float
    occupancy: float
    abandon: float
    answer_rate: float

    def to_json(self) -> dict[str, Any]:
        """Plain JSON; an infinite ASA (overloaded queue) becomes ``null``."""
        return {
            "agents": self.agents,
            "scheduled": self.scheduled,
            "service_level": self.service_level,
            "asa": self.asa if math.isfinite(self.asa) else None,
            "p_wait": self.p_wait,
            "occupancy": self.occupancy,
            "abandon": self.abandon,
            "answer_rate": self.answer_rate,
        }


# --------------------------------------------------------------------------- validation


def _finite(value: Any, name: str) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ErlangInputError("not_a_number", field=name, value=value)
    return float(value)


def _check_common(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    answer_time_s: float,
    shrinkage: float,
    patience_s: float | None,
) -> None:
    if _finite(calls, "calls") < 0:
        raise ErlangInputError("calls_negative", calls=calls)
    if _finite(interval_s, "interval_s") <= 0:
        raise ErlangInputError("interval_not_positive", interval_s=interval_s)
    if _finite(aht_s, "aht_s") <= 0:
        raise ErlangInputError("aht_not_positive", aht_s=aht_s)
    if _finite(answer_time_s, "answer_time_s") < 0:
        raise ErlangInputError("answer_time_negative", answer_time_s=answer_time_s)
    if not 0 <= _finite(shrinkage, "shrinkage") < 1:
        raise ErlangInputError("shrinkage_out_of_range", shrinkage=shrinkage)
    if patience_s is not None and _finite(patience_s, "patience_s") <= 0:
        raise ErlangInputError("patience_not_positive", patience_s=patience_s)
    _check_size(calls=calls, interval_s=interval_s, aht_s=aht_s, patience_s=None)


def _scheduled(agents: int, shrinkage: float) -> int:
    if agents == 0:
        return 0
    # Shave float noise (14 / 0.7 = 20.000000000000004) before the ceiling.
    return math.ceil(agents / (1.0 - shrinkage) - 1e-9)


# --------------------------------------------------------------------------- B and C


def _c_from_b(traffic: float, agents: int, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def erlang_c(traffic: float, agents: int) -> float:
    """Probability of waiting (M/M/n); 1.0 when the queue is overloaded (``agents <= traffic``)."""
    return _c_from_b(traffic, agents, erlang_b(traffic, agents))


def _staff_c(
    traffic: float, n: int, b: float, t_over_aht: float, aht_s: float
) -> tuple[float, float, float, float]:
    """(service_level, asa, p_wait, occupancy) for Erlang C from a known B(n)."""
    if traffic == 0:
        return 1.0, 0.0, 0.0, 0.0
    if n <= traffic:
        return 0.0, math.inf, 1.0, 1.0
    c = n * b / (n - traffic * (1.0 - b))
    excess = n - traffic
    sl = 1.0 - c * math.exp(-excess * t_over_aht)
    return max(0.0, sl), c * aht_s / excess, c, traffic / n


# --------------------------------------------------------------------------- public API


def _measure(
    *,
    traffic: float,
    lam: float,
    n: int,
    b: float,
    aht_s: float,
    answer_time_s: float,
    patience_s: float | None,
) -> tuple[float, float, float, float, float]:
    if patience_s is None or traffic == 0 or n == 0:
        sl, asa, p_wait, occ = _staff_c(traffic, n, b, answer_time_s / aht_s, aht_s)
        if n == 0 and traffic > 0 and patience_s is not None:
            return 0.0, math.inf, 1.0, 1.0, 1.0
        return sl, asa, p_wait, occ, 0.0
    return _erlang_a(
        lam=lam, aht_s=aht_s, patience_s=patience_s, n=n, b=b, answer_time_s=answer_time_s
    )


def _staffing(n: int, shrinkage: float, m: tuple[float, float, float, float, float]) -> Staffing:
    sl, asa, p_wait, occ, abandon = m
    return Staffing(
        agents=n,
        scheduled=_scheduled(n, shrinkage),
        service_level=sl,
        asa=asa,
        p_wait=p_wait,
        occupancy=occ,
        abandon=abandon,
        answer_rate=1.0 - abandon,
    )


_new_object = object.__new__
_ceil = math.ceil
_exp = math.exp
_floor = math.floor


def _staffing_c(
    n: int, shrinkage: float, sl: float, asa: float, p_wait: float, occ: float
) -> Staffing:
    """:func:`_staffing` for Erlang C (no abandonment), built without the dataclass ``__init__``.

    A frozen dataclass sets each of its eight fields through ``object.__setattr__``,
    which was a fifth of the cost of one :func:`required` call; filling the instance
    dictionary directly gives an equal object (same fields, same ``==``, still
    frozen) at a third of the cost. One item at a time is cheaper than ``update``
    with keywords (no keyword dictionary built and copied).
    """
    staffing = _new_object(Staffing)
    fields = staffing.__dict__
    fields["agents"] = n
    fields["scheduled"] = 0 if n == 0 else _ceil(n / (1.0 - shrinkage) - 1e-9)
    fields["service_level"] = sl
    fields["asa"] = asa
    fields["p_wait"] = p_wait
    fields["occupancy"] = occ
    fields["abandon"] = 0.0
    fields["answer_rate"] = 1.0
    return staffing


def evaluate(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    answer_time_s: float = 20,
    patience_s: float | None = None,
    shrinkage: float = 0.0,
) -> Staffing:
    """What ``agents`` on the phones deliver for ``calls`` offered in ``interval_s`` seconds."""
    _check_common(
        calls=calls,
        interval_s=interval_s,
        aht_s=aht_s,
        answer_time_s=answer_time_s,
        shrinkage=shrinkage,
        patience_s=patience_s,
    )
    raw: Any = agents
    if not isinstance(raw, int) or raw < 0:
        raise ErlangInputError("agents_negative", agents=agents)
    if agents > MAX_EVALUATE_AGENTS:
        raise ErlangInputError("agents_too_many", agents=agents, max_agents=MAX_EVALUATE_AGENTS)
    traffic = calls * aht_s / interval_s
    lam = calls / interval_s
    b = erlang_b(traffic, agents)
    return _staffing(
        agents,
        shrinkage,
        _measure(
            traffic=traffic,
            lam=lam,
            n=agents,
            b=b,
            aht_s=aht_s,
            answer_time_s=answer_time_s,
            patience_s=patience_s,
        ),
    )


def _check_targets(
    *,
    service_level: float | None,
    max_occupancy: float | None,
    answer_rate: float | None,
    asa_s: float | None,
) -> None:
    if service_level is not None and not 0 < _finite(service_level, "service_level") < 1:
        raise ErlangInputError("sl_out_of_range", service_level=service_level)
    if max_occupancy is not None and not 0 < _finite(max_occupancy, "max_occupancy") <= 1:
        raise ErlangInputError("occupancy_out_of_range", max_occupancy=max_occupancy)
    if answer_rate is not None and not 0 < _finite(answer_rate, "answer_rate") < 1:
        raise ErlangInputError("answer_rate_out_of_range", answer_rate=answer_rate)
    if asa_s is not None and _finite(asa_s, "asa_s") <= 0:
        raise ErlangInputError("asa_not_positive", asa_s=asa_s)


def required(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    service_level: float | None = 0.8,
    answer_time_s: float = 20,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
    answer_rate: float | None = None,
    asa_s: float | None = None,
) -> Staffing:
    """The smallest agent count that meets every target given (None = no target)."""
    if (
        patience_s is None
        and type(calls) in _PLAIN
        and type(interval_s) in _PLAIN
        and type(aht_s) in _PLAIN
        and type(answer_time_s) in _PLAIN
        and type(shrinkage) in _PLAIN
        and 0 <= calls < _INF
        and 0 < interval_s < _INF
        and 0 < aht_s < _INF
        and 0 <= answer_time_s < _INF
        and 0 <= shrinkage < 1
        and (service_level is None or (type(service_level) in _PLAIN and 0 < service_level < 1))
        and (max_occupancy is None or (type(max_occupancy) in _PLAIN and 0 < max_occupancy <= 1))
        and (answer_rate is None or (type(answer_rate) in _PLAIN and 0 < answer_rate < 1))
        and (asa_s is None or (type(asa_s) in _PLAIN and 0 < asa_s < _INF))
        and calls * aht_s / interval_s <= MAX_TRAFFIC
    ):
        # Every input is a plain, in-range number (NaN fails each comparison): the
        # checks below would all pass, so the Erlang C core runs without them.
        return _required_c(
            calls, interval_s, aht_s, service_level, answer_time_s, max_occupancy, shrinkage, asa_s
        )
    _check_common(
        calls=calls,
        interval_s=interval_s,
        aht_s=aht_s,
        answer_time_s=answer_time_s,
        shrinkage=shrinkage,
        patience_s=patience_s,
    )
    _check_targets(
        service_level=service_level,
        max_occupancy=max_occupancy,
        answer_rate=answer_rate,
        asa_s=asa_s,
    )
    # The search probes the Erlang A tail many times (one evaluation is capped).
    _check_size(calls=calls, interval_s=interval_s, aht_s=aht_s, patience_s=patience_s)
    return _required(
        calls=calls,
        interval_s=interval_s,
        aht_s=aht_s,
        service_level=service_level,
        answer_time_s=answer_time_s,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        patience_s=patience_s,
        answer_rate=answer_rate,
        asa_s=asa_s,
    )


def _required(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    service_level: float | None,
    answer_time_s: float,
    max_occupancy: float | None,
    shrinkage: float,
    patience_s: float | None,
    answer_rate: float | None,
    asa_s: float | None,
) -> Staffing:
    traffic = calls * aht_s / interval_s
    lam = calls / interval_s
    if traffic == 0:
        return _staffing(0, shrinkage, (1.0, 0.0, 0.0, 0.0, 0.0))
    if patience_s is None:
        return _required_c(
            calls, interval_s, aht_s, service_level, answer_time_s, max_occupancy, shrinkage, asa_s
        )
    lo = 1
    bs = _BSeries(traffic, lo)
    cache: dict[int, tuple[float, float, float, float, float]] = {}

    def measure(n: int) -> tuple[float, float, float, float, float]:
        found = cache.get(n)
        if found is None:
            found = _measure(
                traffic=traffic,
                lam=lam,
                n=n,
                b=bs.at(n),
                aht_s=aht_s,
                answer_time_s=answer_time_s,
                patience_s=patience_s,
            )
            cache[n] = found
        return found

    def ok(n: int) -> bool:
        sl, asa, _p, occ, abandon = measure(n)
        if service_level is not None and sl < service_level:
            return False
        if max_occupancy is not None and occ > max_occupancy + 1e-12:
            return False
        if answer_rate is not None and 1.0 - abandon < answer_rate:
            return False
        return asa_s is None or asa <= asa_s

    n = _smallest(lo, ok)
    return _staffing(n, shrinkage, measure(n))


#: Agents above the lower bracket that :func:`_required_c` tries one by one before
#: it gallops: with an occupancy cap the answer is the bracket or one or two above it.
_LINEAR_PROBES = 8
_N_FLOATS = len(_FLOATS)


def _required_c(
    calls: float,
    interval_s: float,
    aht_s: float,
    sl_target: float | None,
    answer_time_s: float,
    max_occupancy: float | None,
    shrinkage: float,
    asa_target: float | None,
) -> Staffing:
    """Erlang C core of :func:`required`, for inputs already checked.

    Inlined on purpose (this is the planner's hot loop, and the benchmark's). The
    lower bracket is ``n > A`` (and ``n >= A / cap`` under an occupancy cap); B at
    the bracket comes from the ``1/B`` recurrence (inlined), then B is carried
    forward one agent at a time: the first :data:`_LINEAR_PROBES` counts above the
    bracket are tried in turn (one probe per agent, no list of B values), past them
    :func:`~kefu.workforce.erlang_recurrence.gallop_c` gallops and bisects. Same
    operations, in the same order, as :func:`erlang_b` and :func:`_staff_c`: the
    figures are bit-identical to theirs.
    """
    traffic = calls * aht_s / interval_s
    if traffic == 0:
        return _staffing_c(0, shrinkage, 1.0, 0.0, 0.0, 0.0)
    lo = _floor(traffic) + 1
    if max_occupancy is not None:
        capped = _ceil(traffic / max_occupancy - 1e-9)
        if capped > lo:
            lo = capped
    t_over_aht = answer_time_s / aht_s
    if lo < _N_FLOATS:
        # erlang_recurrence._reciprocal: 1/B(n) = 1 + n/A * 1/B(n-1).
        inv_a = 1.0 / traffic
        r = 1.0
        for k in _FLOATS[1 : lo + 1]:
            r = 1.0 + r * k * inv_a
        b = 1.0 / r if r < _HUGE else erlang_b(traffic, lo)
    else:
        b = erlang_b(traffic, lo)
    exp = _exp
    n = lo
    last = lo + _LINEAR_PROBES
    while True:
        # _staff_c, for n > traffic (always true here).
        excess = n - traffic
        c = n * b / (n - traffic * (1.0 - b))
        sl = 1.0 - c * exp(-excess * t_over_aht)
        if (sl_target is None or sl >= sl_target) and (
            asa_target is None or c * aht_s / excess <= asa_target
        ):
            break
        if n == last:
            n, b = _gallop_c(traffic, n, b, t_over_aht, aht_s, sl_target, asa_target)
            excess = n - traffic
            c = n * b / (n - traffic * (1.0 - b))
            sl = 1.0 - c * exp(-excess * t_over_aht)
            break
        n += 1
        ab = traffic * b
        b = ab / (n + ab)
    # _staffing_c, inlined.
    staffing = _new_object(Staffing)
    fields = staffing.__dict__
    fields["agents"] = n
    fields["scheduled"] = _ceil(n / (1.0 - shrinkage) - 1e-9)
    fields["service_level"] = sl if sl > 0.0 else 0.0
    fields["asa"] = c * aht_s / excess
    fields["p_wait"] = c
    fields["occupancy"] = traffic / n
    fields["abandon"] = 0.0
    fields["answer_rate"] = 1.0
    return staffing


def required_per_interval(
    rows: Sequence[tuple[float, float]], *, interval_s: float, **targets: Any
) -> list[Staffing]:
    """:func:`required` for each ``(calls, aht_s)`` row; identical rows are computed once."""
    if _finite(interval_s, "interval_s") <= 0:
        raise ErlangInputError("interval_not_positive", interval_s=interval_s)
    known = {
        "service_level",
        "answer_time_s",
        "max_occupancy",
        "shrinkage",
        "patience_s",
        "answer_rate",
        "asa_s",
    }
    unknown = set(targets) - known
    if unknown:
        raise ErlangInputError("unknown_target", names=sorted(unknown))
    settings: dict[str, Any] = {
        "service_level": 0.8,
        "answer_time_s": 20,
        "max_occupancy": None,
        "shrinkage": 0.0,
        "patience_s": None,
        "answer_rate": None,
        "asa_s": None,
    }
    settings.update(targets)
    _check_targets(
        service_level=settings["service_level"],
        max_occupancy=settings["max_occupancy"],
        answer_rate=settings["answer_rate"],
        asa_s=settings["asa_s"],
    )
    _check_common(
        calls=0.0,
        interval_s=interval_s,
        aht_s=1.0,
        answer_time_s=settings["answer_time_s"],
        shrinkage=settings["shrinkage"],
        patience_s=settings["patience_s"],
    )
    done: dict[tuple[float, float], Staffing] = {}
    out: list[Staffing] = []
    isfinite = math.isfinite
    patience_s = settings["patience_s"]
    for index, (calls, aht_s) in enumerate(rows):
        if not (isfinite(calls) and calls >= 0):
            raise ErlangInputError("calls_negative", calls=calls, row=index + 1)
        if not (isfinite(aht_s) and aht_s > 0):
            raise ErlangInputError("aht_not_positive", aht_s=aht_s, row=index + 1)
        if patience_s is not None or calls * aht_s / interval_s > MAX_TRAFFIC:
            _check_size(
                calls=calls,
                interval_s=interval_s,
                aht_s=aht_s,
                patience_s=patience_s,
                row=index + 1,
            )
    seconds = work_seconds(rows, interval_s=interval_s, patience_s=patience_s)
    if seconds > MAX_WORK_SECONDS:
        raise ErlangInputError(
            "work_too_large",
            rows=len(rows),
            seconds=math.ceil(seconds),
            max_seconds=round(MAX_WORK_SECONDS),
        )
    sl, answer_time_s = settings["service_level"], settings["answer_time_s"]
    occupancy, shrinkage, asa_s = (
        settings["max_occupancy"],
        settings["shrinkage"],
        settings["asa_s"],
    )
    for row in rows:
        result = done.get(row)
        if result is None:
            calls, aht_s = row
            if patience_s is None:
                result = _required_c(
                    calls, interval_s, aht_s, sl, answer_time_s, occupancy, shrinkage, asa_s
                )
            else:
                result = _required(calls=calls, interval_s=interval_s, aht_s=aht_s, **settings)
            done[row] = result
        out.append(result)
    return out
