"""Pure core: an agent's emotional exposure over one shift, from the coach's readings
of the contacts they handled. No Django.

The seed's team lead calls it the "辣" of the job: upset customers, threats and
abuse land on the agent, who needs a break or a spell off complaints to manage
it (情绪管理). This is a signal for the agent first and a suggestion for the lead,
never a measure of the agent: QA and discipline never read it
(tests/floor/test_practices_exposure.py checks their code paths).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# Weights of what a contact brought, and where the levels begin (points per shift).
UPSET_POINTS = 1
RISK_POINTS = 1
THREAT_POINTS = 3
ABUSE_POINTS = 3
HIGH_RISK = 0.7
RAISED_AT = 4
HIGH_AT = 8


class Level(StrEnum):
    LOW = "low"
    RAISED = "raised"
    HIGH = "high"


class Suggestion(StrEnum):
    BREAK = "break"
    ROTATE_OFF_COMPLAINTS = "rotate_off_complaints"


@dataclass(frozen=True)
class ContactReading:
    """What the coach read in one customer message the agent handled."""

    upset: bool
    threat: bool
    abuse: bool
    escalation_risk: float | None
    complaint: bool = False


@dataclass(frozen=True)
class Exposure:
    contacts: int
    upset: int
    threats: int
    abuse: int
    high_risk: int
    complaints: int
    points: int
    level: Level
    suggestions: tuple[Suggestion, ...]


def exposure_of(
    readings: Sequence[ContactReading], *, previous_level: Level | None = None
) -> Exposure:
    """The shift's exposure and, when it is high, what the lead might offer: a break,
    and a rotation off complaints when most of the load came from complaints or the
    previous shift was already raised or high."""
    upset = sum(r.upset for r in readings)
    threats = sum(r.threat for r in readings)
    abuse = sum(r.abuse for r in readings)
    risky = sum(1 for r in readings if (r.escalation_risk or 0.0) >= HIGH_RISK)
    complaints = sum(r.complaint for r in readings)
    points = (
        upset * UPSET_POINTS + risky * RISK_POINTS + threats * THREAT_POINTS + abuse * ABUSE_POINTS
    )
    level = Level.HIGH if points >= HIGH_AT else Level.RAISED if points >= RAISED_AT else Level.LOW
    suggestions: list[Suggestion] = []
    if level is Level.HIGH:
        suggestions.append(Suggestion.BREAK)
        heavy = complaints * 2 >= max(1, len(readings))
        if heavy or previous_level in (Level.RAISED, Level.HIGH):
            suggestions.append(Suggestion.ROTATE_OFF_COMPLAINTS)
    return Exposure(
        contacts=len(readings),
        upset=upset,
        threats=threats,
        abuse=abuse,
        high_risk=risky,
        complaints=complaints,
        points=points,
        level=level,
        suggestions=tuple(suggestions),
    )
