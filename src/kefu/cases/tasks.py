"""Background side effects of the desk: delivering outbound messages."""

from __future__ import annotations

import logging

from django_tasks import task

from kefu.cases import delivery
from kefu.cases.models import Message

logger = logging.getLogger(__name__)


@task()
def deliver_message(*, message_id: int) -> str:
    """Send one outbound message through its channel's adapter; returns the new status.

    Idempotent: the message is claimed (queued -> sending) with a compare-and-swap,
    so a second run of the same task sends nothing. A temporary failure puts it
    back to queued and raises, so the worker's retry sends it later.
    """
    claimed = Message.objects.filter(pk=message_id, delivery_status="queued").update(
        delivery_status="sending"
    )
    if not claimed:
        return "skipped"
    message = Message.objects.select_related("case", "contact").get(pk=message_id)
    adapter = delivery.adapter_for(message.channel)
    if adapter is None:
        Message.objects.filter(pk=message_id).update(delivery_status="failed")
        logger.error("no adapter for channel %s (message %s)", message.channel, message_id)
        return "failed"
    try:
        external_id = adapter(message)
    except delivery.DeliveryError as exc:
        status = "failed" if exc.permanent else "queued"
        Message.objects.filter(pk=message_id).update(delivery_status=status)
        if exc.permanent:
            logger.warning("message %s not delivered: %s", message_id, exc)
            return "failed"
        raise
    Message.objects.filter(pk=message_id).update(
        delivery_status="sent", external_id=external_id or None
    )
    return "sent"
