"""Routing's clock job: every minute, try again the cases waiting in a team queue
(an agent started their shift, came back from a break, or the skills fallback is
due). Safe to run twice: ``route_case`` re-reads each case and gives it only
while nobody owns it."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.routing.services import route_waiting_due

RETRY_JOB = "routing.retry"


@clock.register(RETRY_JOB, every=timedelta(minutes=1))
def retry_waiting(job: ScheduledJob, now: datetime) -> None:
    route_waiting_due(now=now)
