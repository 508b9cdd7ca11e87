"""The CP-SAT week model: named shifts with their breaks and meal inside the model.

Size is what decides whether 150 agents solve in a minute, so the model is
built around *templates* (day, start, length):

* ``x[agent, template]`` (boolean): the agent works that shift. Every hard rule
  about people (one shift a day, availability, days off, hours and days in any
  7 days, consecutive days, rest between shifts) is written on these.
* ``n[template]`` = how many agents work it.
* ``z[template, activity, offset]`` (integer): how many of those shifts take that
  activity at that offset after the shift start. ``Σ_offset z = n`` for every
  activity, and offsets exist only inside the activity's window, so every shift
  gets every activity inside its window: the meal window is a hard rule, never
  traded for coverage.
* Activities keep their order inside a shift (sorted by window). The cumulative
  constraints ``#(next activity at offset ≤ τ) ≤ #(this activity ending by τ)``
  are exactly the condition under which pairing the i-th earliest of each
  activity gives every shift non-overlapping activities, so the counts turn into
  one plan per named agent after solving without any search.
* Coverage per interval = shifts covering it − activities covering it; the
  objective weighs under-coverage ≫ over-coverage ≫ fairness (the most late
  shifts and the most weekend shifts any one agent gets).

The LP bound reported with the result is the optimum of the linear relaxation
for under-coverage alone (GLOP), without the rest and consecutive-day rules: a
valid lower bound on the under-coverage of any schedule.
"""

from __future__ import annotations

import math
import time as clock
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from kefu.workforce.scheduling.rules import (
    Activity,
    ActivityRule,
    AgentContract,
    Rules,
    ScheduleInputError,
    ScheduleResult,
    ShiftPlan,
    check,
    local_midnight,
    placements,
    shift_activities,
)
from kefu.workforce.scheduling.warm import warm_start

__all__ = ["solve"]

W_UNDER = 1000
W_OVER = 10
W_FAIR = 1
LATE_AFTER_MIN = 20 * 60  # a shift ending after 20:00 is a late shift


@dataclass
class _Template:
    day: int
    start: int  # minutes after the day's midnight
    length: int  # minutes
    offsets: list[list[int]]  # per activity: allowed offsets (minutes after the shift start)
    agents: list[int] = field(default_factory=list)

    @property
    def first_slot(self) -> int:
        return self.day * 1440 + self.start

    def key(self) -> tuple[int, int, int]:
        return self.day, self.start, self.length


@dataclass
class _Problem:
    tz: Any
    day0: date
    days: int
    grid: int
    required: list[int]  # per slot over the horizon
    activities: list[tuple[str, ActivityRule]]
    templates: list[_Template]
    by_agent_day: dict[tuple[int, int], list[int]]  # (agent, day) -> template indices
    rules: Rules


def _start_grid(grid: int) -> int:
    return 30 if grid < 30 and 30 % grid == 0 else grid


