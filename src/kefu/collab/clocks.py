"""Clock handlers of collaboration: the check-in rhythm."""

from __future__ import annotations

from datetime import datetime

from kefu.collab.services import CHECK_IN_JOB, check_in_due
from kefu.core import clock
from kefu.core.models import ScheduledJob


@clock.register(CHECK_IN_JOB)
def check_in(job: ScheduledJob, now: datetime) -> None:
    check_in_due(case_id=int(job.payload["case_id"]), now=now)
