"""Pure core: will the day's traffic push someone's meal past its window? No Django.

Each agent's plan for the day is phone time around breaks, meals and other
activities. A meal is at risk when, with the agent away, the phones would be
short of the (reforecast) requirement: the floor would keep them on calls.
The projected start is the first moment from the planned start at which the
meal can be taken without leaving the phones short; when that is past the
window, or there is none, the meal is at risk and moves are proposed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kefu.floor.adherence import PlanKind

STEP = timedelta(minutes=5)


class MoveKind(StrEnum):
    SWAP_BREAK = "swap_break"
    TAKE_CALLS = "take_calls"


@dataclass(frozen=True)
class Activity:
    kind: PlanKind
    start: datetime
    end: datetime


@dataclass(frozen=True)
class AgentDay:
    agent_id: int
    name: str
    shift_start: datetime
    shift_end: datetime
    activities: tuple[Activity, ...] = ()

    def on_phone(self, lo: datetime, hi: datetime, *, skip: Activity | None = None) -> float:
        """Share of [lo, hi) this agent is planned on the phones (0..1)."""
        length = (hi - lo).total_seconds()
        if length <= 0:
            return 0.0
        start, end = max(lo, self.shift_start), min(hi, self.shift_end)
        covered = max(0.0, (end - start).total_seconds())
        for activity in self.activities:
            if activity is skip:
                continue
            a, b = max(activity.start, start), min(activity.end, end)
            covered -= max(0.0, (b - a).total_seconds())
        return max(0.0, covered) / length


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    agent_id: int
    name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MealRisk:
    agent_id: int
    name: str
    meal: Activity
    window_end: datetime
    projected_start: datetime | None
    moves: tuple[Move, ...] = field(default=())


Override = tuple[int, Activity, Activity]


def _staffed(
    days: Sequence[AgentDay], lo: datetime, hi: datetime, *, override: Override | None
) -> float:
    total = 0.0
    for day in days:
        if override is not None and day.agent_id == override[0]:
            # The agent's meal moved: on the phones in its planned slot, away in the new one.
            _agent, planned, moved = override
            share = day.on_phone(lo, hi, skip=planned)
            overlap = max(0.0, (min(hi, moved.end) - max(lo, moved.start)).total_seconds())
            share -= overlap / (hi - lo).total_seconds()
            total += max(0.0, share)
        else:
            total += day.on_phone(lo, hi)
    return total


def _short(
    days: Sequence[AgentDay],
    required: Mapping[datetime, int],
    interval: timedelta,
    lo: datetime,
    hi: datetime,
    override: Override | None,
) -> bool:
    for start, need in required.items():
        end = start + interval
        if end <= lo or start >= hi:
            continue
        # A small tolerance: a fraction of an agent short is not a held meal.
        if _staffed(days, start, end, override=override) + 0.05 < need:
            return True
    return False


def meal_risks(
    *,
    days: Sequence[AgentDay],
    required: Mapping[datetime, int],
    interval: timedelta,
    now: datetime,
    horizon: timedelta,
    slack: timedelta,
) -> list[MealRisk]:
    """The meals planned to start between ``now`` and ``now + horizon`` that would be pushed
    past their window (over by more than ``slack`` after the planned end), each with the
    moves that would free them: who could swap a break, who could take calls."""
    risks: list[MealRisk] = []
    for day in days:
        for meal in day.activities:
            if meal.kind is not PlanKind.MEAL or not now <= meal.start <= now + horizon:
                continue
            length = meal.end - meal.start
            window_end = meal.end + slack
            projected: datetime | None = None
            candidate = meal.start
            while candidate + length <= window_end + slack:
                moved = Activity(PlanKind.MEAL, candidate, candidate + length)
                if not _short(
                    days,
                    required,
                    interval,
                    candidate,
                    candidate + length,
                    (day.agent_id, meal, moved),
                ):
                    projected = candidate
                    break
                candidate += STEP
            if projected is not None and projected + length <= window_end:
                continue
            risks.append(
                MealRisk(
                    agent_id=day.agent_id,
                    name=day.name,
                    meal=meal,
                    window_end=window_end,
                    projected_start=projected,
                    moves=tuple(_moves(days, day, meal)),
                )
            )
    return risks


def _moves(days: Sequence[AgentDay], owner: AgentDay, meal: Activity) -> list[Move]:
    """Who could swap a break away from the meal, and who could take calls then."""
    moves: list[Move] = []
    for day in days:
        if day.agent_id == owner.agent_id:
            continue
        for activity in day.activities:
            if activity.end <= meal.start or activity.start >= meal.end:
                continue
            if activity.kind is PlanKind.BREAK:
                moves.append(
                    Move(MoveKind.SWAP_BREAK, day.agent_id, day.name, activity.start, activity.end)
                )
            elif activity.kind in (PlanKind.TRAINING, PlanKind.MEETING):
                moves.append(
                    Move(MoveKind.TAKE_CALLS, day.agent_id, day.name, activity.start, activity.end)
                )
        # Someone whose shift ends before the meal or starts after it could cover it.
        if day.shift_end <= meal.start or day.shift_start >= meal.end:
            gap = min(abs(meal.start - day.shift_end), abs(day.shift_start - meal.end))
            if gap <= timedelta(hours=1):
                moves.append(
                    Move(MoveKind.TAKE_CALLS, day.agent_id, day.name, meal.start, meal.end)
                )
    return moves
