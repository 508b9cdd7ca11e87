"""Scheduling inputs and the checks that explain infeasible rules before solving."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

__all__ = [
    "Activity",
    "ActivityRule",
    "AgentContract",
    "Problem",
    "Rules",
    "ScheduleInputError",
    "ScheduleResult",
    "ShiftPlan",
    "check",
    "day_minutes",
    "placements",
    "shift_activities",
]

Problem = tuple[str, dict[str, Any]]
_GRIDS = (15, 30)
#: The longest rest after the meal the rules accept, in minutes.
MAX_REST_AFTER_MEAL = 120


class ScheduleInputError(ValueError):
    """Inputs the scheduler cannot use. ``problems`` lists every problem found."""

    def __init__(self, code: str, problems: list[Problem] | None = None, **params: Any) -> None:
        self.code = code
        self.params = params
        self.problems: list[Problem] = problems if problems is not None else [(code, params)]
        super().__init__("; ".join(f"{c}: {p}" for c, p in self.problems))


@dataclass(frozen=True)
class Activity:
    """A break, meal or the rest after the meal inside a shift."""

    type: str  # "break" | "meal" | "rest"
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ShiftPlan:
    """One agent's shift with its activities."""

    agent: str
    start: datetime
    end: datetime
    activities: tuple[Activity, ...] = ()


@dataclass(frozen=True)
class ActivityRule:
    """An activity of ``minutes`` lying wholly inside its window after the shift start."""

    minutes: int
    earliest_after_hours: float
    latest_after_hours: float


@dataclass(frozen=True)
class Rules:
    """The rules every shift and every agent's week follow."""

    interval_minutes: int
    shift_lengths_hours: tuple[float, ...]
    breaks: tuple[ActivityRule, ...]
    meal: ActivityRule | None
    min_rest_hours: float = 11
    max_consecutive_days: int = 6
    # Off the phones straight after the meal, so nobody goes from the canteen
    # back to a call (docs/floor.md, "Rest after the meal").
    rest_after_meal_minutes: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rules:
        """Build from ``rules.json``; every problem in one :class:`ScheduleInputError`."""
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise ScheduleInputError("rules_not_an_object")
        known = {
            "interval_minutes",
            "shift_lengths_hours",
            "breaks",
            "meal",
            "min_rest_hours",
            "max_consecutive_days",
            "rest_after_meal_minutes",
        }
        problems.extend(("rules_unknown_key", {"key": key}) for key in sorted(set(data) - known))
        interval = data.get("interval_minutes", 15)
        if not isinstance(interval, int) or isinstance(interval, bool) or interval not in _GRIDS:
            problems.append(
                ("interval_minutes_invalid", {"value": interval, "allowed": list(_GRIDS)})
            )
            interval = 15
        lengths_raw = data.get("shift_lengths_hours")
        lengths: list[float] = []
        if not isinstance(lengths_raw, list) or not lengths_raw:
            problems.append(("no_shift_lengths", {}))
        else:
            for value in lengths_raw:
                if not _number(value) or not 0 < value <= 12:
                    problems.append(("shift_length_invalid", {"value": value}))
                elif (value * 60) % interval:
                    problems.append(
                        ("shift_length_off_grid", {"value": value, "interval_minutes": interval})
                    )
                else:
                    lengths.append(float(value))
        breaks_raw = data.get("breaks", [])
        breaks: list[ActivityRule] = []
        if not isinstance(breaks_raw, list):
            problems.append(("breaks_not_a_list", {}))
        else:
            for index, item in enumerate(breaks_raw, start=1):
                rule = _activity(item, f"breaks[{index}]", problems)
                if rule is not None:
                    breaks.append(rule)
        meal_raw = data.get("meal")
        meal = None if meal_raw is None else _activity(meal_raw, "meal", problems)
        rest = data.get("min_rest_hours", 11)
        if not _number(rest) or not 0 <= rest <= 24:
            problems.append(("min_rest_invalid", {"value": rest}))
            rest = 11
        consecutive = data.get("max_consecutive_days", 6)
        if not isinstance(consecutive, int) or isinstance(consecutive, bool) or consecutive < 1:
            problems.append(("max_consecutive_invalid", {"value": consecutive}))
            consecutive = 6
        after_meal = data.get("rest_after_meal_minutes", 0)
        if (
            not isinstance(after_meal, int)
            or isinstance(after_meal, bool)
            or not 0 <= after_meal <= MAX_REST_AFTER_MEAL
        ):
            problems.append(
                (
                    "rest_after_meal_invalid",
                    {
                        "field": "rest_after_meal_minutes",
                        "value": after_meal,
                        "max": MAX_REST_AFTER_MEAL,
                    },
                )
            )
            after_meal = 0
        elif after_meal and meal_raw is None:
            problems.append(("rest_after_meal_without_meal", {"field": "rest_after_meal_minutes"}))
        if problems:
            raise ScheduleInputError(problems[0][0], problems=problems, **problems[0][1])
        return cls(
            interval_minutes=interval,
            shift_lengths_hours=tuple(sorted(set(lengths))),
            breaks=tuple(breaks),
            meal=meal,
            min_rest_hours=float(rest),
            max_consecutive_days=consecutive,
            rest_after_meal_minutes=after_meal,
        )

    def activities(self) -> list[tuple[str, ActivityRule]]:
        """Activities in the order they take inside a shift (by window, then by kind)."""
        items = [("break", rule) for rule in self.breaks]
        if self.meal is not None:
            items.append(("meal", self.meal))
        return sorted(
            items, key=lambda it: (it[1].earliest_after_hours, it[1].latest_after_hours, it[0])
        )

    def blocks(self) -> list[tuple[str, ActivityRule]]:
        """The activities as the solver places them: the meal carries the rest after it.

        The meal's block lasts the meal plus the rest; the meal itself still ends
        inside its window, and the rest after it inside the shift (``placements``
        caps the block at the shift's end).
        """
        rest = self.rest_after_meal_minutes
        out = []
        for kind, rule in self.activities():
            if kind == "meal" and rest:
                rule = ActivityRule(
                    minutes=rule.minutes + rest,
                    earliest_after_hours=rule.earliest_after_hours,
                    latest_after_hours=rule.latest_after_hours + rest / 60,
                )
            out.append((kind, rule))
        return out


