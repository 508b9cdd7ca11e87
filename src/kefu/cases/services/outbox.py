"""Outbound messages that could not be delivered: marked failed once, with the reason
shown to the agent on the case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kefu.cases.events import case_event_record
from kefu.cases.models import Message

_FAILABLE = ("queued", "sending")


@transaction.atomic
def message_delivery_fail(*, message_id: int, reason: str, at: datetime) -> bool:
    """Mark the outbound message failed with ``reason`` and note it on its case.

    Compare-and-swap from queued or sending, so two workers giving up at once
    leave one event. Returns whether this call marked it (False: it was already
    sent, failed, or never queued). Nothing retries a failed message.
    """
    reason = " ".join(reason.split())[:300] or "unknown error"
    updated = Message.objects.filter(pk=message_id, delivery_status__in=_FAILABLE).update(
        delivery_status="failed", delivery_error=reason
    )
    if updated != 1:
        return False
    message = Message.objects.select_related("case").get(pk=message_id)
    case_event_record(
        case=message.case,
        kind="delivery_failed",
        at=at,
        actor=None,
        channel=message.channel,
        attempts=message.delivery_attempts,
        reason=reason,
    )
    return True
