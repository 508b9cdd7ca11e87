"""What ``/healthz`` reports: the database, the task queue's lag, the clock loop's last tick.

Each check is cheap (one indexed query, or one Redis round trip) so a load
balancer may ask every few seconds. A check that cannot be made counts as failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection

from kefu.core.clocks import CLOCK_HEARTBEAT
from kefu.core.models import ScheduledJob
from kefu.core.recovery import DATABASE_ERRORS, connections_drop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class HealthReport:
    database: Check
    queue: Check
    queue_lag_seconds: float | None
    clock: Check
    clock_last_tick: datetime | None

    @property
    def is_healthy(self) -> bool:
        return self.database.ok and self.queue.ok and self.clock.ok


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS as exc:
        # The next request should try a fresh connection, not this dead one.
        connections_drop()
        return Check(ok=False, detail=type(exc).__name__)
    return Check(ok=True)


def _oldest_queued(now: datetime) -> datetime | None:
    """When the oldest task still waiting for a worker was queued (None: none waits)."""
    if settings.TASKS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        oldest: datetime | None = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        return oldest
    if settings.TASKS_BACKEND == "redis":
        import django_rq

        found: list[datetime] = []
        for name in settings.TASKS["default"].get("QUEUES", ["default"]):
            queue = django_rq.get_queue(name)
            # The head of the queue is the oldest; a job may vanish while looking.
            for job_id in queue.get_job_ids(0, 4):
                job = queue.fetch_job(job_id)
                if job is not None and job.enqueued_at is not None:
                    queued = job.enqueued_at
                    found.append(queued if queued.tzinfo else queued.replace(tzinfo=UTC))
                    break
        return min(found, default=None)
    return None  # Tasks run inline: there is no queue.


def _queue(now: datetime) -> tuple[Check, float | None]:
    try:
        oldest = _oldest_queued(now)
    except Exception as exc:  # A queue that cannot be read is a failed check, not a 500.
        logger.warning("health: the task queue cannot be read: %s", exc)
        return Check(ok=False, detail=type(exc).__name__), None
    lag = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
    if lag > settings.HEALTH_QUEUE_MAX_LAG_SECONDS:
        return Check(ok=False, detail="lagging"), lag
    return Check(ok=True), lag


def _clock(now: datetime) -> tuple[Check, datetime | None]:
    last = (
        ScheduledJob.objects.filter(key=CLOCK_HEARTBEAT)
        .values_list("last_run_at", flat=True)
        .first()
    )
    if last is None:
        return Check(ok=False, detail="never"), None
    if (now - last).total_seconds() > settings.HEALTH_CLOCK_MAX_AGE_SECONDS:
        return Check(ok=False, detail="stale"), last
    return Check(ok=True), last


def health_report(*, now: datetime) -> HealthReport:
    """Check the database, then (if it answers) the queue and the clock loop at ``now``."""
    database = _database()
    if not database.ok:
        unknown = Check(ok=False, detail="database")
        return HealthReport(database, unknown, None, unknown, None)
    try:
        queue, lag = _queue(now)
        clock, last_tick = _clock(now)
    except DATABASE_ERRORS as exc:
        connections_drop()
        lost = Check(ok=False, detail=type(exc).__name__)
        return HealthReport(lost, lost, None, lost, None)
    return HealthReport(database, queue, lag, clock, last_tick)
