"""SMS out through an HTTP gateway: the request, the gateway's id, permanent vs. retried."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.delivery import DeliveryError, reachable_channels
from kefu.cases.models import Message
from kefu.cases.services import customer_notice
from kefu.cases.tasks import deliver_message
from tests.channels.builders import make_contact, open_case
from tests.channels.conftest import Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(settings: Settings, endpoint: Endpoint) -> Message:
    settings.KEFU_SMS_GATEWAY_URL = endpoint.url
    settings.KEFU_SMS_GATEWAY_KEY = "gateway-key"
    case = open_case(contact=make_contact(phone="13912345678"), channel="phone")
    (message,) = customer_notice(
        case=case, body="师傅明早九点到。", at=timezone.now(), author=None, prefer="sms"
    )
    return message


def test_sms_is_posted_to_the_gateway_and_keeps_its_id(notice: Message, endpoint: Endpoint) -> None:
    status = deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    headers, _body = endpoint.requests[0]
    assert status == "sent"
    assert (notice.delivery_status, notice.external_id) == ("sent", "sms:gw-1")
    assert endpoint.json_bodies() == [
        {
            "to": "13912345678",
            "text": "师傅明早九点到。",
            "reference": notice.case.reference,
            # Stable per message: a gateway that deduplicates drops a resend after a crash.
            "client_reference": f"message-{notice.pk}",
        }
    ]
    assert headers["Authorization"] == "Bearer gateway-key"
    assert headers["Content-Type"].startswith("application/json")


def test_gateway_4xx_fails_the_message_for_good(notice: Message, endpoint: Endpoint) -> None:
    endpoint.status = 400
    endpoint.answer = b'{"error": "bad number"}'

    status = deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert (status, notice.delivery_status) == ("failed", "failed")
    assert len(endpoint.requests) == 1


@pytest.mark.parametrize("gateway_status", [500, 503, 429])
def test_gateway_5xx_or_throttling_queues_the_message_for_a_retry(
    notice: Message, endpoint: Endpoint, gateway_status: int
) -> None:
    endpoint.status = gateway_status

    with pytest.raises(DeliveryError) as caught:
        deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert not caught.value.permanent
    assert notice.delivery_status == "queued"


def test_unreachable_gateway_queues_the_message_for_a_retry(
    notice: Message, settings: Settings
) -> None:
    settings.KEFU_SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # nothing listens on discard

    with pytest.raises(DeliveryError):
        deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert notice.delivery_status == "queued"


def test_gateway_answer_without_an_id_still_counts_as_sent(
    notice: Message, endpoint: Endpoint
) -> None:
    endpoint.answer = b"accepted"

    status = deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert (status, notice.external_id) == ("sent", None)


def test_unconfigured_gateway_fails_permanently(notice: Message, settings: Settings) -> None:
    settings.KEFU_SMS_GATEWAY_URL = ""

    assert deliver_message.call(message_id=notice.pk) == "failed"


def test_channels_are_reachable_by_the_contacts_addresses() -> None:
    contact = make_contact(email="a@example.cn", phone="13900000000", im_handle="")

    assert set(reachable_channels(contact)) == {"email", "sms"}
    contact.im_handle = "wxid_a"
    assert "chat" in reachable_channels(contact)
    assert "phone" not in reachable_channels(contact)
