"""The clock loop: time-based work is rows with a due time, claimed with a compare-and-swap.

Each source of due rows registers a ``ClockHandler`` for a job ``kind``. The
loop claims one due row at a time by moving its lease (``locked_until``)
forward in an UPDATE that re-checks the old lease, so two loops never run the
same row, and a loop that dies mid-job leaves a lease that simply expires.
Handlers must be safe to run twice.

The handlers live in each app's clock modules (``clock_modules`` on its
``AppConfig``), imported by :func:`load_handlers` when a job is first looked up
or scheduled as recurring, not at start-up: only the processes that run jobs
need them (a mail pipe started once per mail does not).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from types import FrameType

from django.apps import apps
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kefu.core.models import ScheduledJob
from kefu.core.recovery import EXIT_GAVE_UP, FailureRun, connections_drop

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)

Handler = Callable[[ScheduledJob, datetime], None]
_HANDLERS: dict[str, Handler] = {}
_RECURRING: dict[str, timedelta] = {}
_loaded = False


def register(kind: str, *, every: timedelta | None = None) -> Callable[[Handler], Handler]:
    """Register the handler for jobs of ``kind`` (decorator).

    With ``every``, the job is recurring: one row keyed ``kind`` is kept
    scheduled (``ensure_recurring``) and runs at that interval.
    """

    def decorate(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        if every is not None:
            _RECURRING[kind] = every
        return handler

    return decorate


def load_handlers() -> None:
    """Import every installed app's ``clock_modules`` (once), registering their handlers."""
    global _loaded
    if _loaded:
        return
    for config in apps.get_app_configs():
        for module in getattr(config, "clock_modules", ()):
            import_module(f"{config.name}.{module}")
    _loaded = True


def ensure_recurring(*, now: datetime) -> None:
    """Create the row of every registered recurring job that has none yet. Two clock
    loops starting at once may both find a row missing: the unique key keeps one, and
    the other's insert is skipped rather than crashing its loop."""
    load_handlers()
    existing = set(ScheduledJob.objects.filter(key__in=_RECURRING).values_list("key", flat=True))
    ScheduledJob.objects.bulk_create(
        (
            ScheduledJob(kind=kind, key=kind, due_at=now, repeat_seconds=int(every.total_seconds()))
            for kind, every in _RECURRING.items()
            if kind not in existing
        ),
        ignore_conflicts=True,
    )


def handler_for(kind: str) -> Handler | None:
    load_handlers()
    return _HANDLERS.get(kind)


def job_schedule(
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, object] | None = None,
    repeat: timedelta | None = None,
) -> ScheduledJob:
    """Create or move the job named ``key`` so it falls due at ``due_at``.

    Re-scheduling a finished job makes it pending again. ``repeat`` makes the
    job recur: after each run it moves forward by that interval.
    """
    job, _created = ScheduledJob.objects.update_or_create(
        key=key,
        defaults={
            "kind": kind,
            "due_at": due_at,
            "payload": payload or {},
            "repeat_seconds": int(repeat.total_seconds()) if repeat else None,
            "done_at": None,
            "locked_until": None,
        },
    )
    return job


def job_cancel(*, key: str, at: datetime) -> bool:
    """Mark the pending job ``key`` done without running it; returns whether one was pending."""
    return bool(ScheduledJob.objects.filter(key=key, done_at__isnull=True).update(done_at=at))


def _due(now: datetime) -> Q:
    return Q(done_at__isnull=True, due_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )


def claim_next(*, now: datetime, lease: timedelta = LEASE) -> ScheduledJob | None:
    """Claim the earliest due job, or return None when nothing is due."""
    for job in ScheduledJob.objects.filter(_due(now)).order_by("due_at", "pk")[:10]:
        claimed = (
            ScheduledJob.objects.filter(pk=job.pk)
            .filter(_due(now))
            .update(locked_until=now + lease, attempts=F("attempts") + 1)
        )
        if claimed == 1:
            job.refresh_from_db()
            return job
    return None


def _advance(job: ScheduledJob, now: datetime) -> dict[str, object]:
    if job.repeat_seconds and job.due_at is not None:
        step = timedelta(seconds=job.repeat_seconds)
        next_due = job.due_at + step
        if next_due <= now:
            # Skip the runs missed while nothing was running, keeping the phase.
            missed = (now - next_due) // step + 1
            next_due += step * missed
        return {"due_at": next_due, "done_at": None}
    return {"done_at": now}


