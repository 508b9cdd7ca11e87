"""Tight weeks: the warm start from the LP relaxation keeps every rule and gets near the bound."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.workforce.scheduling import ActivityRule, AgentContract, Rules, solve, validate
from kefu.workforce.scheduling.fill import fill
from kefu.workforce.scheduling.model import _build, _lp_relaxation

SH = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
RULES = Rules(
    interval_minutes=15,
    shift_lengths_hours=(8.0, 9.0),
    breaks=(ActivityRule(15, 1.0, 3.0), ActivityRule(15, 5.5, 7.5)),
    meal=ActivityRule(30, 3.0, 5.0),
    min_rest_hours=11,
    max_consecutive_days=3,
)


def tight_week(
    count: int, days: int, seed: int
) -> tuple[list[tuple[datetime, int]], list[AgentContract]]:
    """More requirement than the team can cover; narrow windows; part-timers on 3-4 days."""
    rng = random.Random(seed)
    team = []
    for i in range(count):
        start = rng.choice([7, 8, 10, 12, 13])
        part = i % 2 == 0
        team.append(
            AgentContract(
                agent=f"a{i}",
                max_hours_per_week=28 if part else 40,
                max_days_per_week=3 if part else 5,
                available_from=time(start),
                available_to=time(start + rng.choice([9, 10])),
            )
        )
    reqs = []
    for d in range(days):
        day = MONDAY + timedelta(days=d)
        midnight = datetime(day.year, day.month, day.day, tzinfo=SH)
        for slot in range(96):
            hour = slot / 4
            need = round(count * 0.9 * max(0.0, 1 - abs(hour - 14) / 7)) if 8 <= hour < 22 else 0
            reqs.append((midnight + timedelta(minutes=15 * slot), need))
    return reqs, team


def test_lp_guided_fill_keeps_every_rule_and_leaves_less_short() -> None:
    reqs, team = tight_week(10, 4, seed=5)
    prob = _build(reqs, team, RULES)
    bound, lp_x = _lp_relaxation(prob, team)
    assigned: dict[int, list[int]] = {}
    z_out: dict[tuple[int, int, int], int] = {}
    order = sorted(lp_x, key=lambda pair: -lp_x[pair])
    fill(prob, team, RULES, assigned, z_out, order=order)
    rounded_short = _short(prob, assigned, z_out)
    fill(prob, team, RULES, assigned, z_out, improve_s=5)
    improved_short = _short(prob, assigned, z_out)
    assert bound <= improved_short <= rounded_short
    # Each agent works at most one shift a day, within their days per week.
    days_of: dict[int, list[int]] = {}
    for ti, who in assigned.items():
        assert len(set(who)) == len(who)
        for a in who:
            days_of.setdefault(a, []).append(prob.templates[ti].day)
    for a, days in days_of.items():
        assert len(days) == len(set(days)) <= team[a].max_days_per_week


def _short(
    prob: object, assigned: dict[int, list[int]], z_out: dict[tuple[int, int, int], int]
) -> int:
    from kefu.workforce.scheduling.fill import _deficit

    return sum(max(0, s) for s in _deficit(prob, assigned, z_out))


def test_tight_week_solves_near_the_lp_bound_with_no_violation() -> None:
    reqs, team = tight_week(12, 3, seed=9)
    result = solve(reqs, team, RULES, time_limit_s=4, workers=2)
    metrics = result.metrics
    assert metrics["violations"] == []
    assert validate(result.shifts, team, RULES) == []
    # This week's LP bound is about 0 (it can just be covered): the solver must come
    # within 2 % of the requirement of it, whether it reaches 0 or not.
    assert metrics["lp_bound"] >= 0
    assert metrics["under_coverage"] <= metrics["lp_bound"] + 0.02 * metrics["total_required"]
    assert {round((s.end - s.start).total_seconds() / 3600) for s in result.shifts} <= {8, 9}
