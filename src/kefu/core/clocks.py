"""Core's own recurring jobs: housekeeping that keeps the tables small."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session

from kefu.core import alert_services, clock, services
from kefu.core.models import ScheduledJob

HOUSEKEEPING = "core.housekeeping"


@clock.register(HOUSEKEEPING, every=timedelta(hours=1))
def housekeeping(job: ScheduledJob, now: datetime) -> None:
    """Drop expired sessions and login failures older than a day. Idempotent."""
    Session.objects.filter(expire_date__lt=now).delete()
    services.login_failures_prune(before=now - timedelta(days=1))


CLOCK_HEARTBEAT = "core.clock_heartbeat"
HEARTBEAT_EVERY = timedelta(seconds=30)


@clock.register(CLOCK_HEARTBEAT, every=HEARTBEAT_EVERY)
def clock_heartbeat(job: ScheduledJob, now: datetime) -> None:
    """Nothing to do: the row's ``last_run_at`` is the clock loop's last tick, which
    ``/healthz`` reports (one row rewritten every 30 s, read by its unique key)."""


STAFF_ALERTS = "core.staff_alerts"


@clock.register(STAFF_ALERTS, every=timedelta(seconds=30))
def staff_alerts_retry(job: ScheduledJob, now: datetime) -> None:
    """Send the staff alerts that are due again after a failure (or whose task never
    ran). Safe to run twice: each row is claimed before it is sent."""
    alert_services.staff_alerts_deliver_due(now=now)
