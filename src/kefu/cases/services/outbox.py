"""Outbound messages that could not be delivered: marked failed once, with the reason
shown to the agent on the case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from kefu.cases.delivery import FailureCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Message

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


@transaction.atomic
def message_fall_back(*, message_id: int, at: datetime) -> Message | None:
    """Send a failed outbound message again on the contact's next reachable channel.

    For failures that say the channel is closed to this contact for now
    (``delivery.FALLBACK_CODES``: WeChat's reply window), not for a wrong
    address. As an agent's resend does: the failed message reads "resent" and
    the new one points at it; the SLA clocks are not touched. Returns the new
    message, or None when no other channel reaches the contact (the failure
    stays for the agent), the message carries files (those go by e-mail, by
    hand), or another worker already did it.
    """
    from kefu.cases import delivery
    from kefu.cases.tasks import deliver_message

    message = Message.objects.select_related("case", "case__contact").get(pk=message_id)
    if message.attachments.exists():
        return None
    contact = message.contact or message.case.contact
    others = [c for c in delivery.reachable_channels(contact) if c != message.channel]
    if not others:
        return None
    claimed = Message.objects.filter(pk=message.pk, delivery_status="failed").update(
        delivery_status="resent"
    )
    if claimed != 1:
        return None
    resend = Message.objects.create(
        case=message.case,
        direction=Message.Direction.OUTBOUND,
        channel=others[0],
        author=message.author,
        contact=contact,
        body=message.body,
        created_at=at,
        delivery_status="queued",
        resent_from=message,
    )
    Case.objects.filter(pk=message.case_id).update(version=F("version") + 1, updated_at=at)
    case_event_record(
        case=message.case,
        kind="resent",
        at=at,
        actor=None,
        channel=others[0],
        from_channel=message.channel,
        message=resend.pk,
        resent_from=message.pk,
    )
    transaction.on_commit(lambda: deliver_message.enqueue(message_id=resend.pk))
    return resend
