"""Greedy repair of a warm start: add shifts where agents have days and hours left.

The aggregate phase plans shifts against the team's capacity as a whole, so on
a tight week (fewer agents than the requirement needs, narrow availability,
part-timers) many of its shifts find no agent and are dropped, while agents
with days and hours left stay idle. :func:`fill` gives those agents the
shift that covers the most still-uncovered intervals, one shift at a time,
with every hard rule checked, until no shift covers anything more.

A shift's activities are placed in order where the least of the remaining
shortfall lies. Adding one non-overlapping sequence of activities keeps the
model's cumulative ordering constraints true, so the hint stays a solution.
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Sequence
from typing import Any

from kefu.workforce.scheduling.rules import AgentContract, Rules

__all__ = ["fill"]


def _deficit(
    prob: Any, assigned: dict[int, list[int]], z_out: dict[tuple[int, int, int], int]
) -> list[int]:
    grid = prob.grid
    short = list(prob.required)
    for ti, who in assigned.items():
        tpl = prob.templates[ti]
        base = tpl.first_slot // grid
        for s in range(base, base + tpl.length // grid):
            short[s] -= len(who)
    for (ti, k, off), count in z_out.items():
        if count:
            base = prob.templates[ti].first_slot // grid + off // grid
            for s in range(base, base + math.ceil(prob.activities[k][1].minutes / grid)):
                short[s] += count
    return short


def _place(prob: Any, ti: int, short: list[int]) -> tuple[int, list[int]] | None:
    """(intervals covered, activity offsets) for one more shift of template ``ti``."""
    grid = prob.grid
    tpl = prob.templates[ti]
    base = tpl.first_slot // grid
    spans = [math.ceil(rule.minutes / grid) for _kind, rule in prob.activities]
    chosen: list[int] = []
    cursor = 0
    for k, offs in enumerate(tpl.offsets):
        best: tuple[int, int] | None = None
        for off in offs:
            if off < cursor or not _rest_fits(
                tpl.offsets, spans, grid, k + 1, off + spans[k] * grid
            ):
                continue
            first = base + off // grid
            cost = sum(1 for s in range(first, first + spans[k]) if short[s] > 0)
            if best is None or cost < best[0]:
                best = (cost, off)
        if best is None:
            return None
        chosen.append(best[1])
        cursor = best[1] + spans[k] * grid
    busy: set[int] = set()
    for k, off in enumerate(chosen):
        first = base + off // grid
        busy.update(range(first, first + spans[k]))
    gain = sum(1 for s in range(base, base + tpl.length // grid) if s not in busy and short[s] > 0)
    return gain, chosen


def _rest_fits(offsets: list[list[int]], spans: list[int], grid: int, k: int, cursor: int) -> bool:
    for offs in offsets[k:]:
        nxt = next((o for o in offs if o >= cursor), None)
        if nxt is None:
            return False
        cursor = nxt + spans[k] * grid
        k += 1
    return True


class _State:
    """Shifts per agent and day with their activity offsets, and the shortfall per slot."""

    def __init__(
        self,
        prob: Any,
        agents: Sequence[AgentContract],
        rules: Rules,
        assigned: dict[int, list[int]],
        z_out: dict[tuple[int, int, int], int],
    ) -> None:
        self.prob = prob
        self.agents = agents
        self.assigned = assigned
        self.z_out = z_out
        self.grid = prob.grid
        self.rest = round(rules.min_rest_hours * 60)
        self.run_max = rules.max_consecutive_days
        self.span = min(7, prob.days)
        self.tpls = prob.templates
        self.limits = [math.floor(c.max_hours_per_week * 60 + 1e-6) for c in agents]
        self.spans = [math.ceil(rule.minutes / self.grid) for _kind, rule in prob.activities]
        self.worked: dict[int, dict[int, int]] = {a: {} for a in range(len(agents))}
        for ti, who in assigned.items():
            for a in who:
                self.worked[a][self.tpls[ti].day] = ti
        self.offsets: dict[tuple[int, int], list[int]] = {}  # shifts added here only
        self.short = _deficit(prob, assigned, z_out)

    def allowed(self, a: int, ti: int) -> bool:
        tpls = self.tpls
        tpl = tpls[ti]
        day = tpl.day
        mine = self.worked[a]
        if day in mine:
            return False
        span = self.span
        for first in range(max(0, day - span + 1), min(day, self.prob.days - span) + 1):
            window = [d for d in mine if first <= d < first + span]
            if len(window) + 1 > self.agents[a].max_days_per_week:
                return False
            if sum(tpls[mine[d]].length for d in window) + tpl.length > self.limits[a]:
                return False
        before = mine.get(day - 1)
        if before is not None:
            end = tpls[before].start + tpls[before].length
            if tpl.start + 1440 - end < self.rest:
                return False
        after = mine.get(day + 1)
        if after is not None and tpls[after].start + 1440 - (tpl.start + tpl.length) < self.rest:
            return False
        left = 0
        while (day - 1 - left) in mine:
            left += 1
        right = 0
        while (day + 1 + right) in mine:
            right += 1
        return left + 1 + right <= self.run_max

    def _apply(self, ti: int, offsets: list[int], sign: int) -> None:
        tpl = self.tpls[ti]
        base = tpl.first_slot // self.grid
        for s in range(base, base + tpl.length // self.grid):
            self.short[s] -= sign
        for k, off in enumerate(offsets):
            self.z_out[(ti, k, off)] = self.z_out.get((ti, k, off), 0) + sign
            first = base + off // self.grid
            for s in range(first, first + self.spans[k]):
                self.short[s] += sign

    def add(self, a: int, ti: int, offsets: list[int]) -> None:
        self.worked[a][self.tpls[ti].day] = ti
        self.assigned.setdefault(ti, []).append(a)
        self.offsets[(a, self.tpls[ti].day)] = offsets
        self._apply(ti, offsets, 1)

    def remove(self, a: int, day: int) -> tuple[int, list[int]]:
        ti = self.worked[a].pop(day)
        self.assigned[ti].remove(a)
        offsets = self.offsets.pop((a, day))
        self._apply(ti, offsets, -1)
        return ti, offsets

    def gain(self, ti: int, offsets: list[int]) -> int:
        tpl = self.tpls[ti]
        base = tpl.first_slot // self.grid
        busy: set[int] = set()
        for k, off in enumerate(offsets):
            first = base + off // self.grid
            busy.update(range(first, first + self.spans[k]))
        return sum(
            1
            for s in range(base, base + tpl.length // self.grid)
            if s not in busy and self.short[s] > 0
        )


def fill(
    prob: Any,
    agents: Sequence[AgentContract],
    rules: Rules,
    assigned: dict[int, list[int]],
    z_out: dict[tuple[int, int, int], int],
    *,
    order: Sequence[tuple[int, int]] | None = None,
    improve_s: float = 0.0,
) -> int:
    """Add shifts to ``assigned`` and ``z_out`` in place; returns how many were added.

    With ``order`` ((agent, template) pairs, e.g. by the LP relaxation's values)
    each pair is added first, in turn, when every rule still allows it. Then
    shifts are added greedily while one covers anything more, and for up to
    ``improve_s`` seconds each shift added here is moved to the start, length
    and activity places of that day that cover the most (a local search).
    """
    state = _State(prob, agents, rules, assigned, z_out)
    added = 0
    for a, ti in order or ():
        if state.allowed(a, ti):
            placed = _place(prob, ti, state.short)
            if placed is not None:
                state.add(a, ti, placed[1])
                added += 1
    added += _greedy(state)
    if improve_s > 0:
        _improve(state, clock.monotonic() + improve_s)
        added += _greedy(state)
    return added


def _greedy(state: _State) -> int:
    tpls = state.tpls
    added = 0
    dead: set[int] = set()  # templates no agent can take any more
    while True:
        ranked = []
        for ti in range(len(tpls)):
            if ti in dead:
                continue
            placed = _place(state.prob, ti, state.short)
            if placed is not None and placed[0] > 0:
                ranked.append((placed[0], ti, placed[1]))
        if not ranked:
            return added
        ranked.sort(key=lambda item: (-item[0], item[1]))
        for _gain, ti, offsets in ranked:
            options = [a for a in tpls[ti].agents if state.allowed(a, ti)]
            if not options:
                dead.add(ti)
                continue
            # The agent with the most days left takes it.
            a = min(
                options,
                key=lambda i: (len(state.worked[i]) - state.agents[i].max_days_per_week, i),
            )
            state.add(a, ti, offsets)
            added += 1
            break
        else:
            return added


def _improve(state: _State, deadline: float) -> None:
    """Move shifts within their day while that covers more, until no move helps."""
    by_agent_day = state.prob.by_agent_day
    improved = True
    while improved and clock.monotonic() < deadline:
        improved = False
        for a, day in sorted(state.offsets):
            if clock.monotonic() >= deadline:
                return
            ti, offsets = state.remove(a, day)
            best = (state.gain(ti, offsets), ti, offsets)
            for tj in by_agent_day.get((a, day), []):
                if not state.allowed(a, tj):
                    continue
                placed = _place(state.prob, tj, state.short)
                if placed is not None and placed[0] > best[0]:
                    best = (placed[0], tj, placed[1])
            state.add(a, best[1], best[2])
            improved = improved or best[1] != ti or best[2] != offsets
