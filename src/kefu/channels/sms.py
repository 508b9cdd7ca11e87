"""Sending an outbound message as SMS through an HTTP gateway.

The gateway takes ``{"to", "text", "reference"}`` as JSON, optionally with
``Authorization: Bearer <key>``, and answers with its message id (``id`` or
``message_id``).
"""

from __future__ import annotations

from django.conf import settings

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Message
from kefu.channels.http_post import post_json
from kefu.customers.models import Contact


def has_phone(contact: Contact) -> bool:
    """Whether the contact has a number an SMS can go to."""
    return bool(contact.phone)


def send_sms(message: Message) -> str:
    """Deliver ``message`` by SMS; returns ``sms:<gateway id>`` ("" if none was given)."""
    contact = message.contact or message.case.contact
    # The same key on every attempt: a resend after a worker died mid-send is recognisable.
    return _post(contact, message.body, message.case.reference, key=f"message-{message.pk}")


def send_sms_notice(notice: Notice) -> str:
    """Deliver a notice that belongs to no case by SMS; ``sms:<gateway id>``."""
    return _post(notice.contact, notice.body, notice.reference, key=notice.key)


def _post(contact: Contact, text: str, reference: str, key: str = "") -> str:
    url: str = settings.KEFU_SMS_GATEWAY_URL
    if not url:
        raise DeliveryError(
            "KEFU_SMS_GATEWAY_URL is not set", permanent=True, code=FailureCode.NOT_CONFIGURED
        )
    if not contact.phone:
        raise DeliveryError(
            "the contact has no phone number", permanent=True, code=FailureCode.NO_ADDRESS
        )
    api_key: str = settings.KEFU_SMS_GATEWAY_KEY
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    payload = {"to": contact.phone, "text": text, "reference": reference}
    if key:
        # Lets a gateway that deduplicates recognise a resend after a crash.
        payload["client_reference"] = key
    answer = post_json(url, payload, headers=headers)
    gateway_id = answer.get("id") or answer.get("message_id")
    # Prefixed: external ids are unique across every channel.
    return f"sms:{gateway_id}" if gateway_id else ""
