"""Background side effects of automation: one webhook delivery attempt."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from kefu.automation.webhooks import webhook_deliver


@task()
def webhook_deliver_task(*, delivery_id: int) -> str:
    """Make one attempt at a webhook delivery (idempotent: the row is claimed first)."""
    return webhook_deliver(delivery_id=delivery_id, now=timezone.now())
