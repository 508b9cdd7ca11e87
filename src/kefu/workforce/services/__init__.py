"""Every write of the workforce app: history import, forecasts, contracts, schedules.

The maths lives in the pure cores (``erlang``, ``forecasting``, ``scheduling``);
these services feed them from the database, store what they return and turn
their input errors into ``DomainError``s worded by ``messages.explain``.
"""

from kefu.workforce.services.contracts import contract_save, default_availability, team_agents
from kefu.workforce.services.demo import demo_load
from kefu.workforce.services.forecasts import forecast_run, queue_region
from kefu.workforce.services.history import ImportSummary, history_import_csv
from kefu.workforce.services.schedules import (
    DEFAULT_RULES,
    LOCAL,
    schedule_check,
    schedule_create,
    schedule_prepare,
    schedule_publish,
    schedule_solve,
    week_calls,
    week_requirements,
)

__all__ = [
    "DEFAULT_RULES",
    "LOCAL",
    "ImportSummary",
    "contract_save",
    "default_availability",
    "demo_load",
    "forecast_run",
    "history_import_csv",
    "queue_region",
    "schedule_check",
    "schedule_create",
    "schedule_prepare",
    "schedule_publish",
    "schedule_solve",
    "team_agents",
    "week_calls",
    "week_requirements",
]
