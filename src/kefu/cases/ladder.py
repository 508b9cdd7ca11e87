"""The escalation ladder, pure: agent -> team lead -> department manager."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum


class Level(IntEnum):
    AGENT = 0
    TEAM_LEAD = 1
    DEPARTMENT_MANAGER = 2


LEVEL_ROLE = {
    Level.AGENT: "agent",
    Level.TEAM_LEAD: "team_lead",
    Level.DEPARTMENT_MANAGER: "department_manager",
}
TOP = Level.DEPARTMENT_MANAGER


@dataclass(frozen=True)
class Step:
    level: Level
    role: str


def next_step(current: int) -> Step | None:
    """The step above ``current``, or None at the top of the ladder."""
    if current >= TOP:
        return None
    level = Level(current + 1)
    return Step(level=level, role=LEVEL_ROLE[level])


def step_for_breach(breach_number: int) -> Step:
    """The first breach reaches the team lead, the second and later the manager."""
    level = Level.TEAM_LEAD if breach_number <= 1 else Level.DEPARTMENT_MANAGER
    return Step(level=level, role=LEVEL_ROLE[level])


def lowest_level_allowed(amount: Decimal, limits: dict[str, Decimal]) -> Level | None:
    """The lowest ladder level whose authority limit covers ``amount``; None if none does."""
    for level in Level:
        limit = limits.get(LEVEL_ROLE[level])
        if limit is not None and amount <= limit:
            return level
    return None
