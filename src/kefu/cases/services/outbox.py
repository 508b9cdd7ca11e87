"""Outbound messages that could not be delivered: marked failed once, with the reason
shown to the agent on the case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kefu.cases.delivery import FailureCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Message

_FAILABLE = ("queued", "sending")


@transaction.atomic
def message_delivery_fail(*, message_id: int, reason: str, at: datetime, code: str = "") -> bool:
    """Mark the outbound message failed with ``reason`` (the technical detail, for
    administrators) and ``code`` (a ``delivery.FailureCode``, what the agent reads,
    rendered at read time) and note it on its case.

    Compare-and-swap from queued or sending, so two workers giving up at once
    leave one event. Returns whether this call marked it (False: it was already
    sent, failed, or never queued). Nothing retries a failed message on
    its own; the agent resends it (``message_resend``).
    """
    reason = " ".join(reason.split())[:300] or "unknown error"
    updated = Message.objects.filter(pk=message_id, delivery_status__in=_FAILABLE).update(
        delivery_status="failed",
        delivery_error=reason,
        delivery_error_code=code or FailureCode.REJECTED,
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
        code=code or FailureCode.REJECTED,
        message=message.pk,
    )
    return True
