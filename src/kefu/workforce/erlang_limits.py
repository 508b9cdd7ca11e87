"""Size limits of the staffing maths: what one call may ask, so every call ends in seconds.

Pure Python, no Django (kefu.workforce.erlang re-exports what callers need).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# What one request may ask, so that every call finishes in about a
# second (the Erlang B recurrence is linear in the agents, and the Erlang A tail in
# contacts per second x patience). Measured on one core of the 2-core sandbox: 20,000
# Erlangs take 1 ms in Erlang C; Erlang A at 100,000 queued-patience contacts 0.3-0.7 s.
#: Offered traffic (contacts x AHT / interval) of one interval, in Erlangs.
MAX_TRAFFIC = 20_000.0
#: Agents :func:`evaluate` may be asked about (2^31 - 1 took 141 s).
MAX_EVALUATE_AGENTS = 100_000
#: Erlang A search: contacts per second x mean patience (at 1,000,000: 3-9 s a search;
#: one evaluation is capped by the tail limit of kefu.workforce.erlang_a, about 1 s).
MAX_PATIENCE_LOAD = 100_000.0
#: :func:`required_per_interval`: estimated seconds of computing for all its rows.
MAX_WORK_SECONDS = 10.0


class ErlangInputError(ValueError):
    """An input the maths cannot use; ``code`` and ``params`` say which and why."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


def check_size(
    *, calls: float, interval_s: float, aht_s: float, patience_s: float | None, row: int = 0
) -> None:
    """Refuse what cannot be computed in about a second (the limits above)."""
    where = {"row": row} if row else {}
    traffic = calls * aht_s / interval_s
    if traffic > MAX_TRAFFIC:
        raise ErlangInputError(
            "traffic_too_large", traffic=round(traffic), max_traffic=round(MAX_TRAFFIC), **where
        )
    if patience_s is not None and calls / interval_s * patience_s > MAX_PATIENCE_LOAD:
        raise ErlangInputError(
            "patience_load_too_large",
            load=round(calls / interval_s * patience_s),
            max_load=round(MAX_PATIENCE_LOAD),
            **where,
        )


def work_seconds(
    rows: Sequence[tuple[float, float]], *, interval_s: float, patience_s: float | None
) -> float:
    """Estimated seconds of computing for :func:`required_per_interval` over ``rows``.

    Calibrated on one core of the sandbox, with room to spare: Erlang C costs about
    0.1 us per Erlang, Erlang A about 3 us per contact in (contacts/s x patience)
    and 20 us per Erlang. Identical rows count once, as they are computed once.
    """
    total = 0.0
    for calls, aht_s in set(rows):
        traffic = calls * aht_s / interval_s
        if patience_s is None:
            total += 2e-5 + 1e-7 * traffic
        else:
            total += 1e-4 + 2e-5 * traffic + 3e-6 * calls / interval_s * patience_s
    return total