def _build(
    requirements: Sequence[tuple[datetime, int]], agents: Sequence[AgentContract], rules: Rules
) -> _Problem:
    tz = requirements[0][0].tzinfo
    local = [(t.astimezone(tz), r) for t, r in requirements]
    day0 = min(t.date() for t, _ in local)
    days = (max(t.date() for t, _ in local) - day0).days + 1
    grid = rules.interval_minutes
    required = [0] * (days * 1440 // grid)
    for t, r in local:
        slot = ((t.date() - day0).days * 1440 + t.hour * 60 + t.minute) // grid
        required[slot] += max(0, int(r))
    prefix = [0]
    for value in required:
        prefix.append(prefix[-1] + value)
    activities = rules.blocks()  # the meal's block carries the rest after it
    step = _start_grid(grid)
    templates: list[_Template] = []
    by_agent_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    windows = [c.window() for c in agents]
    for day in range(days):
        the_date = day0 + timedelta(days=day)
        if prefix[(day + 1) * 1440 // grid] == prefix[day * 1440 // grid]:
            continue  # nothing required that day
        who = [i for i, c in enumerate(agents) if the_date not in c.days_off]
        for hours in rules.shift_lengths_hours:
            length = round(hours * 60)
            offsets = [placements(rule, length, grid) for _, rule in activities]
            if any(not o for o in offsets):
                continue
            for start in range(0, 1440 - length + 1, step):
                first = (day * 1440 + start) // grid
                if prefix[first + length // grid] == prefix[first]:
                    continue  # covers nothing required
                end = start + length
                able = [i for i in who if windows[i][0] <= start and end <= windows[i][1]]
                if not able:
                    continue
                index = len(templates)
                templates.append(_Template(day, start, length, offsets, able))
                for i in able:
                    by_agent_day[(i, day)].append(index)
    return _Problem(
        tz, day0, days, grid, required, activities, templates, dict(by_agent_day), rules
    )


def _slots(minutes: int, grid: int) -> int:
    return math.ceil(minutes / grid)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[dict[str, Any]], None], under: list[cp_model.IntVar]):
        super().__init__()
        self._report = report
        self._under = under

    def on_solution_callback(self) -> None:
        self._report(
            {
                "elapsed": round(self.wall_time, 3),
                "objective": self.objective_value,
                "bound": self.best_objective_bound,
                "under_coverage": sum(self.value(v) for v in self._under),
            }
        )


def solve(
    requirements: Sequence[tuple[datetime, int]],
    agents: Sequence[AgentContract],
    rules: Rules,
    *,
    time_limit_s: float = 60,
    progress: Callable[[dict[str, Any]], None] | None = None,
    workers: int = 2,
    calls: Sequence[tuple[datetime, float, float]] | None = None,
) -> ScheduleResult:
    """The week's shifts for ``agents`` against ``requirements`` (net on-phone agents)."""
    problems = check(requirements, agents, rules)
    if problems:
        raise ScheduleInputError(problems[0][0], problems=problems, **problems[0][1])
    began = clock.monotonic()
    prob = _build(requirements, agents, rules)
    grid = prob.grid
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for ti, tpl in enumerate(prob.templates):
        for a in tpl.agents:
            x[(a, ti)] = model.new_bool_var(f"x{a}_{ti}")
    slots_total = len(prob.required)
    on_shift: list[list[Any]] = [[] for _ in range(slots_total)]
    off_phone: list[list[Any]] = [[] for _ in range(slots_total)]
    z_vars: dict[tuple[int, int, int], cp_model.IntVar] = {}
    n_vars: dict[int, cp_model.IntVar] = {}
    for ti, tpl in enumerate(prob.templates):
        count = len(tpl.agents)
        n = model.new_int_var(0, count, f"n{ti}")
        n_vars[ti] = n
        model.add(n == sum(x[(a, ti)] for a in tpl.agents))
        base = tpl.first_slot // grid
        for s in range(base, base + tpl.length // grid):
            on_shift[s].append(n)
        for k, offs in enumerate(tpl.offsets):
            kind_slots = _slots(prob.activities[k][1].minutes, grid)
            zs = []
            for off in offs:
                z = model.new_int_var(0, count, f"z{ti}_{k}_{off}")
                z_vars[(ti, k, off)] = z
                zs.append(z)
                first = base + off // grid
                for s in range(first, first + kind_slots):
                    off_phone[s].append(z)
            model.add(sum(zs) == n)
        for k in range(len(tpl.offsets) - 1):
            occupied = _slots(prob.activities[k][1].minutes, grid) * grid
            for tau in tpl.offsets[k + 1]:
                later = [z_vars[(ti, k + 1, o)] for o in tpl.offsets[k + 1] if o <= tau]
                earlier = [z_vars[(ti, k, o)] for o in tpl.offsets[k] if o + occupied <= tau]
                model.add(sum(later) <= sum(earlier))
    under: list[cp_model.IntVar] = []
    over: list[cp_model.IntVar] = []
    for s in range(slots_total):
        need = prob.required[s]
        if not on_shift[s]:
            continue
        cover = sum(on_shift[s]) - sum(off_phone[s])
        u = model.new_int_var(0, need, f"u{s}")
        o = model.new_int_var(0, len(agents), f"o{s}")
        model.add(cover - need == o - u)
        under.append(u)
        over.append(o)
    uncovered = sum(need for s, need in enumerate(prob.required) if not on_shift[s])
    fairness, works = _people(model, prob, agents, rules, x)
    model.minimize(W_UNDER * sum(under) + W_OVER * sum(over) + W_FAIR * fairness)
    lp_value, lp_x = _lp_relaxation(prob, agents)
    warm_s = min(8.0, 0.2 * float(time_limit_s))
    assigned, z_hint = warm_start(
        prob,
        agents,
        rules,
        time_limit_s=warm_s,
        workers=workers,
        weights=(W_UNDER, W_OVER),
        lp_x=lp_x,
    )
    _hint(model, prob, x, n_vars, z_vars, works, assigned, z_hint)
    fixed = _complete_hint(model)
    solver = cp_model.CpSolver()
    remaining = float(time_limit_s) - (clock.monotonic() - began)
    solver.parameters.max_time_in_seconds = max(0.5, remaining)
    solver.parameters.num_workers = max(1, int(workers))
    callback = _Progress(progress, under) if progress is not None else None
    status = solver.solve(model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and fixed is not None:
        # Out of time before CP-SAT reported anything (a short limit on a busy
        # machine): the completed warm start is a schedule that keeps every rule.
        solver, status = fixed, cp_model.FEASIBLE
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ScheduleInputError(
            "no_solution", seconds=time_limit_s, status=solver.status_name(status)
        )
    shifts = _extract(prob, agents, solver, x, z_vars)
    from kefu.workforce.scheduling.check import coverage, delivered_service_level, validate

    cover = coverage(shifts, prob.tz, prob.day0, prob.days, grid)
    under_total = sum(max(0, r - c) for r, c in zip(prob.required, cover, strict=True))
    over_total = sum(max(0, c - r) for r, c in zip(prob.required, cover, strict=True))
    objective = solver.objective_value
    bound = solver.best_objective_bound
    metrics: dict[str, Any] = {
        "status": "optimal" if status == cp_model.OPTIMAL else "feasible",
        "objective": objective,
        "objective_bound": bound,
        "gap": (objective - bound) / max(1.0, abs(objective)),
        "lp_bound": lp_value + uncovered,
        "under_coverage": under_total,
        "over_coverage": over_total,
        "total_required": sum(prob.required),
        "service_level": None,
        "violations": validate(shifts, agents, rules),
        "solve_seconds": round(clock.monotonic() - began, 3),
        "shift_count": len(shifts),
        "agents": len(agents),
        "model": {
            "templates": len(prob.templates),
            "shift_vars": len(x),
            "activity_vars": len(z_vars),
        },
    }
    if calls is not None:
        metrics["service_level"] = _delivered(prob, calls, cover, delivered_service_level)
    metrics["under_gap_share"] = (
        (under_total - metrics["lp_bound"]) / metrics["total_required"]
        if metrics["total_required"]
        else 0.0
    )
    return ScheduleResult(shifts=shifts, metrics=metrics)


def _people(
    model: cp_model.CpModel,
    prob: _Problem,
    agents: Sequence[AgentContract],
    rules: Rules,
    x: dict[tuple[int, int], cp_model.IntVar],
) -> tuple[Any, dict[tuple[int, int], Any]]:
    """Hard rules per agent; returns the fairness expression and the worked-day literals."""
    tpls = prob.templates
    rest = round(rules.min_rest_hours * 60)
    span = min(7, prob.days)
    late_max = model.new_int_var(0, prob.days, "late_max")
    weekend_max = model.new_int_var(0, prob.days, "weekend_max")
    all_works: dict[tuple[int, int], Any] = {}
    for a, contract in enumerate(agents):
        works: dict[int, Any] = {}
        minutes: dict[int, Any] = {}
        starts: dict[int, Any] = {}
        ends: dict[int, Any] = {}
        late: list[Any] = []
        weekend: list[Any] = []
        for d in range(prob.days):
            idx = prob.by_agent_day.get((a, d), [])
            if not idx:
                continue
            w = model.new_bool_var(f"w{a}_{d}")
            model.add(sum(x[(a, t)] for t in idx) == w)
            works[d] = w
            all_works[(a, d)] = w
            minutes[d] = sum(tpls[t].length * x[(a, t)] for t in idx)
            starts[d] = sum(tpls[t].start * x[(a, t)] for t in idx)
            ends[d] = sum((tpls[t].start + tpls[t].length) * x[(a, t)] for t in idx)
            late.extend(x[(a, t)] for t in idx if tpls[t].start + tpls[t].length > LATE_AFTER_MIN)
            if (prob.day0 + timedelta(days=d)).weekday() >= 5:
                weekend.append(w)
            prev = works.get(d - 1)
            if prev is not None:
                latest_end = max(
                    tpls[t].start + tpls[t].length for t in prob.by_agent_day[(a, d - 1)]
                )
                earliest = min(tpls[t].start for t in idx)
                if earliest + 1440 - latest_end < rest:
                    model.add(starts[d] + 1440 - ends[d - 1] >= rest).only_enforce_if([prev, w])
        if not works:
            continue
        limit_minutes = math.floor(contract.max_hours_per_week * 60 + 1e-6)
        for first in range(prob.days - span + 1):
            window = [d for d in range(first, first + span) if d in works]
            if window:
                model.add(sum(minutes[d] for d in window) <= limit_minutes)
                if len(window) > contract.max_days_per_week:
                    model.add(sum(works[d] for d in window) <= contract.max_days_per_week)
        run = rules.max_consecutive_days
        for first in range(prob.days - run):
            window = [works[d] for d in range(first, first + run + 1) if d in works]
            if len(window) > run:
                model.add(sum(window) <= run)
        if late:
            model.add(sum(late) <= late_max)
        if weekend:
            model.add(sum(weekend) <= weekend_max)
    return late_max + weekend_max, all_works


def _hint(
    model: cp_model.CpModel,
    prob: _Problem,
    x: dict[tuple[int, int], Any],
    n_vars: dict[int, Any],
    z_vars: dict[tuple[int, int, int], Any],
    works: dict[tuple[int, int], Any],
    assigned: dict[int, list[int]],
    z_hint: dict[tuple[int, int, int], int],
) -> None:
    """Give CP-SAT the warm start as a hint on every shift, count and activity variable."""
    if not assigned:
        return
    on: set[tuple[int, int]] = {(a, ti) for ti, who in assigned.items() for a in who}
    for pair, var in x.items():
        model.add_hint(var, pair in on)
    for ti, var in n_vars.items():
        model.add_hint(var, len(assigned.get(ti, [])))
    for triple, var in z_vars.items():
        model.add_hint(var, z_hint.get(triple, 0))
    busy = {(a, prob.templates[ti].day) for a, ti in on}
    for day_key, var in works.items():
        model.add_hint(var, day_key in busy)


def _complete_hint(model: cp_model.CpModel) -> cp_model.CpSolver | None:
    """Replace the warm start's hint by the complete solution it fixes.

    The hint names the shifts and activities only; CP-SAT left to complete the
    coverage, fairness and day variables itself often drops it on a large week
    and starts from scratch. With every hinted variable fixed the rest follows
    by propagation in a fraction of a second, and the full solution is hinted.
    Returns the solver holding that solution (None when there is none).
    """
    if not model.proto.solution_hint.vars:
        return None
    fixer = cp_model.CpSolver()
    fixer.parameters.fix_variables_to_their_hinted_value = True
    fixer.parameters.num_workers = 1
    fixer.parameters.max_time_in_seconds = 5.0
    if fixer.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = [
        fixer.value(model.get_int_var_from_proto_index(i))
        for i in range(len(model.proto.variables))
    ]
    model.proto.clear_solution_hint()
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)
    return fixer


def _extract(
    prob: _Problem,
    agents: Sequence[AgentContract],
    solver: cp_model.CpSolver,
    x: dict[tuple[int, int], cp_model.IntVar],
    z_vars: dict[tuple[int, int, int], cp_model.IntVar],
) -> list[ShiftPlan]:
    shifts: list[ShiftPlan] = []
    for ti, tpl in enumerate(prob.templates):
        chosen = sorted(
            (a for a in tpl.agents if solver.boolean_value(x[(a, ti)])),
            key=lambda a: agents[a].agent,
        )
        if not chosen:
            continue
        per_activity: list[list[int]] = []
        for k, offs in enumerate(tpl.offsets):
            expanded: list[int] = []
            for off in offs:
                expanded.extend([off] * solver.value(z_vars[(ti, k, off)]))
            per_activity.append(expanded)
        midnight = local_midnight(prob.day0 + timedelta(days=tpl.day), prob.tz)
        start = midnight + timedelta(minutes=tpl.start)
        for i, a in enumerate(chosen):
            acts: list[Activity] = []
            for k, (kind, rule) in enumerate(prob.activities):
                begin = start + timedelta(minutes=per_activity[k][i])
                acts.extend(shift_activities(prob.rules, kind, rule, begin))
            shifts.append(
                ShiftPlan(
                    agent=agents[a].agent,
                    start=start,
                    end=start + timedelta(minutes=tpl.length),
                    activities=tuple(acts),
                )
            )
    shifts.sort(key=lambda s: (s.start, s.agent))
    return shifts


def _lp_bound(prob: _Problem, agents: Sequence[AgentContract], rules: Rules) -> float:
    """Least under-coverage of the LP relaxation (per-agent day, hours and days kept)."""
    return _lp_relaxation(prob, agents)[0]


def _lp_relaxation(
    prob: _Problem, agents: Sequence[AgentContract]
) -> tuple[float, dict[tuple[int, int], float]]:
    """The LP relaxation's least under-coverage and its ``x[agent, template]`` values.

    The values guide the warm start (most of them are 0 or 1 on real weeks).
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return 0.0, {}
    inf = solver.infinity()
    grid = prob.grid
    slots_total = len(prob.required)
    cover: list[list[tuple[Any, float]]] = [[] for _ in range(slots_total)]
    agent_day: dict[tuple[int, int], list[Any]] = defaultdict(list)
    agent_minutes: dict[tuple[int, int], list[tuple[Any, int]]] = defaultdict(list)
    x_vars: dict[tuple[int, int], Any] = {}
    for ti, tpl in enumerate(prob.templates):
        n = solver.NumVar(0, len(tpl.agents), "")
        xs = []
        for a in tpl.agents:
            v = solver.NumVar(0, 1, "")
            x_vars[(a, ti)] = v
            xs.append(v)
            agent_day[(a, tpl.day)].append(v)
            agent_minutes[(a, tpl.day)].append((v, tpl.length))
        link = solver.Constraint(0, 0)
        link.SetCoefficient(n, -1)
        for v in xs:
            link.SetCoefficient(v, 1)
        base = tpl.first_slot // grid
        for s in range(base, base + tpl.length // grid):
            cover[s].append((n, 1.0))
        for k, offs in enumerate(tpl.offsets):
            kind_slots = _slots(prob.activities[k][1].minutes, grid)
            total = solver.Constraint(0, 0)
            total.SetCoefficient(n, -1)
            for off in offs:
                z = solver.NumVar(0, len(tpl.agents), "")
                total.SetCoefficient(z, 1)
                first = base + off // grid
                for s in range(first, first + kind_slots):
                    cover[s].append((z, -1.0))
    for vs in agent_day.values():
        one = solver.Constraint(0, 1)
        for v in vs:
            one.SetCoefficient(v, 1)
    span = min(7, prob.days)
    for a, contract in enumerate(agents):
        for first in range(prob.days - span + 1):
            hours = solver.Constraint(0, contract.max_hours_per_week * 60)
            days = solver.Constraint(0, contract.max_days_per_week)
            for d in range(first, first + span):
                for v, length in agent_minutes.get((a, d), []):
                    hours.SetCoefficient(v, length)
                    days.SetCoefficient(v, 1)
    objective = solver.Objective()
    for s in range(slots_total):
        if not cover[s] or prob.required[s] == 0:
            continue
        u = solver.NumVar(0, inf, "")
        row = solver.Constraint(prob.required[s], inf)  # cover + u >= required
        row.SetCoefficient(u, 1)
        for var, coef in cover[s]:
            row.SetCoefficient(var, row.GetCoefficient(var) + coef)
        objective.SetCoefficient(u, 1)
    objective.SetMinimization()
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return 0.0, {}
    values = {pair: v.solution_value() for pair, v in x_vars.items()}
    return max(0.0, float(objective.Value())), {k: v for k, v in values.items() if v > 1e-6}


def _delivered(
    prob: _Problem,
    calls: Sequence[tuple[datetime, float, float]],
    cover: list[int],
    delivered: Callable[..., float | None],
) -> float | None:
    grid = prob.grid
    on_phone: list[int] = []
    volumes: list[float] = []
    ahts: list[float] = []
    for instant, volume, aht in calls:
        local = instant.astimezone(prob.tz)
        slot = ((local.date() - prob.day0).days * 1440 + local.hour * 60 + local.minute) // grid
        on_phone.append(cover[slot] if 0 <= slot < len(cover) else 0)
        volumes.append(volume)
        ahts.append(aht)
    return delivered(on_phone, volumes, ahts, interval_s=grid * 60)
