"""Week schedules for named agents with breaks and meals inside the model. Pure: no Django.

``rules``  inputs, ``check()`` (infeasible rules explained before solving);
``model``  the CP-SAT model and ``solve()``;
``check``  ``validate()`` (independent re-check), coverage, delivered service level.
"""

from kefu.workforce.scheduling.check import coverage, delivered_service_level, validate
from kefu.workforce.scheduling.model import solve
from kefu.workforce.scheduling.rules import (
    Activity,
    ActivityRule,
    AgentContract,
    Rules,
    ScheduleInputError,
    ScheduleResult,
    ShiftPlan,
    check,
)

__all__ = [
    "Activity",
    "ActivityRule",
    "AgentContract",
    "Rules",
    "ScheduleInputError",
    "ScheduleResult",
    "ShiftPlan",
    "check",
    "coverage",
    "delivered_service_level",
    "solve",
    "validate",
]
