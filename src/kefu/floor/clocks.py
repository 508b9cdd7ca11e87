"""The floor's recurring clock job: meal protection every five minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.floor.services.meals import meal_protection_run

MEAL_PROTECTION = "floor.meal_protection"


@clock.register(MEAL_PROTECTION, every=timedelta(minutes=5))
def meal_protection(job: ScheduledJob, now: datetime) -> None:
    """Look ahead for meals the traffic would push past their window. Idempotent."""
    meal_protection_run(at=now)
