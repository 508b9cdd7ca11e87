"""Erlang A (M/M/n+M: callers who hang up after an exponential patience), pure Python.

The queue's state probabilities are summed in relative terms from π_n, with an
incomplete-beta recurrence for "answered within t", rescaled when the tail grows
past floating point; see kefu.workforce.erlang for the public API and docs/workforce.md
for the definitions.
"""

from __future__ import annotations

import math

_TAIL_LIMIT = 2_000_000


def erlang_a_measures(
    *, lam: float, aht_s: float, patience_s: float, n: int, b: float, answer_time_s: float
) -> tuple[float, float, float, float, float]:
    """(service_level, asa, p_wait, occupancy, abandon) for M/M/n+M; ``b`` is B(n, λ/μ)."""
    mu = 1.0 / aht_s
    theta = 1.0 / patience_s
    c = n * mu
    u = -math.expm1(-theta * answer_time_s)  # U = 1 - e^{-θt}
    x1 = c / theta + 1.0  # b-parameter of the incomplete beta
    log_1mu = math.log1p(-u) if u < 1.0 else -math.inf
    # Incomplete beta I_U(m+1, x1) by upward recurrence: I(1) = 1 - (1-U)^x1.
    pow_1mu = math.exp(x1 * log_1mu) if log_1mu > -math.inf else 0.0
    incomplete = 1.0 - pow_1mu
    term = x1 * u * pow_1mu  # T_1 = Γ(1+x1)/(Γ(2)Γ(x1)) U (1-U)^x1
    # Tail sums relative to π_n (weight 1 for m = 0).
    weight = 1.0
    tail_total = 0.0
    answered_within = 0.0
    answered = 0.0
    answered_wait = 0.0
    harmonic = 0.0
    scale_log = 0.0
    m = 0
    while True:
        served = c / (c + (m + 1) * theta)
        harmonic += 1.0 / (c + (m + 1) * theta)
        tail_total += weight
        answered += weight * served
        answered_wait += weight * served * harmonic
        answered_within += weight * served * max(incomplete, 0.0)
        # next m: I(m+2) = I(m+1) - T_{m+1}; T_{a+1} = T_a (a + x1) / (a + 1) U
        a = m + 1
        incomplete -= term
        term *= (a + x1) / (a + 1) * u
        weight *= lam / (c + (m + 1) * theta)
        m += 1
        if weight > 1e250:  # rescale to keep the tail finite
            scale = 1e-250
            weight *= scale
            tail_total *= scale
            answered *= scale
            answered_wait *= scale
            answered_within *= scale
            scale_log += math.log(1e250)
        if (weight < 1e-17 * tail_total and lam < c + m * theta) or m > _TAIL_LIMIT:
            break
    # π_n relative to the states 0..n is B; combine in log space when the tail was rescaled.
    if scale_log == 0.0:
        p_le = 1.0 / (1.0 + b * (tail_total - 1.0))  # mass of states 0..n
        pi_n = b * p_le
        p_wait = pi_n * tail_total
        p_answered_q = pi_n * answered
        p_within_q = pi_n * answered_within
        wait_q = pi_n * answered_wait
    else:
        log_pi_tail = math.log(b) + scale_log if b > 0 else -math.inf
        # tail dominates: π_n ≈ B / (B·tail) in scaled units
        denom = math.exp(-log_pi_tail) if log_pi_tail < 700 else 0.0
        norm = 1.0 / (tail_total + denom)
        p_wait = tail_total * norm
        p_answered_q = answered * norm
        p_within_q = answered_within * norm
        wait_q = answered_wait * norm
    p_nowait = 1.0 - p_wait
    abandon = max(0.0, p_wait - p_answered_q)
    sl = min(1.0, p_nowait + p_within_q)
    total_answered = p_nowait + p_answered_q
    asa = wait_q / total_answered if total_answered > 0 else math.inf
    occupancy = min(1.0, lam * (1.0 - abandon) * aht_s / n) if n else 1.0
    return max(0.0, sl), asa, min(1.0, max(0.0, p_wait)), occupancy, abandon
