"""``kefu erlang``, ``kefu forecast`` and ``kefu schedule``: contracts, errors, exit status."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.workforce.test_forecasting import synthetic

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[str, str]:
    """Run a command as an analyst who reads kefu in English."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_erlang_json_matches_the_issue_example() -> None:
    """100 calls in 1800 s, AHT 180 s, 80 % in 20 s: 14 agents, 0.8884, 20 at 30 % shrinkage."""
    out, _ = run(
        "erlang",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--sl",
        "0.8",
        "--answer-time",
        "20",
        "--shrinkage",
        "0.3",
        "--json",
    )
    data = json.loads(out)
    assert {"agents", "scheduled", "service_level", "asa", "p_wait", "occupancy", "abandon"} <= set(
        data
    )
    assert data["agents"] == 14
    assert data["scheduled"] == 20
    assert round(data["service_level"], 4) == 0.8884
    assert round(data["p_wait"], 4) == 0.1741  # callcentrehelper.com prints 0.1741 for 14
    assert data["abandon"] == 0.0


def test_erlang_evaluates_given_agents_and_patience() -> None:
    out, _ = run(
        "erlang", "--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "11", "--json"
    )
    assert round(json.loads(out)["p_wait"], 4) == 0.6821  # callcentrehelper.com, 11 agents
    out, _ = run(
        "erlang",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--patience",
        "60",
        "--agents",
        "12",
        "--json",
    )
    data = json.loads(out)
    assert 0 < data["abandon"] < 0.2
    assert data["service_level"] < 1
    table, _ = run("erlang", "--calls", "100", "--interval", "1800", "--aht", "180")
    assert "Agents on the phone" in table
    assert "14" in table


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--aht", "0"], "average handle time"),
        (["--aht", "180", "--sl", "1"], "service-level target"),
        (["--aht", "180", "--calls", "-5"], "cannot be negative"),
        (["--aht", "abc"], "is not a number"),
    ],
)
def test_erlang_bad_input_is_a_clear_error(args: list[str], needle: str) -> None:
    base = {"--calls": "100", "--interval": "1800"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError) as caught:
        run("erlang", *flat, "--json")
    assert needle in str(caught.value)
    assert caught.value.returncode == 2


def test_erlang_exit_status_two_without_traceback() -> None:
    done = subprocess.run(
        [
            str(ROOT / ".venv/bin/kefu"),
            "erlang",
            "--calls",
            "100",
            "--interval",
            "1800",
            "--aht",
            "0",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "KEFU_LANGUAGE": "en", "HOME": str(ROOT)},
    )
    assert done.returncode == 2
    assert ("Traceback" not in done.stderr and "handle time" in done.stderr.lower()) or (
        "处理" in done.stderr
    )


def write_history(path: Path, rows: list[tuple[datetime, float]], bad: bool = False) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["interval_start", "offered"])
        if bad:
            writer.writerow(["yesterday", "5"])
            writer.writerow(["2026-08-03T09:00:00+08:00", "-4"])
        for start, value in rows:
            writer.writerow([start.isoformat(), f"{value:.2f}"])


def test_forecast_json_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    write_history(path, synthetic(date(2026, 8, 3), date(2026, 9, 30)), bad=True)
    out, err = run(
        "forecast",
        "--history",
        str(path),
        "--start",
        "2026-10-01",
        "--days",
        "14",
        "--region",
        "cn",
        "--json",
    )
    data = json.loads(out)
    assert {"method", "backtest_wape", "intervals"} <= set(data)
    days = {datetime.fromisoformat(i["interval_start"]).date() for i in data["intervals"]}
    assert date(2026, 10, 1) not in days
    assert date(2026, 10, 10) in days
    assert "line 2" in err
    assert "line 3" in err


def test_forecast_with_nothing_usable(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("interval_start,offered\nnope,1\n")
    with pytest.raises(CommandError) as caught:
        run("forecast", "--history", str(path), "--start", "2026-10-01", "--days", "7")
    assert "No usable row" in str(caught.value)
    path.write_text("when,offered\n")
    with pytest.raises(CommandError) as caught:
        run("forecast", "--history", str(path), "--start", "2026-10-01", "--days", "7")
    assert "interval_start" in str(caught.value)


def schedule_files(tmp_path: Path, *, meal_latest: float = 5) -> list[str]:
    req = tmp_path / "req.csv"
    lines = ["interval_start,required"]
    midnight = datetime(2026, 11, 23, tzinfo=ZoneInfo("Asia/Shanghai"))
    for d in range(2):
        for s in range(96):
            need = 2 if 36 <= s < 72 else 0
            lines.append(f"{(midnight + timedelta(days=d, minutes=15 * s)).isoformat()},{need}")
    req.write_text("\n".join(lines) + "\n")
    agents = tmp_path / "agents.csv"
    agents.write_text(
        "agent,max_hours_per_week,max_days_per_week,available_from,available_to,days_off\n"
        "li,40,5,08:00,20:00,\nwang,40,5,08:00,20:00,\nzhao,16,2,09:00,18:00,2026-11-24\n"
    )
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "interval_minutes": 15,
                "shift_lengths_hours": [8],
                "breaks": [
                    {"minutes": 15, "earliest_after_hours": 1, "latest_after_hours": 2.5},
                    {"minutes": 15, "earliest_after_hours": 5.5, "latest_after_hours": 7.5},
                ],
                "meal": {
                    "minutes": 30,
                    "earliest_after_hours": 3,
                    "latest_after_hours": meal_latest,
                },
                "min_rest_hours": 11,
                "max_consecutive_days": 6,
            }
        )
    )
    return ["--requirements", str(req), "--agents", str(agents), "--rules", str(rules)]


def test_schedule_json(tmp_path: Path) -> None:
    out, err = run("schedule", *schedule_files(tmp_path), "--time-limit", "3", "--json")
    data = json.loads(out)
    assert set(data) == {"shifts", "metrics"}
    assert data["metrics"]["violations"] == []
    assert data["shifts"]
    for shift in data["shifts"]:
        assert set(shift) == {"agent", "start", "end", "activities"}
        assert sorted(a["type"] for a in shift["activities"]) == ["break", "break", "meal"]
    assert "under-coverage" in err  # progress lines while solving


def test_schedule_explains_infeasible_rules(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run("schedule", *schedule_files(tmp_path, meal_latest=9), "--json")
    assert "meal window ends after the shortest shift" in str(caught.value)
    assert caught.value.returncode == 2


def test_bench_quick_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/workforce.py"), "--quick", "--time-limit", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(done.stdout)
    assert data["erlang"]["mismatches_vs_naive"] == 0
    assert data["schedule"]["violations"] == 0
