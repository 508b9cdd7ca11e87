"""Who gets a case: the pure core of routing (no Django).

``choose`` takes the team's agents as plain candidates (where each one is, their
skills and load), the case's requirements and the team's policy, and returns a
``Decision``: the agent and why ("least loaded among 4 with 漏水"), or no agent
and why the case waits ("nobody with English on shift").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILLS_FIRST = "skills_first"


class Presence(StrEnum):
    """Where an agent is now, as routing sees it."""

    AVAILABLE = "available"  # on shift, signed in, not on a break or leave
    OFF_SHIFT = "off_shift"
    ON_BREAK = "on_break"
    ON_LEAVE = "on_leave"
    SIGNED_OUT = "signed_out"


class Code(StrEnum):
    """Why a decision went as it did; ``reasons.py`` says it in words."""

    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILLED = "skilled"  # least loaded among those with the skills
    FALLBACK = "fallback"  # nobody with the skills after N minutes: least loaded in the team
    STICKY_OPEN = "sticky_open"  # the agent who owns the customer's open case
    STICKY_LAST = "sticky_last"  # the agent who served the customer last
    LEAD = "lead"  # a threat or over-heads case: to the team lead, as escalation does
    # Waiting: nobody was given the case.
    NO_AGENTS = "no_agents"
    NOBODY_ON_SHIFT = "nobody_on_shift"
    NOBODY_AVAILABLE = "nobody_available"
    NO_SKILL = "no_skill"
    AT_CAPACITY = "at_capacity"


WAITING_CODES = frozenset(
    {Code.NO_AGENTS, Code.NOBODY_ON_SHIFT, Code.NOBODY_AVAILABLE, Code.NO_SKILL, Code.AT_CAPACITY}
)

# Open cases weigh by priority against an agent's capacity.
PRIORITY_WEIGHT = {"low": 1, "normal": 1, "high": 2, "urgent": 3}


@dataclass(frozen=True)
class Requirement:
    kind: str
    value: str
    level: int = 1

    def met_by(self, skills: Mapping[tuple[str, str], int]) -> bool:
        return skills.get((self.kind, self.value), 0) >= self.level


@dataclass(frozen=True)
class Candidate:
    agent_id: int
    presence: Presence
    skills: Mapping[tuple[str, str], int] = field(default_factory=dict)
    load: int = 0  # open cases weighted by priority
    channel_open: int = 0  # open cases on the case's channel


@dataclass(frozen=True)
class Policy:
    method: Method
    capacity: int
    channel_capacity: int | None = None  # None: no limit for this channel
    last_agent_id: int | None = None  # round robin's pointer
    fallen_back: bool = False  # skills first, and the case has waited past the fallback
    sticky_open_id: int | None = None  # the agent of the customer's open case
    sticky_last_id: int | None = None  # the agent who served the customer last


@dataclass(frozen=True)
class Decision:
    agent_id: int | None
    code: Code
    count: int = 0  # how many agents it was chosen among
    requirements: tuple[Requirement, ...] = ()
    missing: tuple[Requirement, ...] = ()  # requirements no available agent meets
    absent: Mapping[str, int] = field(default_factory=dict)  # presence -> count

    @property
    def is_waiting(self) -> bool:
        return self.agent_id is None


def has_room(candidate: Candidate, policy: Policy) -> bool:
    if candidate.load >= policy.capacity:
        return False
    return policy.channel_capacity is None or candidate.channel_open < policy.channel_capacity


def _least_loaded(pool: Sequence[Candidate]) -> Candidate:
    return min(pool, key=lambda c: (c.load, c.channel_open, c.agent_id))


def _round_robin(pool: Sequence[Candidate], last_agent_id: int | None) -> Candidate:
    ordered = sorted(pool, key=lambda c: c.agent_id)
    if last_agent_id is not None:
        for candidate in ordered:
            if candidate.agent_id > last_agent_id:
                return candidate
    return ordered[0]


def choose(
    candidates: Sequence[Candidate], requirements: Sequence[Requirement], policy: Policy
) -> Decision:
    """The agent for the case, or why nobody.

    Order: only available agents; a returning customer's agent first (open case,
    then last served) when available with room; then, for skills first, those who
    meet every requirement (the whole team once ``fallen_back``); then only those
    with room; then round robin or least loaded.
    """
    needs = tuple(requirements)
    if not candidates:
        return Decision(None, Code.NO_AGENTS, requirements=needs)
    available = [c for c in candidates if c.presence == Presence.AVAILABLE]
    if not available:
        absent: dict[str, int] = {}
        for candidate in candidates:
            absent[candidate.presence] = absent.get(candidate.presence, 0) + 1
        everyone_off = absent.get(Presence.OFF_SHIFT, 0) == len(candidates)
        code = Code.NOBODY_ON_SHIFT if everyone_off else Code.NOBODY_AVAILABLE
        return Decision(None, code, requirements=needs, absent=absent)
    with_room = [c for c in available if has_room(c, policy)]
    for sticky_id, code in (
        (policy.sticky_open_id, Code.STICKY_OPEN),
        (policy.sticky_last_id, Code.STICKY_LAST),
    ):
        sticky = next((c for c in with_room if c.agent_id == sticky_id), None)
        if sticky is not None:
            return Decision(sticky.agent_id, code, count=1, requirements=needs)
    pool = available
    skilled = policy.method == Method.SKILLS_FIRST and bool(needs) and not policy.fallen_back
    if skilled:
        pool = [c for c in available if all(need.met_by(c.skills) for need in needs)]
        if not pool:
            missing = tuple(
                need for need in needs if not any(need.met_by(c.skills) for c in available)
            )
            return Decision(None, Code.NO_SKILL, requirements=needs, missing=missing or needs)
    pool = [c for c in pool if has_room(c, policy)]
    if not pool:
        return Decision(None, Code.AT_CAPACITY, count=len(available), requirements=needs)
    if policy.method == Method.ROUND_ROBIN:
        chosen = _round_robin(pool, policy.last_agent_id)
        return Decision(chosen.agent_id, Code.ROUND_ROBIN, count=len(pool), requirements=needs)
    chosen = _least_loaded(pool)
    if skilled:
        code = Code.SKILLED
    elif policy.method == Method.SKILLS_FIRST and needs:
        code = Code.FALLBACK
    else:
        code = Code.LEAST_LOADED
    return Decision(chosen.agent_id, code, count=len(pool), requirements=needs)
