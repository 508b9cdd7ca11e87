"""Week schedules for named agents with breaks and meals inside the model. Pure: no Django.

``rules``  inputs, ``check()`` (infeasible rules explained before solving);
``model``  the CP-SAT model and ``solve()``;
``check``  ``validate()`` (independent re-check), coverage, delivered service level.

``solve`` is imported on first use: OR-Tools brings pandas and numpy (about a
second and 80 MiB), which every process that loads the URLconf would pay for
otherwise (the web workers, ``kefu ingest-email`` as a mail-server pipe).
"""

from typing import TYPE_CHECKING, Any

from kefu.workforce.scheduling.check import coverage, delivered_service_level, validate
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

if TYPE_CHECKING:
    from kefu.workforce.scheduling.model import solve


def __getattr__(name: str) -> Any:
    if name == "solve":
        from kefu.workforce.scheduling.model import solve

        return solve
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
