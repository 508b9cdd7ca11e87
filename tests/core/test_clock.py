"""The clock loop: due rows claimed by compare-and-swap, safe to run twice, restart-proof."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kefu.core import clock
from kefu.core.models import ScheduledJob

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 9, 9, 0, tzinfo=SH)
calls: list[tuple[str, datetime]] = []


@clock.register("test.record")
def record(job: ScheduledJob, now: datetime) -> None:
    calls.append((job.key, now))


@clock.register("test.explode")
def explode(job: ScheduledJob, now: datetime) -> None:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _reset_calls() -> Iterator[None]:
    calls.clear()
    yield
    calls.clear()


def test_only_due_jobs_run_and_finish() -> None:
    clock.job_schedule(kind="test.record", key="due", due_at=T0)
    clock.job_schedule(kind="test.record", key="later", due_at=T0 + timedelta(hours=1))

    result = clock.tick(now=T0)

    assert result.ran == 1
    assert calls == [("due", T0)]
    assert ScheduledJob.objects.get(key="due").done_at == T0
    assert ScheduledJob.objects.get(key="later").done_at is None


def test_running_twice_does_not_repeat_a_finished_job() -> None:
    clock.job_schedule(kind="test.record", key="once", due_at=T0)

    clock.tick(now=T0)
    clock.tick(now=T0 + timedelta(minutes=1))

    assert [key for key, _ in calls] == ["once"]


def test_a_claimed_job_cannot_be_claimed_again_until_its_lease_expires() -> None:
    clock.job_schedule(kind="test.record", key="leased", due_at=T0)

    first = clock.claim_next(now=T0)
    second = clock.claim_next(now=T0 + timedelta(minutes=1))
    after_crash = clock.claim_next(now=T0 + clock.LEASE + timedelta(seconds=1))

    assert first is not None
    assert second is None
    assert after_crash is not None
    assert after_crash.pk == first.pk


def test_a_failing_job_is_pushed_back_and_keeps_its_error() -> None:
    clock.job_schedule(kind="test.explode", key="bad", due_at=T0)
    clock.job_schedule(kind="test.record", key="good", due_at=T0)

    result = clock.tick(now=T0)
    bad = ScheduledJob.objects.get(key="bad")

    assert (result.ran, result.failed) == (1, 1)
    assert bad.due_at is not None
    assert bad.due_at > T0
    assert "boom" in bad.last_error
    assert bad.done_at is None


def test_a_repeating_job_moves_forward_keeping_its_phase() -> None:
    clock.job_schedule(kind="test.record", key="hourly", due_at=T0, repeat=timedelta(hours=1))

    clock.tick(now=T0 + timedelta(hours=3, minutes=10))
    job = ScheduledJob.objects.get(key="hourly")

    assert len(calls) == 1
    assert job.due_at == T0 + timedelta(hours=4)
    assert job.done_at is None


def test_an_unknown_kind_is_reported_not_silently_skipped() -> None:
    clock.job_schedule(kind="test.nobody", key="orphan", due_at=T0)

    result = clock.tick(now=T0)

    assert result.failed == 1
    assert "no clock handler" in ScheduledJob.objects.get(key="orphan").last_error


def test_clocks_once_runs_what_is_due_at_the_given_instant() -> None:
    clock.job_schedule(kind="test.record", key="cli", due_at=T0)
    out = StringIO()

    call_command("clocks", "--once", "--now", "2026-10-09T09:00+08:00", stdout=out)

    assert calls == [("cli", T0)]
    assert "2026-10-09T09:00:00+08:00" in out.getvalue()


def test_clocks_once_rejects_a_bad_instant() -> None:
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("clocks", "--once", "--now", "next tuesday")


def test_clocks_once_exits_non_zero_when_a_job_fails() -> None:
    clock.job_schedule(kind="test.explode", key="bad-cli", due_at=T0)

    with pytest.raises(CommandError):
        call_command("clocks", "--once", "--now", T0.isoformat(), stdout=StringIO())


def test_housekeeping_is_scheduled_and_prunes_old_login_failures() -> None:
    from kefu.core.models import LoginFailure

    now = timezone.now() + timedelta(minutes=1)
    LoginFailure.objects.create(username="x", ip_address="10.0.0.1", at=now - timedelta(days=3))
    LoginFailure.objects.create(username="y", ip_address="10.0.0.1", at=now)

    call_command("clocks", "--once", "--now", now.isoformat(), stdout=StringIO())

    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["y"]
    next_due = ScheduledJob.objects.get(key="core.housekeeping").due_at
    assert next_due is not None
    assert next_due > now