def run_job(job: ScheduledJob, *, now: datetime) -> bool:
    """Run one claimed job; returns whether it succeeded.

    On success the job is finished or, if it repeats, moved forward. On an
    error the job is pushed back with a growing delay and the error is kept,
    so one bad row cannot become a crash loop.
    """
    handler = handler_for(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no clock handler registered for kind {job.kind!r}")
        with transaction.atomic():
            handler(job, now)
            changes = _advance(job, now)
            ScheduledJob.objects.filter(pk=job.pk).update(
                locked_until=None, last_run_at=now, last_error="", attempts=0, **changes
            )
    except Exception as exc:
        logger.exception("clock job %s (%s) failed", job.key, job.kind)
        delay = min(timedelta(seconds=30) * 2 ** min(job.attempts, 12), MAX_BACKOFF)
        ScheduledJob.objects.filter(pk=job.pk).update(
            locked_until=None,
            due_at=now + delay,
            last_run_at=now,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    return True


@dataclass(frozen=True)
class TickResult:
    ran: int
    failed: int


def tick(
    *, now: datetime, limit: int = 10_000, holding: list[ScheduledJob] | None = None
) -> TickResult:
    """Run every job due at ``now`` once (up to ``limit``), then return.

    A job that fails is pushed past ``now`` and so is not retried in the same
    tick; a repeating job moves past ``now`` and so runs once. ``holding``, when
    given, holds the job being run while it runs: if the database dies under it,
    even the error handler cannot write, and the caller releases the lease once
    the database is back (see ``release_leases``).
    """
    ran = failed = 0
    seen: set[int] = set()
    while ran + failed < limit:
        job = claim_next(now=now)
        if job is None or job.pk in seen:
            break
        seen.add(job.pk)
        if holding is not None:
            holding[:] = [job]
        ok = run_job(job, now=now)
        if holding is not None:
            holding.clear()
        if ok:
            ran += 1
        else:
            failed += 1
    return TickResult(ran=ran, failed=failed)


def release_leases(jobs: list[ScheduledJob]) -> int:
    """Give back the leases of ``jobs`` (claimed by this loop, whose run the database
    cut short) so they run at the next tick instead of after the lease; a lease that
    moved on meanwhile (another loop took the job) is left alone."""
    released = 0
    for job in jobs:
        released += ScheduledJob.objects.filter(pk=job.pk, locked_until=job.locked_until).update(
            locked_until=None
        )
    jobs.clear()
    return released


class ClockLoop:
    """Run ``tick`` forever, sleeping when idle, until SIGTERM or SIGINT.

    A failed tick (the database restarting, a dropped connection) closes the
    connections so the next tick opens a fresh one, and waits 1, 2, 4 ... seconds
    up to ``retry_max_seconds``. After ``failure_limit`` failed ticks in a row
    ``run`` returns ``EXIT_GAVE_UP`` so that the supervisor starts a new loop.
    """

    def __init__(
        self, *, idle_seconds: float, failure_limit: int = 20, retry_max_seconds: float = 30
    ) -> None:
        self.idle_seconds = idle_seconds
        self.failures = FailureRun(limit=failure_limit, cap=retry_max_seconds)
        self.stopping = threading.Event()
        self.started = False
        self.held: list[ScheduledJob] = []

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self.stopping.set()

    def run_once(self) -> TickResult:
        """One round: create missing recurring rows on the first one, then ``tick``."""
        now = timezone.now()
        if self.held:
            release_leases(self.held)
        if not self.started:
            ensure_recurring(now=now)
            self.started = True
        return tick(now=now, limit=100, holding=self.held)

    def run(self) -> int:
        """Loop until stopped (returns 0) or until the database stays out of reach
        (returns ``EXIT_GAVE_UP``)."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("clock loop started")
        while not self.stopping.is_set():
            try:
                result = self.run_once()
            except Exception:
                # The connection is dead for good once the server restarted: only a
                # new one works, so close it rather than failing every tick after.
                connections_drop()
                delay = self.failures.failed()
                if delay is None:
                    logger.exception(
                        "clock tick failed %d times in a row; exiting", self.failures.count
                    )
                    return EXIT_GAVE_UP
                logger.exception(
                    "clock tick failed (%d in a row); next try in %.0f s",
                    self.failures.count,
                    delay,
                )
                self.stopping.wait(delay)
                continue
            self.failures.succeeded()
            if (result.ran == 0 and result.failed == 0) or result.failed:
                self.stopping.wait(self.idle_seconds)
        logger.info("clock loop stopped")
        return 0
