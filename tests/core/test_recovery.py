"""Processes that heal: after a database error the clock loop and the worker drop the
dead connection, back off, and give up (non-zero) after a bounded run of failures."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, ProgrammingError
from django.test import override_settings
from django.utils import timezone

from kefu.core import clock, recovery, services
from kefu.core.clocks import CLOCK_HEARTBEAT
from kefu.core.models import ScheduledJob, User
from tests.core.dead_database import dead_connection

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 9, 9, 0, tzinfo=SH)
ran: list[str] = []


def test_retry_delay_doubles_from_one_second_up_to_the_cap() -> None:
    assert [recovery.retry_delay(n, cap=30) for n in range(8)] == [
        0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0,
    ]  # fmt: skip
    assert recovery.retry_delay(10_000, cap=30) == 30.0


def test_a_failure_run_gives_up_at_the_limit_and_a_success_starts_it_again() -> None:
    run = recovery.FailureRun(limit=3, cap=30)
    assert [run.failed(), run.failed()] == [1.0, 2.0]
    run.succeeded()
    assert [run.failed(), run.failed(), run.failed()] == [1.0, 2.0, None]


def test_run_restarting_starts_again_after_database_errors_with_growing_pauses() -> None:
    attempts: list[int] = []
    pauses: list[float] = []

    def run() -> None:
        attempts.append(1)
        if len(attempts) <= 3:
            raise OperationalError("server closed the connection unexpectedly")

    assert recovery.run_restarting(
        run, what="test", failure_limit=5, retry_max_seconds=3, sleep=pauses.append
    )
    assert len(attempts) == 4
    assert pauses == [1.0, 2.0, 3.0]


def test_run_restarting_gives_up_after_the_limit_of_failures_in_a_row() -> None:
    pauses: list[float] = []

    def run() -> None:
        raise OperationalError("connection refused")

    assert not recovery.run_restarting(
        run, what="test", failure_limit=4, retry_max_seconds=30, sleep=pauses.append
    )
    assert pauses == [1.0, 2.0, 4.0]


def test_run_restarting_counts_again_after_a_run_that_had_been_working() -> None:
    times = iter([0.0, 1.0, 2.0, 100.0, 100.0, 101.0, 101.0, 101.5])
    pauses: list[float] = []
    attempts: list[int] = []

    def run() -> None:
        attempts.append(1)
        if len(attempts) <= 3:
            raise OperationalError("connection refused")

    assert recovery.run_restarting(
        run,
        what="test",
        failure_limit=3,
        retry_max_seconds=30,
        sleep=pauses.append,
        clock=lambda: next(times),
    )
    # The second run lasted 98 s before it failed: a new run of failures, not the third.
    assert pauses == [1.0, 1.0, 2.0]


def test_run_restarting_lets_other_errors_through() -> None:
    def run() -> None:
        raise ProgrammingError('relation "core_user" does not exist')

    with pytest.raises(ProgrammingError):
        recovery.run_restarting(run, what="test", failure_limit=3, retry_max_seconds=1)


@clock.register("test.heal")
def heal(job: ScheduledJob, now: datetime) -> None:
    ran.append(job.key)
    LOOP.stop()


LOOP = clock.ClockLoop(idle_seconds=0.01, failure_limit=5, retry_max_seconds=0.01)


@pytest.mark.django_db
def test_clock_loop_drops_a_dead_connection_and_runs_what_fell_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before: the loop kept the dead connection and failed every tick for good."""
    ran.clear()
    clock.job_schedule(kind="test.heal", key="breach-1", due_at=timezone.now())
    LOOP.stopping.clear()
    LOOP.started = False

    with dead_connection(monkeypatch) as dead:
        status = LOOP.run()

    assert status == 0
    assert ran == ["breach-1"]
    assert dead.refused >= 1
    assert dead.closed >= 1
    assert ScheduledJob.objects.get(key="breach-1").done_at is not None
    # The first round after the outage also wrote the heartbeat /healthz reads.
    assert ScheduledJob.objects.get(key=CLOCK_HEARTBEAT).last_run_at is not None


@pytest.mark.django_db
def test_clock_loop_exits_non_zero_when_the_database_stays_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop = clock.ClockLoop(idle_seconds=0.01, failure_limit=4, retry_max_seconds=0.01)
    with dead_connection(monkeypatch, closes_needed=None) as dead:
        status = loop.run()

    assert status == recovery.EXIT_GAVE_UP
    assert loop.failures.count == 4
    assert dead.refused == 4


@pytest.mark.django_db
def test_kefu_clocks_exits_75_with_the_reason_after_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recovery, "retry_delay", lambda failures, cap: 0.0)
    with (
        override_settings(PROCESS_FAILURE_LIMIT=3, CLOCK_IDLE_SECONDS=1, LANGUAGE_CODE="en"),
        dead_connection(monkeypatch, closes_needed=None) as dead,
        pytest.raises(CommandError, match="3 tries in a row") as raised,
    ):
        call_command("clocks", stdout=StringIO())
    assert raised.value.returncode == 75
    assert dead.refused == 3


@pytest.mark.django_db(transaction=True)
@override_settings(PROCESS_RETRY_MAX_SECONDS=1)
def test_worker_on_a_dead_connection_starts_again_and_sends_the_queued_notice(
    agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the database queue's worker exited on the first database error (its own
    reconnect, before each poll, found the server still down)."""
    notification = services.notification_send(
        recipient=agent, subject="工单 KF-7 已升级", body="请处理。", link="/cases/7/", at=T0
    )

    with dead_connection(monkeypatch, closes_needed=3) as dead:
        call_command("worker", "--burst")

    assert dead.refused >= 1
    assert dead.closed >= 3
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[agent.email]]


@pytest.mark.django_db(transaction=True)
@override_settings(PROCESS_FAILURE_LIMIT=2, PROCESS_RETRY_MAX_SECONDS=1, LANGUAGE_CODE="en")
def test_worker_exits_75_when_the_database_stays_away(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        dead_connection(monkeypatch, closes_needed=None) as dead,
        pytest.raises(CommandError, match="starts the worker again") as raised,
    ):
        call_command("worker", "--burst")
    assert raised.value.returncode == 75
    assert dead.refused >= 2


@pytest.mark.django_db
def test_a_job_the_database_cut_short_runs_at_the_next_tick_not_after_its_lease(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database dies while a job runs, so even its error handler cannot write and
    the job keeps its five-minute lease: the loop gives the lease back once the
    database answers again, and the job runs in that round."""
    ran.clear()
    now = timezone.now()
    clock.job_schedule(kind="test.heal", key="cut-short", due_at=now)
    loop = clock.ClockLoop(idle_seconds=0.01, failure_limit=5, retry_max_seconds=0.01)
    loop.started = True
    real_run_job = clock.run_job

    def database_dies(job: ScheduledJob, *, now: datetime) -> bool:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(clock, "run_job", database_dies)
    with pytest.raises(OperationalError):
        loop.run_once()
    held = ScheduledJob.objects.get(key="cut-short")
    assert held.locked_until is not None
    assert held.locked_until > timezone.now()  # leased for minutes
    assert [job.key for job in loop.held] == ["cut-short"]

    monkeypatch.setattr(clock, "run_job", real_run_job)
    result = loop.run_once()

    assert result.ran == 1
    assert ran == ["cut-short"]
    assert ScheduledJob.objects.get(key="cut-short").done_at is not None
    assert loop.held == []
