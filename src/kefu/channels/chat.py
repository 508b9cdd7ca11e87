"""The chat/IM channel: signed webhook messages in, signed posts out.

Both directions are signed with HMAC-SHA256 over the exact body bytes and a
shared secret (``KEFU_CHAT_WEBHOOK_SECRET``), sent as
``X-Kefu-Signature: sha256=<hex>``. A conversation's messages thread into
its open case; once that case is resolved or closed, the next message opens
a new one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Case, Message
from kefu.cases.services import case_open, message_receive
from kefu.channels.contacts import contact_for_im_handle
from kefu.channels.email_in import follow_merges
from kefu.channels.errors import ChannelErrorCode, SignatureError
from kefu.channels.http_post import post_bytes
from kefu.channels.models import ChatConversation
from kefu.channels.signing import is_valid, sign
from kefu.customers.models import Contact

SIGNATURE_HEADER = "X-Kefu-Signature"
_SUBJECT_LENGTH = 80


@dataclass(frozen=True)
class ChatIncoming:
    message_id: str
    conversation_id: str
    handle: str
    name: str
    language: str | None
    text: str
    sent_at: datetime


@dataclass(frozen=True)
class ChatResult:
    """Where one chat message went. ``is_duplicate``: seen before; nothing was stored."""

    case: Case
    message: Message
    is_duplicate: bool


def chat_verify(*, body: bytes, signature: str | None) -> None:
    """Raise ``SignatureError`` unless ``signature`` signs ``body`` with the shared secret.

    With no secret configured every request is refused.
    """
    secret: str = settings.KEFU_CHAT_WEBHOOK_SECRET
    if not secret:
        raise SignatureError(
            ChannelErrorCode.WEBHOOK_NOT_CONFIGURED,
            _("The chat webhook is not configured: KEFU_CHAT_WEBHOOK_SECRET is not set."),
        )
    if not is_valid(secret, body, signature):
        raise SignatureError(
            ChannelErrorCode.BAD_SIGNATURE,
            _("The X-Kefu-Signature header is missing or does not match the body."),
        )


def chat_receive(*, incoming: ChatIncoming, at: datetime) -> ChatResult:
    """Store one chat message on its conversation's open case, or open a case.

    The message is dated ``sent_at`` (never later than ``at``, the time it
    arrived). The same ``message_id`` twice returns the first result and
    stores nothing.
    """
    external_id = f"chat:{incoming.message_id}"
    repeat = _repeat_of(external_id)
    if repeat is not None:
        return repeat
    try:
        with transaction.atomic():
            return _store(incoming, external_id=external_id, at=at)
    except IntegrityError:
        # The chat platform retried while the first delivery was being stored.
        repeat = _repeat_of(external_id)
        if repeat is None:
            raise
        return repeat


def _repeat_of(external_id: str) -> ChatResult | None:
    earlier = Message.objects.select_related("case").filter(external_id=external_id).first()
    if earlier is None:
        return None
    return ChatResult(case=earlier.case, message=earlier, is_duplicate=True)


def _store(incoming: ChatIncoming, *, external_id: str, at: datetime) -> ChatResult:
    contact = contact_for_im_handle(
        handle=incoming.handle,
        name=incoming.name,
        language=incoming.language,
        text=incoming.text,
        at=at,
    )
    sent_at = min(incoming.sent_at, at)
    conversation = (
        ChatConversation.objects.select_related("case")
        .filter(conversation_id=incoming.conversation_id)
        .first()
    )
    case = follow_merges(conversation.case) if conversation is not None else None
    if case is not None and case.is_open:
        message = message_receive(
            case=case,
            contact=contact,
            body=incoming.text,
            channel="chat",
            at=sent_at,
            external_id=external_id,
        )
        return ChatResult(case=case, message=message, is_duplicate=False)
    first_line = incoming.text.strip().splitlines()[0] if incoming.text.strip() else ""
    case = case_open(
        actor=None,
        contact=contact,
        subject=first_line[:_SUBJECT_LENGTH],
        body=incoming.text,
        channel="chat",
        at=sent_at,
        external_id=external_id,
    )
    ChatConversation.objects.update_or_create(
        conversation_id=incoming.conversation_id, defaults={"case": case, "updated_at": at}
    )
    message = Message.objects.get(external_id=external_id)
    return ChatResult(case=case, message=message, is_duplicate=False)


def has_im_handle(contact: Contact) -> bool:
    """Whether the contact can be reached on chat."""
    return bool(contact.im_handle)


def send_chat(message: Message) -> str:
    """Post ``message`` to the chat platform; returns ``chat:<its id>`` ("" if none given)."""
    case = message.case
    contact = message.contact or case.contact
    conversation = (
        ChatConversation.objects.filter(case=case).values_list("conversation_id", flat=True).first()
    )
    return _post_chat(
        contact,
        text=message.body,
        reference=case.reference,
        message_id=f"kefu-{message.pk}",
        conversation=conversation,
    )


def send_chat_notice(notice: Notice) -> str:
    """Post a notice that belongs to no case to the contact's chat."""
    return _post_chat(
        notice.contact,
        text=notice.body,
        reference=notice.reference,
        message_id=f"kefu-{notice.key}",
        conversation=None,
    )


def _post_chat(
    contact: Contact, *, text: str, reference: str, message_id: str, conversation: str | None
) -> str:
    url: str = settings.KEFU_CHAT_OUTBOUND_URL
    secret: str = settings.KEFU_CHAT_WEBHOOK_SECRET
    if not url or not secret:
        raise DeliveryError(
            "KEFU_CHAT_OUTBOUND_URL and KEFU_CHAT_WEBHOOK_SECRET must both be set",
            permanent=True,
            code=FailureCode.NOT_CONFIGURED,
        )
    if not contact.im_handle:
        raise DeliveryError(
            "the contact has no IM handle", permanent=True, code=FailureCode.NO_ADDRESS
        )
    body = json.dumps(
        {
            "message_id": message_id,
            "conversation_id": conversation,
            "recipient": {"handle": contact.im_handle, "name": contact.name},
            "text": text,
            "reference": reference,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    answer = post_bytes(url, body, headers={SIGNATURE_HEADER: sign(secret, body)})
    chat_id = answer.get("message_id") or answer.get("id")
    # The same prefix as inbound ids, so an echo of this message is recognised as a repeat.
    return f"chat:{chat_id}" if chat_id else ""
