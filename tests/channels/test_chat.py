"""The chat webhook (signed, deduplicated, threaded by conversation) and chat out."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.models import Case, Message
from kefu.cases.services import customer_notice
from kefu.cases.tasks import deliver_message
from kefu.channels.models import ChatConversation
from kefu.customers.models import Contact
from tests.channels.builders import make_contact, open_case
from tests.channels.conftest import Endpoint

pytestmark = pytest.mark.django_db

URL = "/api/v1/channels/chat/messages"
SECRET = "chat-shared-secret-for-tests"


@pytest.fixture(autouse=True)
def _secret(settings: Settings) -> None:
    settings.KEFU_CHAT_WEBHOOK_SECRET = SECRET


def _signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "message_id": "wx-1001",
        "conversation_id": "conv-88",
        "sender": {"handle": "wxid_zhang", "name": "张先生"},
        "text": "电梯又停了\n三号楼",
        "sent_at": "2026-03-02T10:15:00+08:00",
    }
    payload.update(changes)
    return payload


def _post(client: Client, body: bytes, signature: str | None = "sign") -> Any:
    headers = {}
    if signature == "sign":
        headers["X-Kefu-Signature"] = _signature(body)
    elif signature is not None:
        headers["X-Kefu-Signature"] = signature
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def _body(**changes: Any) -> bytes:
    return json.dumps(_payload(**changes), ensure_ascii=False).encode()


def test_signed_message_opens_a_chat_case_for_a_new_contact(client: Client) -> None:
    response = _post(client, _body())

    case = Case.objects.get()
    contact = Contact.objects.get()
    message = Message.objects.get()
    assert response.status_code == 200
    assert response.json() == {"case": case.reference, "message_id": "wx-1001"}
    assert (case.channel, case.subject) == ("chat", "电梯又停了")
    assert (contact.im_handle, contact.name, contact.language) == (
        "wxid_zhang",
        "张先生",
        "zh-hans",
    )
    assert (message.external_id, message.body) == ("chat:wx-1001", "电梯又停了\n三号楼")
    assert ChatConversation.objects.get().case == case


def test_webhook_needs_no_csrf_token() -> None:
    response = _post(Client(enforce_csrf_checks=True), _body())

    assert response.status_code == 200


def test_next_message_of_the_conversation_threads_into_the_same_case(client: Client) -> None:
    first = _post(client, _body()).json()

    second = _post(client, _body(message_id="wx-1002", text="还没人来")).json()

    assert second["case"] == first["case"]
    assert Message.objects.count() == 2
    assert Contact.objects.count() == 1


def test_repeated_message_id_returns_the_same_answer_and_stores_nothing(client: Client) -> None:
    first = _post(client, _body())

    again = _post(client, _body())

    assert again.status_code == 200
    assert again.json() == first.json()
    assert Message.objects.count() == 1


def test_conversation_of_a_closed_case_opens_a_new_case(client: Client) -> None:
    first = _post(client, _body()).json()
    Case.objects.filter(reference=first["case"]).update(status=Case.Status.CLOSED)

    second = _post(client, _body(message_id="wx-2001")).json()

    assert second["case"] != first["case"]
    assert ChatConversation.objects.get().case.reference == second["case"]


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "sha256=wrong-secret"],
)
def test_missing_or_wrong_signature_is_401_and_stores_nothing(
    client: Client, signature: str | None
) -> None:
    body = _body()
    if signature == "sha256=wrong-secret":
        signature = _signature(body, secret="another-secret")

    response = _post(client, body, signature=signature)

    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"
    assert not Case.objects.exists()
    assert not Contact.objects.exists()
    assert not Message.objects.exists()


def test_signature_of_another_body_is_refused(client: Client) -> None:
    response = _post(client, _body(text="篡改后"), signature=_signature(_body()))

    assert response.status_code == 401
    assert not Message.objects.exists()


def test_unsigned_bad_json_is_refused_before_it_is_read(client: Client) -> None:
    response = _post(client, b"{not json", signature=None)

    assert response.status_code == 401


def test_webhook_without_a_configured_secret_refuses_everything(
    client: Client, settings: Settings
) -> None:
    settings.KEFU_CHAT_WEBHOOK_SECRET = ""
    body = _body()

    response = _post(client, body, signature=_signature(body, secret=""))

    assert response.status_code == 401
    assert response.json()["code"] == "webhook_not_configured"
    assert not Message.objects.exists()


def test_signed_bad_json_is_400(client: Client) -> None:
    response = _post(client, b"{not json")

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    "body",
    [
        {"unexpected": 1},
        {"sent_at": "2026-03-02T10:15:00"},
        {"text": ""},
        {"sender": {"name": "no handle"}},
    ],
)
def test_signed_body_with_wrong_fields_is_422(client: Client, body: dict[str, Any]) -> None:
    response = _post(client, _body(**body))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not Message.objects.exists()


def test_english_sender_language_is_kept(client: Client) -> None:
    sender = {"handle": "mary", "name": "Mary", "language": "en"}

    _post(client, _body(sender=sender, text="Lift stopped"))

    assert Contact.objects.get().language == "en"


def test_chat_out_posts_a_signed_message_and_keeps_the_platforms_id(
    client: Client, settings: Settings, endpoint: Endpoint
) -> None:
    settings.KEFU_CHAT_OUTBOUND_URL = endpoint.url
    endpoint.answer = b'{"message_id": "out-77"}'
    reference = _post(client, _body()).json()["case"]
    case = Case.objects.get(reference=reference)
    (notice,) = customer_notice(case=case, body="师傅已出发。", at=timezone.now(), author=None)

    status = deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    headers, body = endpoint.requests[0]
    sent = json.loads(body)
    assert status == "sent"
    assert notice.external_id == "chat:out-77"
    assert headers["X-Kefu-Signature"] == _signature(body)
    assert sent["conversation_id"] == "conv-88"
    assert sent["recipient"]["handle"] == "wxid_zhang"
    assert (sent["text"], sent["reference"]) == ("师傅已出发。", reference)


def test_chat_out_without_an_outbound_url_fails_permanently(settings: Settings) -> None:
    settings.KEFU_CHAT_OUTBOUND_URL = ""
    case = open_case(contact=make_contact(im_handle="wxid_li"), channel="chat")
    (notice,) = customer_notice(case=case, body="您好", at=timezone.now(), author=None)

    status = deliver_message.call(message_id=notice.pk)

    notice.refresh_from_db()
    assert (status, notice.delivery_status) == ("failed", "failed")
