"""Core's own recurring jobs: housekeeping that keeps the tables small."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from kefu.core import clock, services
from kefu.core.models import ScheduledJob

HOUSEKEEPING = "core.housekeeping"


@clock.register(HOUSEKEEPING)
def housekeeping(job: ScheduledJob, now: datetime) -> None:
    """Drop expired sessions and login failures older than a day. Idempotent."""
    Session.objects.filter(expire_date__lt=now).delete()
    services.login_failures_prune(before=now - timedelta(days=1))


def ensure_core_jobs(*, now: datetime | None = None) -> None:
    """Make sure core's recurring jobs exist (kept if already scheduled)."""
    start = now or timezone.now()
    ScheduledJob.objects.get_or_create(
        key=HOUSEKEEPING,
        defaults={
            "kind": HOUSEKEEPING,
            "due_at": start,
            "repeat_seconds": int(timedelta(hours=1).total_seconds()),
        },
    )
