"""The independent re-check of a schedule, its coverage and the service level it delivers.

Nothing here trusts the solver: :func:`validate` reads only the shifts, the
contracts and the rules.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from kefu.workforce.erlang import evaluate
from kefu.workforce.scheduling.rules import AgentContract, Rules, ShiftPlan, local_midnight

__all__ = ["Violation", "coverage", "delivered_service_level", "validate"]

# One broken rule: a code (worded by kefu.workforce.messages) and its parameters,
# kept as JSON values so the schedule's metrics can store it.
Violation = tuple[str, dict[str, Any]]

_EPS = timedelta(seconds=1)


def validate(
    result_shifts: Sequence[ShiftPlan], agents: Sequence[AgentContract], rules: Rules
) -> list[Violation]:
    """Every broken hard rule as a code and parameters (empty when the schedule is sound)."""
    problems: list[Violation] = []
    contracts = {c.agent: c for c in agents}
    lengths = {round(h * 60) for h in rules.shift_lengths_hours}
    expected = sorted(
        [("break", r) for r in rules.breaks]
        + ([("meal", rules.meal)] if rules.meal is not None else []),
        key=lambda it: (it[1].earliest_after_hours, it[1].latest_after_hours, it[0]),
    )
    by_agent: dict[str, list[ShiftPlan]] = defaultdict(list)
    for shift in result_shifts:
        by_agent[shift.agent].append(shift)
        where = {"agent": shift.agent, "start": _hm(shift.start)}
        contract = contracts.get(shift.agent)
        if contract is None:
            problems.append(("shift_unknown_agent", where))
            continue
        length = round((shift.end - shift.start).total_seconds() / 60)
        if length not in lengths:
            problems.append(("shift_length_not_allowed", {**where, "minutes": length}))
        local_start = shift.start
        day = local_start.date()
        if day in contract.days_off:
            problems.append(("shift_on_day_off", where))
        begin, finish = contract.window()
        start_min = local_start.hour * 60 + local_start.minute
        end_min = start_min + length
        if start_min < begin or end_min > finish:
            problems.append(("shift_outside_availability", where))
        problems.extend(_activities(shift, rules, expected, where))
    for name, shifts in by_agent.items():
        contract = contracts.get(name)
        if contract is not None:
            problems.extend(_week(name, sorted(shifts, key=lambda s: s.start), contract, rules))
    return problems


def _hm(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M")


def _activities(
    shift: ShiftPlan, rules: Rules, expected: list[tuple[str, Any]], where: dict[str, Any]
) -> list[Violation]:
    problems: list[Violation] = []
    got = sorted(shift.activities, key=lambda a: a.start)
    kinds = sorted(a.type for a in got)
    rest = rules.rest_after_meal_minutes if rules.meal is not None else 0
    wanted = sorted([k for k, _ in expected] + (["rest"] if rest else []))
    if kinds != wanted:
        problems.append(("activities_wrong", {**where, "got": kinds, "wanted": wanted}))
        return problems
    if rest:
        problems.extend(_rest_after_meal(got, rest, where))
        got_rest = [a for a in got if a.type == "rest"]
        got = [a for a in got if a.type != "rest"]
        problems.extend(
            ("activity_outside_shift", {**where, "activity": a.type, "at": _hm(a.start)})
            for a in got_rest
            if a.start < shift.start or a.end > shift.end
        )
    # Match each activity to a rule of its kind it satisfies (bipartite by trying rules in order).
    unmatched = list(expected)
    for act in got:
        if act.start < shift.start or act.end > shift.end:
            problems.append(
                ("activity_outside_shift", {**where, "activity": act.type, "at": _hm(act.start)})
            )
        minutes = (act.end - act.start).total_seconds() / 60
        after = (act.start - shift.start).total_seconds() / 3600
        until = (act.end - shift.start).total_seconds() / 3600
        fit = next(
            (
                pair
                for pair in unmatched
                if pair[0] == act.type
                and minutes >= pair[1].minutes
                and after >= pair[1].earliest_after_hours - 1e-9
                and until <= pair[1].latest_after_hours + 1e-9
            ),
            None,
        )
        if fit is None:
            problems.append(
                (
                    "activity_short_or_outside_window",
                    {**where, "activity": act.type, "at": _hm(act.start), "until": _hm(act.end)},
                )
            )
        else:
            unmatched.remove(fit)
    everything = sorted(shift.activities, key=lambda a: a.start)
    for earlier, later in pairwise(everything):
        if later.start < earlier.end:
            problems.append(
                ("activities_overlap", {**where, "first": earlier.type, "second": later.type})
            )
    return problems


def _rest_after_meal(got: list[Any], rest: int, where: dict[str, Any]) -> list[Violation]:
    """The rest starts when the meal ends and lasts at least ``rest`` minutes."""
    meal = next(a for a in got if a.type == "meal")
    after = next(a for a in got if a.type == "rest")
    if (
        abs((after.start - meal.end).total_seconds()) >= 1
        or after.end - after.start < timedelta(minutes=rest) - _EPS
    ):
        return [
            (
                "rest_after_meal_missing",
                {**where, "minutes": rest, "at": _hm(after.start), "meal_end": _hm(meal.end)},
            )
        ]
    return []


def _week(
    name: str, shifts: list[ShiftPlan], contract: AgentContract, rules: Rules
) -> list[Violation]:
    problems: list[Violation] = []
    rest = timedelta(hours=rules.min_rest_hours)
    days: dict[date, list[ShiftPlan]] = defaultdict(list)
    for shift in shifts:
        days[shift.start.date()].append(shift)
    for day, on_day in days.items():
        if len(on_day) > 1:
            problems.append(
                ("shifts_same_day", {"agent": name, "day": day.isoformat(), "count": len(on_day)})
            )
    for earlier, later in pairwise(shifts):
        if later.start - earlier.end < rest - _EPS:
            hours = (later.start - earlier.end).total_seconds() / 3600
            problems.append(
                (
                    "rest_too_short",
                    {"agent": name, "hours": f"{hours:.2f}", "start": _hm(later.start)},
                )
            )
    worked = sorted(days)
    if not worked:
        return problems
    run = 1
    for a, b in pairwise(worked):
        run = run + 1 if (b - a).days == 1 else 1
        if run > rules.max_consecutive_days:
            problems.append(
                ("too_many_days_in_a_row", {"agent": name, "days": rules.max_consecutive_days})
            )
            break
    first, last = worked[0], worked[-1]
    day = first - timedelta(days=6)
    while day <= last:
        window = [d for d in worked if day <= d < day + timedelta(days=7)]
        hours = sum((s.end - s.start).total_seconds() / 3600 for d in window for s in days[d])
        if hours > contract.max_hours_per_week + 1e-6:
            problems.append(
                (
                    "week_hours_exceeded",
                    {"agent": name, "hours": f"{hours:g}", "day": day.isoformat()},
                )
            )
        if len(window) > contract.max_days_per_week:
            problems.append(
                (
                    "week_days_exceeded",
                    {"agent": name, "days": len(window), "day": day.isoformat()},
                )
            )
        day += timedelta(days=1)
    return problems


def coverage(shifts: Sequence[ShiftPlan], tz: Any, day0: date, days: int, grid: int) -> list[int]:
    """On-phone agents per grid slot: on shift and not on a break or meal at any time in it."""
    origin = local_midnight(day0, tz)
    total = days * 1440 // grid
    cover = [0] * total

    def slot_of(instant: datetime) -> float:
        return (instant - origin).total_seconds() / 60 / grid

    for shift in shifts:
        busy = [(math.floor(slot_of(a.start)), math.ceil(slot_of(a.end))) for a in shift.activities]
        for s in range(
            max(0, math.floor(slot_of(shift.start))), min(total, math.ceil(slot_of(shift.end)))
        ):
            if not any(lo <= s < hi for lo, hi in busy):
                cover[s] += 1
    return cover


def delivered_service_level(
    on_phone_per_interval: Sequence[int],
    calls_per_interval: Sequence[float],
    aht: float | Sequence[float],
    *,
    interval_s: float = 900,
    answer_time_s: float = 20,
    patience_s: float | None = None,
) -> float | None:
    """Share of all calls answered in ``answer_time_s``: Erlang per interval, call-weighted."""
    ahts = [float(aht)] * len(calls_per_interval) if isinstance(aht, int | float) else list(aht)
    answered = 0.0
    offered = 0.0
    for agents, calls, each in zip(on_phone_per_interval, calls_per_interval, ahts, strict=True):
        if calls <= 0:
            continue
        staffing = evaluate(
            calls=calls,
            interval_s=interval_s,
            aht_s=each,
            agents=max(0, int(agents)),
            answer_time_s=answer_time_s,
            patience_s=patience_s,
        )
        answered += staffing.service_level * calls
        offered += calls
    return answered / offered if offered else None
