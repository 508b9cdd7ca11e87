"""Background side effects of the desk: delivering outbound messages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from kefu.cases import delivery
from kefu.cases.models import Message

logger = logging.getLogger(__name__)


@task()
def deliver_message(*, message_id: int) -> str:
    """Send one outbound message through its channel's adapter; returns the new status.

    Idempotent: the message is claimed (queued -> sending) with a compare-and-swap,
    so a second run of the same task sends nothing. Each claim counts an attempt. A
    temporary failure (or an unexpected error) puts it back to queued with the
    reason and raises, so the redelivery clock sends it later; a permanent failure,
    or the ``KEFU_DELIVERY_MAX_ATTEMPTS``-th one, marks it failed with the reason
    shown on the case, and nothing retries it.
    """
    # Imported here: the services import this module (to queue deliveries).
    from kefu.cases.services.outbox import message_delivery_fail, message_fall_back

    limit: int = settings.KEFU_DELIVERY_MAX_ATTEMPTS
    claimed = Message.objects.filter(
        pk=message_id, delivery_status="queued", delivery_attempts__lt=limit
    ).update(delivery_status="sending", delivery_attempts=F("delivery_attempts") + 1)
    if not claimed:
        # Still queued with no attempt left: the worker stopped mid-send each time.
        exhausted = Message.objects.filter(
            pk=message_id, delivery_status="queued", delivery_attempts__gte=limit
        ).values_list("delivery_error", "delivery_error_code")
        for previous, previous_code in exhausted:
            reason = previous or f"the worker stopped while sending, {limit} times"
            message_delivery_fail(
                message_id=message_id,
                reason=reason,
                at=timezone.now(),
                code=previous_code or delivery.FailureCode.INTERRUPTED,
            )
            return "failed"
        return "skipped"
    message = Message.objects.select_related("case", "contact").get(pk=message_id)
    adapter = delivery.adapter_for(message.channel)
    if adapter is None:
        logger.error("no adapter for channel %s (message %s)", message.channel, message_id)
        reason = f"no adapter for channel {message.channel}"
        message_delivery_fail(
            message_id=message_id,
            reason=reason,
            at=timezone.now(),
            code=delivery.FailureCode.NO_ADAPTER,
        )
        return "failed"
    try:
        external_id = adapter(message)
    except Exception as exc:
        permanent = isinstance(exc, delivery.DeliveryError) and exc.permanent
        reason = str(exc) if isinstance(exc, delivery.DeliveryError) else _describe(exc)
        code = (
            exc.code
            if isinstance(exc, delivery.DeliveryError)
            else delivery.FailureCode.UNAVAILABLE
        )
        if permanent or message.delivery_attempts >= limit:
            logger.warning("message %s not delivered: %s", message_id, reason)
            message_delivery_fail(
                message_id=message_id, reason=reason, at=timezone.now(), code=code
            )
            if permanent and code in delivery.FALLBACK_CODES:
                # Closed to this contact for now (WeChat's window): the next channel.
                message_fall_back(message_id=message_id, at=timezone.now())
            return "failed"
        Message.objects.filter(pk=message_id, delivery_status="sending").update(
            delivery_status="queued", delivery_error=reason[:300], delivery_error_code=code
        )
        raise
    Message.objects.filter(pk=message_id).update(
        delivery_status="sent",
        external_id=external_id or None,
        delivery_error="",
        delivery_error_code="",
    )
    return "sent"


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
