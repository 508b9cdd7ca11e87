"""Outbound webhooks: a local receiver gets a signed event, answers 500, gets the retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from kefu.automation.models import WebhookDelivery
from kefu.automation.webhooks import webhook_deliver, webhook_save
from kefu.core.models import Team, User
from tests.cases.builders import at, open_case

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_receiver_gets_a_signed_event_and_a_retry_after_a_500(
    admin: User, service_team: Team, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    subscription = webhook_save(
        actor=admin, name="ERP", url=url, events=["case.opened"], at=at("2026-03-02 09:00")
    )
    state.answers = [500]
    case = open_case(when="2026-03-02 10:00", team=service_team)
    delivery = WebhookDelivery.objects.get()

    first = webhook_deliver(delivery_id=delivery.pk, now=at("2026-03-02 10:00"))
    assert first == "retrying"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == at("2026-03-02 10:00") + timedelta(seconds=30)
    assert webhook_deliver(delivery_id=delivery.pk, now=at("2026-03-02 10:00:10")) == "skipped"
    second = webhook_deliver(delivery_id=delivery.pk, now=at("2026-03-02 10:00:30"))

    assert second == "delivered"
    assert len(state.requests) == 2
    (h1, _b1), (h2, b2) = state.requests
    assert h1["x-kefu-event-id"] == h2["x-kefu-event-id"] == delivery.event_id
    assert h2["x-kefu-event"] == "case.opened"
    signed = h2["x-kefu-timestamp"].encode() + b"." + b2
    expected = hmac.new(subscription.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert h2["x-kefu-signature"] == f"sha256={expected}"
    body = json.loads(b2)
    assert body["id"] == delivery.event_id
    assert body["data"]["case"]["reference"] == case.reference
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)


def test_the_retry_clock_enqueues_due_deliveries(
    admin: User, service_team: Team, receiver: tuple[Receiver, str], settings: object
) -> None:
    from kefu.automation.clocks import webhooks_retry
    from kefu.core.models import ScheduledJob

    state, url = receiver
    webhook_save(
        actor=admin, name="ERP", url=url, events=["case.opened"], at=at("2026-03-02 09:00")
    )
    state.answers = [503]
    open_case(when="2026-03-02 10:00", team=service_team)
    delivery = WebhookDelivery.objects.get()
    webhook_deliver(delivery_id=delivery.pk, now=at("2026-03-02 10:00"))

    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    import time_machine

    with time_machine.travel(at("2026-03-02 10:01"), tick=False):
        webhooks_retry(ScheduledJob(kind="automation.webhooks", key="x"), at("2026-03-02 10:01"))

    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert len(state.requests) == 2


def test_deliveries_are_listed_with_their_status(
    admin: User, service_team: Team, receiver: tuple[Receiver, str], client_for: object
) -> None:
    _state, url = receiver
    webhook_save(
        actor=admin, name="ERP", url=url, events=["case.opened"], at=at("2026-03-02 09:00")
    )
    open_case(when="2026-03-02 10:00", team=service_team)
    delivery = WebhookDelivery.objects.get()

    client: Client = client_for(admin)  # type: ignore[operator]
    page = client.get("/automation/webhooks/").content.decode()

    assert delivery.event_id in page
    assert "case.opened" in page


def test_unknown_event_is_refused(admin: User) -> None:
    from kefu.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        webhook_save(
            actor=admin,
            name="x",
            url="http://127.0.0.1/",
            events=["case.eaten"],
            at=at("2026-03-02 09:00"),
        )
    assert refused.value.code == "invalid_webhook"