def shift_activities(
    rules: Rules, kind: str, rule: ActivityRule, begin: datetime
) -> list[Activity]:
    """The activities one block of :meth:`Rules.blocks` placed at ``begin`` stands for."""
    rest = rules.rest_after_meal_minutes if kind == "meal" else 0
    meal_end = begin + timedelta(minutes=rule.minutes - rest)
    out = [Activity(kind, begin, meal_end)]
    if rest:
        out.append(Activity("rest", meal_end, meal_end + timedelta(minutes=rest)))
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _activity(item: Any, where: str, problems: list[Problem]) -> ActivityRule | None:
    if not isinstance(item, Mapping):
        problems.append(("activity_not_an_object", {"where": where}))
        return None
    minutes: Any = item.get("minutes")
    earliest: Any = item.get("earliest_after_hours")
    latest: Any = item.get("latest_after_hours")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        problems.append(("activity_minutes_invalid", {"where": where, "value": minutes}))
        return None
    if not _number(earliest) or not _number(latest) or earliest < 0 or latest <= earliest:
        problems.append(
            ("activity_window_invalid", {"where": where, "earliest": earliest, "latest": latest})
        )
        return None
    if (latest - earliest) * 60 < minutes:
        problems.append(
            (
                "activity_window_too_narrow",
                {"where": where, "minutes": minutes, "earliest": earliest, "latest": latest},
            )
        )
        return None
    return ActivityRule(
        minutes=minutes, earliest_after_hours=float(earliest), latest_after_hours=float(latest)
    )


@dataclass(frozen=True)
class AgentContract:
    """What one agent may work."""

    agent: str
    max_hours_per_week: float
    max_days_per_week: int
    available_from: time
    available_to: time  # time(0) means midnight at the end of the day
    days_off: frozenset[date] = field(default_factory=frozenset)

    def window(self) -> tuple[int, int]:
        """Availability as minutes after midnight ``[from, to)``."""
        end = day_minutes(self.available_to)
        return day_minutes(self.available_from), end or 1440


