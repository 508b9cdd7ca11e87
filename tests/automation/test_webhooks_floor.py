"""Floor events reach outbound webhooks: signed, with ids, codes and instants only."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from kefu.automation.models import WebhookDelivery
from kefu.automation.webhooks import EVENTS, FLOOR_EVENTS, webhook_deliver, webhook_save
from kefu.core.models import User
from kefu.floor import services
from tests.automation.test_webhooks import Receiver, receiver  # noqa: F401 - the fixture
from tests.floor.builders import Floor, at, make_floor

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor(db: None) -> Floor:
    return make_floor()


def _subscribe(admin: User, url: str, events: list[str]) -> str:
    subscription = webhook_save(
        actor=admin, name="排班系统", url=url, events=events, at=at("08:00")
    )
    return subscription.secret


def test_floor_events_can_be_chosen_by_a_subscription() -> None:
    assert set(FLOOR_EVENTS) <= set(EVENTS)
    assert {"floor.hand_raised", "floor.break_started", "floor.leave_recorded"} <= set(EVENTS)


def test_receiver_gets_a_signed_hand_raised_event_without_the_note(
    admin: User,
    floor: Floor,
    receiver: tuple[Receiver, str],  # noqa: F811
) -> None:
    state, url = receiver
    secret = _subscribe(admin, url, ["floor.hand_raised", "floor.hand_answered"])
    agent = floor.agents[0]

    hand = services.hand_raise(actor=agent, note="客户要求退款超权限", at=at("10:00"))
    delivery = WebhookDelivery.objects.get(event="floor.hand_raised")
    outcome = webhook_deliver(delivery_id=delivery.pk, now=at("10:00"))

    assert outcome == "delivered"
    ((headers, body),) = state.requests
    assert headers["x-kefu-event"] == "floor.hand_raised"
    assert headers["x-kefu-event-id"] == delivery.event_id
    signed = headers["x-kefu-timestamp"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert headers["x-kefu-signature"] == f"sha256={expected}"
    data = json.loads(body)["data"]
    assert data == {
        "hand": hand.pk,
        "agent": agent.pk,
        "team": floor.team.pk,
        "case": None,
        "raised_at": at("10:00").isoformat(),
        "acknowledged_at": None,
        "acknowledged_by": None,
        "closed_at": None,
    }
    assert "退款" not in body.decode()
    assert agent.username not in body.decode()


def test_hand_answered_and_lowered_are_published_once_each(admin: User, floor: Floor) -> None:
    webhook_save(
        actor=admin,
        name="看板",
        url="https://board.example.com/hook",
        events=["floor.hand_answered", "floor.hand_lowered"],
        at=at("08:00"),
    )
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))

    services.hand_acknowledge(actor=floor.lead, hand=hand, at=at("10:01"))
    services.hand_acknowledge(actor=floor.lead, hand=hand, at=at("10:02"))  # harmless again
    services.hand_close(actor=floor.lead, hand=hand, at=at("10:05"))

    events = list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == ["floor.hand_answered", "floor.hand_lowered"]
    answered = WebhookDelivery.objects.get(event="floor.hand_answered")
    assert answered.payload["acknowledged_by"] == floor.lead.pk
    assert datetime.fromisoformat(answered.payload["acknowledged_at"]) == at("10:01")


def test_break_started_and_ended_carry_the_kind_not_the_reason(admin: User, floor: Floor) -> None:
    webhook_save(
        actor=admin,
        name="排班系统",
        url="https://wfm.example.com/hook",
        events=["floor.break_started", "floor.break_ended"],
        at=at("08:00"),
    )
    agent = floor.agents[0]

    started = services.break_start(actor=agent, kind="special", reason="身体不适", at=at("09:30"))
    services.break_end(actor=agent, at=at("09:40"))

    start, end = WebhookDelivery.objects.order_by("pk")
    assert (start.event, end.event) == ("floor.break_started", "floor.break_ended")
    assert start.payload == {
        "state": started.pk,
        "agent": agent.pk,
        "kind": "special_break",
        "is_planned": False,
        "started_at": at("09:30").isoformat(),
        "ended_at": None,
    }
    assert end.payload["state"] == started.pk
    assert datetime.fromisoformat(end.payload["ended_at"]) == at("09:40")
    assert "身体不适" not in json.dumps(start.payload, ensure_ascii=False)


def test_leave_recorded_says_away_not_why(admin: User, floor: Floor) -> None:
    webhook_save(
        actor=admin,
        name="排班系统",
        url="https://wfm.example.com/hook",
        events=["floor.leave_recorded"],
        at=at("08:00"),
    )
    agent = floor.agents[0]

    leave = services.leave_request(
        actor=agent,
        kind="sick",
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 4),
        note="发烧",
        at=at("08:30"),
    )

    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "floor.leave_recorded"
    assert delivery.payload == {
        "leave": leave.pk,
        "agent": agent.pk,
        "status": "approved",
        "start_date": "2026-03-03",
        "end_date": "2026-03-04",
    }


def test_no_subscription_to_floor_events_queues_nothing(admin: User, floor: Floor) -> None:
    webhook_save(
        actor=admin,
        name="ERP",
        url="https://erp.example.com/hook",
        events=["case.opened"],
        at=at("08:00"),
    )

    services.hand_raise(actor=floor.agents[0], at=at("10:00"))

    assert not WebhookDelivery.objects.exists()


def test_the_webhook_page_offers_the_floor_events(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(admin).get(reverse("automation:webhooks")).content.decode()

    for code in FLOOR_EVENTS:
        assert f'value="{code}"' in page
