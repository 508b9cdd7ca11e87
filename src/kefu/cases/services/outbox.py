"""Outbound messages that could not be delivered: marked failed once, with the reason
shown to the agent on the case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from kefu.cases.delivery import FailureCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Message
from kefu.core import clock
from kefu.core.models import ScheduledJob

_FAILABLE = ("queued", "sending")
HELD_JOB = "cases.release_held"
HELD = "held"


def _held_key(message_id: int) -> str:
    return f"message:{message_id}:held"


def message_hold(*, message: Message, until: datetime) -> None:
    """Hold the queued outbound ``message`` for the contact's quiet hours: it reads
    ``held`` and a due row (``HELD_JOB``) releases it at ``until``. The redelivery
    job leaves held messages alone."""
    Message.objects.filter(pk=message.pk, delivery_status="queued").update(delivery_status=HELD)
    message.delivery_status = HELD
    clock.job_schedule(
        kind=HELD_JOB, key=_held_key(message.pk), due_at=until, payload={"message_id": message.pk}
    )


def message_held_until(message_id: int) -> datetime | None:
    """When the held ``message_id`` is released (its due row), or None."""
    job = ScheduledJob.objects.filter(key=_held_key(message_id), done_at__isnull=True).first()
    return job.due_at if job is not None else None


def message_release(*, message_id: int) -> bool:
    """The quiet hours are over: queue the held message and hand it to its channel.
    Compare-and-swap from held, so a second run sends nothing; returns whether this
    call released it."""
    from kefu.cases.tasks import deliver_message

    if not Message.objects.filter(pk=message_id, delivery_status=HELD).update(
        delivery_status="queued"
    ):
        return False
    transaction.on_commit(lambda: deliver_message.enqueue(message_id=message_id))
    return True


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
        purpose=message.purpose,
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