@dataclass(frozen=True)
class ScheduleResult:
    """The shifts and what they achieve."""

    shifts: list[ShiftPlan]
    metrics: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON with ISO 8601 instants."""
        return {
            "shifts": [
                {
                    "agent": shift.agent,
                    "start": shift.start.isoformat(),
                    "end": shift.end.isoformat(),
                    "activities": [
                        {"type": a.type, "start": a.start.isoformat(), "end": a.end.isoformat()}
                        for a in shift.activities
                    ],
                }
                for shift in self.shifts
            ],
            "metrics": self.metrics,
        }


def day_minutes(value: time) -> int:
    """Minutes after midnight."""
    return value.hour * 60 + value.minute


def placements(rule: ActivityRule, length_min: int, grid: int) -> list[int]:
    """Grid offsets (minutes after the shift start) where ``rule`` lies wholly in its window."""
    first = math.ceil(rule.earliest_after_hours * 60 / grid) * grid
    last = min(rule.latest_after_hours * 60, length_min) - rule.minutes
    return list(range(first, math.floor(last) + 1, grid)) if last >= first else []


def _sequence_fits(rules: Rules, length_min: int) -> bool:
    """Can the activities be placed in order without overlapping (earliest placement)?"""
    cursor = 0
    grid = rules.interval_minutes
    for _kind, rule in rules.blocks():
        options = [o for o in placements(rule, length_min, grid) if o >= cursor]
        if not options:
            return False
        cursor = options[0] + math.ceil(rule.minutes / grid) * grid
    return True


def check(
    requirements: Sequence[tuple[datetime, int]], agents: Sequence[AgentContract], rules: Rules
) -> list[Problem]:
    """Every reason the inputs cannot be scheduled, as ``(code, params)``, before solving."""
    problems: list[Problem] = []
    add: Callable[[str, dict[str, Any]], None] = lambda c, p: problems.append((c, p))  # noqa: E731
    grid = rules.interval_minutes
    for length in rules.shift_lengths_hours:
        length_min = round(length * 60)
        for kind, rule in rules.activities():
            if rule.latest_after_hours * 60 > length_min:
                code = "meal_window_too_long" if kind == "meal" else "activity_window_outside_shift"
                add(
                    code,
                    {
                        "length_hours": length,
                        "latest_after_hours": rule.latest_after_hours,
                        "minutes": rule.minutes,
                    },
                )
            elif not placements(rule, length_min, grid):
                add(
                    "activity_window_outside_shift",
                    {"type": kind, "length_hours": length, "minutes": rule.minutes},
                )
            elif kind == "meal" and rules.rest_after_meal_minutes:
                block = next(r for k, r in rules.blocks() if k == "meal")
                if not placements(block, length_min, grid):
                    add(
                        "rest_after_meal_does_not_fit",
                        {"length_hours": length, "minutes": rules.rest_after_meal_minutes},
                    )
        if not _sequence_fits(rules, length_min):
            add("activities_do_not_fit", {"length_hours": length})
    if rules.rest_after_meal_minutes and rules.meal is None:
        add("rest_after_meal_without_meal", {"field": "rest_after_meal_minutes"})
    if not rules.shift_lengths_hours:
        add("no_shift_lengths", {})
    if not requirements:
        add("no_requirements", {})
    if not agents:
        add("no_agents", {})
    names: set[str] = set()
    for contract in agents:
        if contract.agent in names:
            add("duplicate_agent", {"agent": contract.agent})
        names.add(contract.agent)
        start, end = contract.window()
        shortest_h = min(rules.shift_lengths_hours, default=0.0)
        hours = contract.max_hours_per_week
        if not math.isfinite(hours) or hours < shortest_h or hours <= 0:
            add(
                "hours_too_low",
                {"agent": contract.agent, "value": hours, "shift_hours": shortest_h},
            )
        if not 1 <= contract.max_days_per_week <= 7:
            add("max_days_invalid", {"agent": contract.agent, "value": contract.max_days_per_week})
        if end <= start:
            add(
                "availability_invalid",
                {
                    "agent": contract.agent,
                    "from": contract.available_from.isoformat("minutes"),
                    "to": contract.available_to.isoformat("minutes"),
                },
            )
    shortest = min(rules.shift_lengths_hours, default=0.0) * 60
    spans = [c.window()[1] - c.window()[0] for c in agents]
    if agents and shortest and all(span < shortest for span in spans):
        add(
            "shift_too_long_for_availability",
            {"length_hours": shortest / 60, "longest_availability_hours": max(spans) / 60},
        )
    tz = requirements[0][0].tzinfo if requirements else None
    needed: dict[date, int] = {}
    for index, (instant, required) in enumerate(requirements, start=1):
        if instant.tzinfo is None:
            add("requirement_naive_time", {"row": index, "value": instant.isoformat()})
            continue
        if required < 0:
            add("requirement_negative", {"row": index, "value": required})
        local = instant.astimezone(tz)
        if (local.hour * 60 + local.minute) % grid or local.second or local.microsecond:
            add(
                "requirements_off_grid",
                {"row": index, "value": instant.isoformat(), "interval_minutes": grid},
            )
        needed[local.date()] = needed.get(local.date(), 0) + max(0, required)
    if needed and (max(needed) - min(needed)).days > 27:
        add("horizon_too_long", {"days": (max(needed) - min(needed)).days + 1, "max_days": 28})
    for day, total in sorted(needed.items()):
        if total <= 0:
            continue
        if not any(
            day not in c.days_off and c.window()[1] - c.window()[0] >= shortest for c in agents
        ):
            add("no_agent_available", {"date": day.isoformat()})
    return problems


def local_midnight(day: date, tz: Any) -> datetime:
    """Midnight starting ``day`` in ``tz``."""
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def at_minute(origin: datetime, minutes: int) -> datetime:
    """``origin`` plus ``minutes``."""
    return origin + timedelta(minutes=minutes)
