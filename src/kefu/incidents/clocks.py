"""Clock handlers of incidents: the update rhythm, retries and stuck sends, case links."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.dateparse import parse_datetime

from kefu.core import clock
from kefu.core.models import ScheduledJob
from kefu.incidents.models import Delivery, Incident
from kefu.incidents.services import resumption, rhythm
from kefu.incidents.services.incidents import incidents_link_cases
from kefu.incidents.services.sending import deliveries_requeue_stuck


@clock.register(rhythm.UPDATE_DUE)
def on_update_due(job: ScheduledJob, now: datetime) -> None:
    incident = Incident.objects.filter(pk=job.payload.get("incident")).first()
    due = parse_datetime(str(job.payload.get("due")))
    if incident is not None and due is not None:
        rhythm.update_draft_due(incident=incident, due=due, at=now)


@clock.register(rhythm.UPDATE_AUTOSEND)
def on_autosend(job: ScheduledJob, now: datetime) -> None:
    notice_id = job.payload.get("notice")
    if isinstance(notice_id, int):
        rhythm.update_autosend(notice_id=notice_id, at=now)


@clock.register(rhythm.UPDATE_MISSED)
def on_missed(job: ScheduledJob, now: datetime) -> None:
    incident = Incident.objects.filter(pk=job.payload.get("incident")).first()
    due = parse_datetime(str(job.payload.get("due")))
    if incident is not None and due is not None:
        rhythm.update_check_missed(incident=incident, due=due, at=now)


@clock.register(resumption.SURVEY_SEND)
def on_survey(job: ScheduledJob, now: datetime) -> None:
    incident = Incident.objects.filter(pk=job.payload.get("incident")).first()
    if incident is not None:
        resumption.survey_send(incident=incident, at=now)


@clock.register("incidents.deliveries", every=timedelta(minutes=1))
def on_deliveries(job: ScheduledJob, now: datetime) -> None:
    """Queue again what a dead worker left sending, then send what is due (retries)."""
    deliveries_requeue_stuck(now=now)
    if Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now).exists():
        from kefu.incidents.tasks import deliver_notice

        when = now.isoformat()
        transaction.on_commit(lambda: deliver_notice.enqueue(notice_id=None, at=when))


@clock.register("incidents.link_cases", every=timedelta(minutes=1))
def on_link_cases(job: ScheduledJob, now: datetime) -> None:
    incidents_link_cases(at=now)
