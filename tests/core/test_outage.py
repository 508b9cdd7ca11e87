"""While the database is out of reach: pages answer a translated 503, the API a JSON
503, both with Retry-After; ``/healthz`` says what is wrong, without signing in."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from kefu.core.models import User
from kefu.core.tasks import notification_email
from kefu.core.views import server_error
from tests.core.dead_database import dead_connection

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 9, 9, 0, tzinfo=SH)


def _signed_in(user: User, language: str | None = None) -> Client:
    # The session is loaded by a middleware, outside any view: before, Django's
    # plain 500 handler answered.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if language:
        client.cookies["kefu_language"] = language
    return client


def test_a_page_during_an_outage_is_a_translated_503_with_retry_after(
    agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _signed_in(agent)
    with dead_connection(monkeypatch, closes_needed=None):
        response = client.get("/cases/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "数据库暂时无法访问，请稍后再试。" in page
    assert 'lang="zh-hans"' in page


def test_the_outage_page_follows_the_chosen_language(
    agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _signed_in(agent, language="en")
    with dead_connection(monkeypatch, closes_needed=None):
        response = client.get("/")

    assert response.status_code == 503
    assert "The database is not available right now; try again in a moment." in (
        response.content.decode()
    )


def test_the_api_during_an_outage_answers_json_503(
    agent: User, bearer_for: Callable[[User], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = bearer_for(agent)
    client = Client(raise_request_exception=False, headers=headers)
    with dead_connection(monkeypatch, closes_needed=None):
        response = client.get("/api/v1/cases")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"


def test_the_next_page_after_the_outage_is_served_normally(
    agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _signed_in(agent)
    with dead_connection(monkeypatch, closes_needed=1):
        assert client.get("/cases/").status_code == 503
        # The 503 closed the failed connection: the next request opens a new one.
        assert client.get("/cases/").status_code == 200


def _ticked(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        call_command("clocks", "--once", stdout=StringIO())


def test_healthz_is_200_with_every_check_when_the_clock_ticked_and_nothing_waits() -> None:
    _ticked(T0)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "detail": ""},
        "queue": {"ok": True, "detail": "", "lag_seconds": 0.0},
        "clock": {"ok": True, "detail": "", "last_tick": T0.astimezone(UTC).isoformat()},
    }


def test_healthz_is_503_when_the_clock_loop_has_not_ticked_for_five_minutes() -> None:
    _ticked(T0)
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
        response = Client().get("/healthz")
        for_balancer = Client().get("/healthz?check=database")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["clock"] == {
        "ok": False,
        "detail": "stale",
        "last_tick": T0.astimezone(UTC).isoformat(),
    }
    # A load balancer judges a web process by the database alone.
    assert for_balancer.status_code == 200
    assert for_balancer.json()["clock"]["ok"] is False


def test_healthz_is_503_when_no_clock_loop_ever_ran() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["clock"] == {"ok": False, "detail": "never", "last_tick": None}


def test_healthz_reports_the_age_of_the_oldest_task_waiting_for_a_worker(agent: User) -> None:
    _ticked(T0 + timedelta(minutes=9))
    with time_machine.travel(T0, tick=False):
        notification_email.enqueue(notification_id=1)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["queue"] == {"ok": False, "detail": "lagging", "lag_seconds": 600.0}


def test_healthz_is_503_with_the_database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    with dead_connection(monkeypatch, closes_needed=None):
        response = Client().get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": False, "detail": "OperationalError"}
    assert body["clock"]["ok"] is False


def test_healthz_refuses_an_unknown_check_and_says_which_are_known() -> None:
    response = Client(headers={"Cookie": "kefu_language=en"}).get("/healthz?check=redis")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_check"
    assert "expected 'database'" in response.json()["message"]


def test_healthz_reads_the_lag_of_the_rq_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    url = os.environ.get("KEFU_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url}; CI needs it")
        pytest.skip(f"Redis is not reachable at {url}")
    import django_rq

    queue_name = f"kefu-health-{uuid.uuid4().hex[:8]}"
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue_name]}}
    with override_settings(
        TASKS=tasks, RQ_QUEUES={queue_name: {"URL": url}}, TASKS_BACKEND="redis"
    ):
        try:
            _ticked(T0 + timedelta(minutes=9))
            with time_machine.travel(T0, tick=False):
                notification_email.using(queue_name=queue_name).enqueue(notification_id=1)
            with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
                response = Client().get("/healthz")
        finally:
            django_rq.get_queue(queue_name).delete(delete_jobs=True)

    assert response.status_code == 200
    assert response.json()["queue"] == {"ok": True, "detail": "", "lag_seconds": 240.0}


def test_an_error_other_than_the_database_stays_django_s_500() -> None:
    request = RequestFactory().get("/cases/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Retry-After" not in response
