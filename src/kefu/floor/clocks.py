"""The floor's clock jobs: meal protection every five minutes; hands and breaks that wait."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.floor.services import waits
from kefu.floor.services.meals import meal_protection_run

MEAL_PROTECTION = "floor.meal_protection"


@clock.register(MEAL_PROTECTION, every=timedelta(minutes=5))
def meal_protection(job: ScheduledJob, now: datetime) -> None:
    """Look ahead for meals the traffic would push past their window. Idempotent."""
    meal_protection_run(at=now)


@clock.register(waits.HAND_WAITING)
def hand_waiting(job: ScheduledJob, now: datetime) -> None:
    """A raised hand's alert time came: tell the lead's lead and the analysts if unanswered."""
    waits.hand_wait_check(hand_id=int(str(job.payload.get("hand", 0))), at=now)


@clock.register(waits.SPECIAL_BREAK_LONG)
def special_break_long(job: ScheduledJob, now: datetime) -> None:
    """A special break's check time came: ask the lead to look in if it goes on."""
    waits.special_break_check(state_id=int(str(job.payload.get("state", 0))), at=now)
