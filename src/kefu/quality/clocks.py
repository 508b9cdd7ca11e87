"""The quality app's recurring clock jobs; each handler calls one service and is
safe to run twice (surveys are one per case, alarms one per series and period)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.quality import services
from kefu.quality.models import WarningAlarm


@clock.register("quality.csat_send", every=timedelta(minutes=10))
def csat_send(job: ScheduledJob, now: datetime) -> None:
    services.surveys_send_due(at=now)


@clock.register("quality.warning_daily", every=timedelta(days=1))
def warning_daily(job: ScheduledJob, now: datetime) -> None:
    services.warnings_evaluate(at=now, period=WarningAlarm.Period.DAY)


@clock.register("quality.warning_weekly", every=timedelta(days=7))
def warning_weekly(job: ScheduledJob, now: datetime) -> None:
    services.warnings_evaluate(at=now, period=WarningAlarm.Period.WEEK)


@clock.register("quality.digest", every=timedelta(days=7))
def weekly_digest(job: ScheduledJob, now: datetime) -> None:
    services.digest_send(at=now)
