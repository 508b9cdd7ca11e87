"""The recurring retry of campaign invitations a channel refused (imported by apps)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.quality.models_campaigns import CampaignInvitation, SurveyCampaign
from kefu.quality.services.campaigns import MAX_ATTEMPTS


@clock.register("quality.campaign_resend", every=timedelta(minutes=15))
def campaign_resend(job: ScheduledJob, now: datetime) -> None:
    """Queue a send when an open campaign has invitations left unsent."""
    if CampaignInvitation.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        campaign__status=SurveyCampaign.Status.OPEN,
        campaign__closes_at__gt=now,
    ).exists():
        from kefu.quality.tasks import send_campaign

        when = now.isoformat()
        transaction.on_commit(lambda: send_campaign.enqueue(campaign_id=None, at=when))
