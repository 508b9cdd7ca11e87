"""Clock handlers of the portal: mail the status page's new updates to subscribers."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.portal.services_status import status_mail_updates


@clock.register("portal.status_mail", every=timedelta(minutes=1))
def on_status_mail(job: ScheduledJob, now: datetime) -> None:
    status_mail_updates(at=now)
