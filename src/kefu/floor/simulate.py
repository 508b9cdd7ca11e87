"""Generated queue calls for a simulated day (the demo and the busy-day test). Pure.

Arrivals are a Poisson process per interval around a given volume; each call
is answered after a wait that grows when the interval runs hot, or abandoned
after the caller's patience runs out. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SimulatedCall:
    arrived_at: datetime
    answered_at: datetime | None
    abandoned_at: datetime | None
    handle_seconds: int


def simulate_calls(
    *,
    volumes: Sequence[tuple[datetime, float]],
    interval: timedelta,
    aht_seconds: float,
    hot_from: float = 1.1,
    seed: int = 5,
) -> list[SimulatedCall]:
    """Calls for each ``(interval start, expected calls)``; volumes above ``hot_from`` times
    the first interval's make callers wait longer and abandon more."""
    rng = random.Random(seed)  # noqa: S311  (simulation, not security)
    base = max(1.0, volumes[0][1]) if volumes else 1.0
    calls: list[SimulatedCall] = []
    seconds = interval.total_seconds()
    for start, expected in volumes:
        count = max(0, round(rng.gauss(expected, expected**0.5 / 2)))
        pressure = expected / base
        for _n in range(count):
            arrived = start + timedelta(seconds=rng.uniform(0, seconds))
            wait = rng.expovariate(1 / (8 if pressure < hot_from else 8 * pressure**2))
            patience = rng.expovariate(1 / 90)
            handle = max(30, round(rng.gauss(aht_seconds, aht_seconds / 5)))
            if wait > patience:
                calls.append(SimulatedCall(arrived, None, arrived + timedelta(seconds=patience), 0))
            else:
                calls.append(
                    SimulatedCall(arrived, arrived + timedelta(seconds=wait), None, handle)
                )
    return calls
