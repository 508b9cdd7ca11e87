"""Background side effects of incidents: handing notices to their channels."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from kefu.incidents.services.sending import deliveries_send_due


@task()
def deliver_notice(*, notice_id: int | None, at: str) -> int:
    """Send the queued deliveries of one notice (or of all, with None) that are due.

    ``at`` is when the send was asked for; rows due by then or by now go out.
    Idempotent: every row is claimed before it is sent. Returns how many went out.
    """
    asked = parse_datetime(at) or timezone.now()
    now = max(asked, timezone.now())
    return deliveries_send_due(now=now, notice_id=notice_id).sent
