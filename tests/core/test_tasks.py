"""Background tasks through Django's tasks API, on the database queue and on Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from kefu.core import services
from kefu.core.models import Notification, User

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("KEFU_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_available() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False
    return True


def _send(agent: User) -> Notification:
    return services.notification_send(
        recipient=agent,
        subject="工单 KF-1 已升级",
        body="请尽快处理。",
        link="/cases/1/",
        at=timezone.now(),
    )


def test_notification_is_emailed_by_the_database_worker(agent: User) -> None:
    notification = _send(agent)
    from django.core.management import call_command

    call_command("worker", "--burst")

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert "/cases/1/" in mail.outbox[0].body


def test_running_the_email_task_twice_sends_once(agent: User) -> None:
    from kefu.core.tasks import notification_email

    notification = _send(agent)

    first = notification_email.call(notification_id=notification.pk)
    second = notification_email.call(notification_id=notification.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


@pytest.fixture
def rq_backend() -> Iterator[str]:
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI needs it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    queue = f"kefu-test-{uuid.uuid4().hex[:8]}"
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue, "default"]}}
    rq_queues = {queue: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}}
    # django_tasks resets its backends when TASKS changes (setting_changed).
    with override_settings(TASKS=tasks, RQ_QUEUES=rq_queues, TASKS_BACKEND="redis"):
        assert type(task_backends["default"]).__name__ == "RQBackend"
        yield queue


def test_notification_travels_through_redis_to_an_rq_worker(agent: User, rq_backend: str) -> None:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    from kefu.core.tasks import notification_email

    notification = _send(agent)
    result = notification_email.using(queue_name=rq_backend).enqueue(
        notification_id=notification.pk
    )
    queue = django_rq.get_queue(rq_backend)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert result.id
