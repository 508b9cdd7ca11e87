"""Sending an outbound message as SMS through an HTTP gateway.

The gateway takes ``{"to", "text", "reference"}`` as JSON, optionally with
``Authorization: Bearer <key>``, and answers with its message id (``id`` or
``message_id``).
"""

from __future__ import annotations

from django.conf import settings

from kefu.cases.delivery import DeliveryError
from kefu.cases.models import Message
from kefu.channels.http_post import post_json
from kefu.customers.models import Contact


def has_phone(contact: Contact) -> bool:
    """Whether the contact has a number an SMS can go to."""
    return bool(contact.phone)


def send_sms(message: Message) -> str:
    """Deliver ``message`` by SMS; returns ``sms:<gateway id>`` ("" if none was given)."""
    url: str = settings.KEFU_SMS_GATEWAY_URL
    if not url:
        raise DeliveryError("KEFU_SMS_GATEWAY_URL is not set", permanent=True)
    contact = message.contact or message.case.contact
    if not contact.phone:
        raise DeliveryError("the contact has no phone number", permanent=True)
    key: str = settings.KEFU_SMS_GATEWAY_KEY
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    answer = post_json(
        url,
        {"to": contact.phone, "text": message.body, "reference": message.case.reference},
        headers=headers,
    )
    gateway_id = answer.get("id") or answer.get("message_id")
    # Prefixed: external ids are unique across every channel.
    return f"sms:{gateway_id}" if gateway_id else ""
