"""Background side effects of the quality app: sending campaign invitations."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from kefu.quality.services.campaigns import campaign_send_due


@task()
def send_campaign(*, campaign_id: int | None, at: str) -> int:
    """Send the unsent invitations of one campaign (or of all, with None).

    Idempotent: each invitation is claimed (``sent_at``) before it is handed over.
    """
    asked = parse_datetime(at) or timezone.now()
    return campaign_send_due(at=max(asked, timezone.now()), campaign_id=campaign_id)
