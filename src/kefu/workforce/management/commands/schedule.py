"""``kefu schedule``: a week's shifts, breaks and meals for named agents (CP-SAT).

Inputs (documented in docs/workforce.md): ``req.csv`` ``interval_start,required``;
``agents.csv`` ``agent,max_hours_per_week,max_days_per_week,available_from,
available_to`` (optional ``days_off``: dates separated by ``;``); ``rules.json``.
Progress lines go to stderr while CP-SAT solves; ``--json`` prints
``{"shifts": [...], "metrics": {...}}``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.workforce.management.commands._common import fail, fail_many, number
from kefu.workforce.scheduling import AgentContract, Rules, ScheduleInputError, solve

AGENT_COLUMNS = (
    "agent",
    "max_hours_per_week",
    "max_days_per_week",
    "available_from",
    "available_to",
)


def _rows(path: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise fail("file_unreadable", {"file": path, "error": str(error)}) from None
    reader = csv.DictReader(io.StringIO(text))
    present = {c.strip() for c in reader.fieldnames or []}
    for column in columns:
        if column not in present:
            raise fail("missing_column", {"file": path, "column": column})
    return [
        (reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in record.items()})
        for record in reader
    ]


def read_requirements(path: str) -> list[tuple[datetime, int]]:
    problems: list[tuple[str, dict[str, Any]]] = []
    out: list[tuple[datetime, int]] = []
    for line, cells in _rows(path, ("interval_start", "required")):
        try:
            start = datetime.fromisoformat(cells["interval_start"])
            if start.tzinfo is None:
                raise ValueError
        except ValueError:
            problems.append(
                (
                    "bad_cell",
                    {
                        "file": path,
                        "line": line,
                        "column": "interval_start",
                        "value": cells["interval_start"],
                    },
                )
            )
            continue
        try:
            required = int(cells["required"])
        except ValueError:
            required = -1
        if required < 0:
            problems.append(
                (
                    "bad_cell",
                    {"file": path, "line": line, "column": "required", "value": cells["required"]},
                )
            )
            continue
        out.append((start, required))
    if problems:
        raise fail_many(problems)
    if not out:
        raise fail("no_usable_rows", {"file": path})
    return out


def read_agents(path: str) -> list[AgentContract]:
    problems: list[tuple[str, dict[str, Any]]] = []
    out: list[AgentContract] = []
    for line, cells in _rows(path, AGENT_COLUMNS):

        def bad(column: str, line: int = line, cells: dict[str, str] = cells) -> None:
            problems.append(
                (
                    "bad_cell",
                    {"file": path, "line": line, "column": column, "value": cells.get(column, "")},
                )
            )

        try:
            hours = float(cells["max_hours_per_week"])
            if not math.isfinite(hours) or hours <= 0:
                raise ValueError
        except ValueError:
            bad("max_hours_per_week")
            continue
        try:
            max_days = int(cells["max_days_per_week"])
        except ValueError:
            bad("max_days_per_week")
            continue
        times: list[time] = []
        for column in ("available_from", "available_to"):
            text = cells[column]
            try:
                times.append(time(0) if text in ("24:00", "24:00:00") else time.fromisoformat(text))
            except ValueError:
                bad(column)
        if len(times) != 2 or not cells["agent"]:
            if not cells["agent"]:
                bad("agent")
            continue
        days_off: set[date] = set()
        for part in (cells.get("days_off") or "").replace(",", ";").split(";"):
            if part.strip():
                try:
                    days_off.add(date.fromisoformat(part.strip()))
                except ValueError:
                    bad("days_off")
        out.append(
            AgentContract(
                agent=cells["agent"],
                max_hours_per_week=hours,
                max_days_per_week=max_days,
                available_from=times[0],
                available_to=times[1],
                days_off=frozenset(days_off),
            )
        )
    if problems:
        raise fail_many(problems)
    if not out:
        raise fail("no_usable_rows", {"file": path})
    return out


def read_rules(path: str) -> Rules:
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise fail("file_unreadable", {"file": path, "error": str(error)}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail("bad_json", {"error": str(error)}) from None
    try:
        return Rules.from_json(data)
    except ScheduleInputError as error:
        raise fail_many(error.problems) from None


def read_calls(path: str) -> list[tuple[datetime, float, float]]:
    out: list[tuple[datetime, float, float]] = []
    problems: list[tuple[str, dict[str, Any]]] = []
    for line, cells in _rows(path, ("interval_start", "calls", "aht_s")):
        try:
            start = datetime.fromisoformat(cells["interval_start"])
            calls, aht = float(cells["calls"]), float(cells["aht_s"])
            if start.tzinfo is None or not calls >= 0 or not aht > 0:
                raise ValueError
        except ValueError:
            problems.append(
                (
                    "bad_cell",
                    {
                        "file": path,
                        "line": line,
                        "column": "calls",
                        "value": cells.get("calls", ""),
                    },
                )
            )
            continue
        out.append((start, calls, aht))
    if problems:
        raise fail_many(problems)
    return out


class Command(BaseCommand):
    help = "Schedule named agents for a week with breaks and meals inside the model."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requirements", required=True, help="CSV: interval_start,required")
        parser.add_argument("--agents", required=True, help="CSV of agent contracts")
        parser.add_argument("--rules", required=True, help="rules.json")
        parser.add_argument("--time-limit", default="60", help="solver seconds (default 60)")
        parser.add_argument("--workers", default="2", help="solver threads (default 2)")
        parser.add_argument("--calls", help="optional CSV interval_start,calls,aht_s")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def _progress(self, state: dict[str, Any]) -> None:
        self.stderr.write(
            _(
                "%(elapsed).1f s: under-coverage %(under)s, objective %(objective).0f, "
                "bound %(bound).0f"
            )
            % {
                "elapsed": state["elapsed"],
                "under": state["under_coverage"],
                "objective": state["objective"],
                "bound": state["bound"],
            }
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = number(options["time_limit"], "--time-limit") or 60.0
        limit = min(max(limit, 1.0), 3600.0)
        workers = int(number(options["workers"], "--workers") or 2)
        requirements = read_requirements(options["requirements"])
        agents = read_agents(options["agents"])
        rules = read_rules(options["rules"])
        calls = read_calls(options["calls"]) if options["calls"] else None

        # The solver reports from its own threads, where no language is active.
        language = translation.get_language()

        def progress(state: dict[str, Any]) -> None:
            with translation.override(language):
                self._progress(state)

        try:
            result = solve(
                requirements,
                agents,
                rules,
                time_limit_s=limit,
                progress=progress,
                workers=max(1, workers),
                calls=calls,
            )
        except ScheduleInputError as error:
            raise fail_many(error.problems) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json()))
            return
        m = result.metrics
        self.stdout.write(
            _(
                "%(shifts)s shifts; under-coverage %(under)s, over-coverage %(over)s "
                "agent-intervals (LP bound %(bound).1f); %(violations)s rule violations."
            )
            % {
                "shifts": len(result.shifts),
                "under": m["under_coverage"],
                "over": m["over_coverage"],
                "bound": m["lp_bound"],
                "violations": len(m["violations"]),
            }
        )
        for shift in result.shifts:
            acts = ", ".join(f"{a.type} {a.start:%H:%M}-{a.end:%H:%M}" for a in shift.activities)
            self.stdout.write(
                f"{shift.agent}  {shift.start:%Y-%m-%d %H:%M}-{shift.end:%H:%M}  {acts}"
            )
