"""A good first schedule for the CP-SAT model to start from (a complete solution hint).

Phase 1 solves the *aggregate* model: how many shifts of each template and
where their breaks and meal go, against coverage, with the team's daily head
count and weekly capacity as limits (a few thousand integer variables, solved
in seconds). Phase 2 hands those shifts to named agents day by day, scarcest
shift first, giving each to the eligible agent with the most unused days per
remaining day (every hard rule checked: availability, day off, hours and days
in any 7 days, consecutive days, rest). Shifts nobody can take are dropped with
their break counts (the i-th earliest of each activity, which keeps the
pairing valid). The full model then improves on this.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ortools.sat.python import cp_model

from kefu.workforce.scheduling.fill import fill
from kefu.workforce.scheduling.rules import AgentContract, Rules

__all__ = ["warm_start"]


def warm_start(
    prob: Any,
    agents: Sequence[AgentContract],
    rules: Rules,
    *,
    time_limit_s: float,
    workers: int,
    weights: tuple[int, int],
    lp_x: dict[tuple[int, int], float] | None = None,
) -> tuple[dict[int, list[int]], dict[tuple[int, int, int], int]]:
    """(template -> agent indices, (template, activity, offset) -> count).

    With the LP relaxation's ``x[agent, template]`` values the shifts are taken
    from them, largest first (every rule checked, activities placed where the
    least shortfall is), then topped up greedily by :func:`fill`; without them
    from the aggregate model.
    """
    if lp_x:
        assigned: dict[int, list[int]] = {}
        z_lp: dict[tuple[int, int, int], int] = {}
        order = sorted(lp_x, key=lambda pair: (-lp_x[pair], pair))
        fill(prob, agents, rules, assigned, z_lp, order=order, improve_s=time_limit_s)
        return assigned, z_lp
    counts, z_counts = _aggregate(prob, agents, time_limit_s, workers, weights)
    assigned = _assign(prob, agents, rules, counts)
    z_out: dict[tuple[int, int, int], int] = {}
    for ti, tpl in enumerate(prob.templates):
        keep = len(assigned.get(ti, []))
        for k, offs in enumerate(tpl.offsets):
            expanded: list[int] = []
            for off in offs:
                expanded.extend([off] * z_counts.get((ti, k, off), 0))
            for off in offs:
                z_out[(ti, k, off)] = 0
            for off in expanded[:keep]:
                z_out[(ti, k, off)] += 1
    fill(prob, agents, rules, assigned, z_out)
    return assigned, z_out


def _aggregate(
    prob: Any,
    agents: Sequence[AgentContract],
    time_limit_s: float,
    workers: int,
    weights: tuple[int, int],
) -> tuple[dict[int, int], dict[tuple[int, int, int], int]]:
    grid = prob.grid
    model = cp_model.CpModel()
    slots_total = len(prob.required)
    on_shift: list[list[Any]] = [[] for _ in range(slots_total)]
    off_phone: list[list[Any]] = [[] for _ in range(slots_total)]
    n_vars: dict[int, Any] = {}
    z_vars: dict[tuple[int, int, int], Any] = {}
    per_day: dict[int, list[Any]] = {}
    minutes: list[Any] = []
    for ti, tpl in enumerate(prob.templates):
        n = model.new_int_var(0, len(tpl.agents), f"n{ti}")
        n_vars[ti] = n
        per_day.setdefault(tpl.day, []).append(n)
        minutes.append(tpl.length * n)
        base = tpl.first_slot // grid
        for s in range(base, base + tpl.length // grid):
            on_shift[s].append(n)
        for k, offs in enumerate(tpl.offsets):
            span = math.ceil(prob.activities[k][1].minutes / grid)
            zs = []
            for off in offs:
                z = model.new_int_var(0, len(tpl.agents), "")
                z_vars[(ti, k, off)] = z
                zs.append(z)
                for s in range(base + off // grid, base + off // grid + span):
                    off_phone[s].append(z)
            model.add(sum(zs) == n)
        for k in range(len(tpl.offsets) - 1):
            occupied = math.ceil(prob.activities[k][1].minutes / grid) * grid
            for tau in tpl.offsets[k + 1]:
                later = [z_vars[(ti, k + 1, o)] for o in tpl.offsets[k + 1] if o <= tau]
                earlier = [z_vars[(ti, k, o)] for o in tpl.offsets[k] if o + occupied <= tau]
                model.add(sum(later) <= sum(earlier))
    for day, ns in per_day.items():
        able = {a for (a, d) in prob.by_agent_day if d == day}
        model.add(sum(ns) <= len(able))
    span_days = min(7, prob.days)
    week_days = sum(min(c.max_days_per_week, span_days) for c in agents) * prob.days / span_days
    week_minutes = sum(c.max_hours_per_week * 60 for c in agents) * prob.days / span_days
    model.add(sum(n_vars.values()) <= math.floor(week_days))
    model.add(sum(minutes) <= math.floor(week_minutes))
    under = []
    over = []
    for s in range(slots_total):
        if not on_shift[s]:
            continue
        u = model.new_int_var(0, prob.required[s], "")
        o = model.new_int_var(0, len(agents), "")
        model.add(sum(on_shift[s]) - sum(off_phone[s]) - prob.required[s] == o - u)
        under.append(u)
        over.append(o)
    model.minimize(weights[0] * sum(under) + weights[1] * sum(over))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, {}
    counts = {ti: solver.value(n) for ti, n in n_vars.items()}
    return counts, {key: solver.value(z) for key, z in z_vars.items()}


def _assign(
    prob: Any, agents: Sequence[AgentContract], rules: Rules, counts: dict[int, int]
) -> dict[int, list[int]]:
    rest = round(rules.min_rest_hours * 60)
    run_max = rules.max_consecutive_days
    worked: dict[int, dict[int, tuple[int, int]]] = {a: {} for a in range(len(agents))}
    late: dict[int, int] = dict.fromkeys(range(len(agents)), 0)
    assigned: dict[int, list[int]] = {}
    days_with_work = sorted({tpl.day for tpl in prob.templates})
    for day in days_with_work:
        remaining_days = sum(1 for d in days_with_work if d >= day)
        slots = [
            ti
            for ti, tpl in enumerate(prob.templates)
            if tpl.day == day
            for _ in range(counts.get(ti, 0))
        ]
        eligible_cache: dict[int, list[int]] = {}

        def eligible(ti: int, day: int = day) -> list[int]:
            tpl = prob.templates[ti]
            out = []
            for a in tpl.agents:
                mine = worked[a]
                if day in mine:
                    continue
                contract = agents[a]
                window = [d for d in mine if day - 7 < d <= day]
                if len(window) >= contract.max_days_per_week:
                    continue
                hours = sum(mine[d][1] - mine[d][0] for d in window)
                if hours + tpl.length > contract.max_hours_per_week * 60 + 1e-6:
                    continue
                previous = mine.get(day - 1)
                if previous is not None and tpl.start + 1440 - previous[1] < rest:
                    continue
                run = 0
                while (day - 1 - run) in mine:
                    run += 1
                if run >= run_max:
                    continue
                out.append(a)
            return out

        for ti in set(slots):
            eligible_cache[ti] = eligible(ti)
        slots.sort(key=lambda ti: len(eligible_cache[ti]))
        for ti in slots:
            tpl = prob.templates[ti]
            options = [a for a in eligible_cache[ti] if day not in worked[a]]
            if not options:
                continue
            is_late = tpl.start + tpl.length > 20 * 60

            def priority(
                a: int,
                tpl_late: bool = is_late,
                day: int = day,
                remaining_days: int = remaining_days,
            ) -> tuple[float, int, str]:
                contract = agents[a]
                used = len([d for d in worked[a] if day - 7 < d < day])
                spare = (contract.max_days_per_week - used) / remaining_days
                return (-spare, late[a] if tpl_late else 0, contract.agent)

            chosen = min(options, key=priority)
            worked[chosen][day] = (tpl.start, tpl.start + tpl.length)
            late[chosen] += is_late
            assigned.setdefault(ti, []).append(chosen)
    return assigned
