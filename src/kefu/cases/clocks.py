"""Clock handlers of the desk: SLA breaches and commitment reminders/overdue flags.

Each handler re-reads the row and checks it is still due, so a stale or
repeated run does nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.cases import hooks
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, CaseEvent, Message, SlaBreach
from kefu.cases.notification_kinds import SLA_WARNING
from kefu.cases.services._common import person_for as escalation_person_for
from kefu.cases.services.escalation import case_escalate_for_breach
from kefu.cases.services.outbox import HELD_JOB, message_release
from kefu.cases.services.promises import (
    OVERDUE_JOB,
    REMINDER_JOB,
    commitment_mark_overdue,
    commitment_remind,
)
from kefu.cases.services.sla import SLA_JOB, SLA_WARNING_JOB, sla_retime_for_calendar
from kefu.cases.tasks import deliver_message
from kefu.core import clock
from kefu.core.calendar_overrides import CALENDAR_CHANGED_JOB
from kefu.core.models import ScheduledJob
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.core.timefmt import contact_time, iso

REDELIVER_JOB = "cases.redeliver"

_DUE_FIELD = {
    "first_response": "first_response_due_at",
    "next_update": "next_update_due_at",
    "resolution": "resolution_due_at",
}


@clock.register(CALENDAR_CHANGED_JOB)
def calendar_changed(job: ScheduledJob, now: datetime) -> None:
    """Re-time the open SLA clocks after a holiday or make-up day changed."""
    payload = job.payload
    team_id = payload.get("team_id")
    sla_retime_for_calendar(
        region=str(payload["region"]),
        team_id=int(team_id) if team_id is not None else None,
        before=dict(payload.get("before", {})),
        at=now,
    )


@clock.register(SLA_JOB)
def sla_due(job: ScheduledJob, now: datetime) -> None:
    """Mark the breach if the target is still running and due; escalate per the ladder."""
    target = str(job.payload["target"])
    due_at = datetime.fromisoformat(str(job.payload["due_at"]))
    case = Case.objects.select_related("contact", "department", "team").get(
        pk=job.payload["case_id"]
    )
    current = getattr(case, _DUE_FIELD[target])
    if target == "first_response" and case.first_response_at is not None:
        return  # Met: the due time stays on the case for the record only.
    if not case.is_open or case.sla_paused_at is not None or current != due_at or due_at > now:
        return
    try:
        with transaction.atomic():
            SlaBreach.objects.create(case=case, target=target, due_at=due_at, breached_at=now)
    except IntegrityError:
        return  # Already recorded by an earlier run.
    Case.objects.filter(pk=case.pk).update(breach_count=F("breach_count") + 1)
    case.refresh_from_db()
    case_event_record(
        case=case, kind="sla_breached", at=now, actor=None, target=target, due=iso(due_at)
    )
    # The explanation reaches the customer, so it is written in their language and zone.
    with translation.override(case.contact.language):
        explanation = _("the %(target)s target (due %(due)s) was missed") % {
            "target": str(SlaBreach.Target(target).label),
            "due": str(contact_time(due_at, case.contact)),
        }
    case_escalate_for_breach(case=case, at=now, explanation=explanation)
    hooks.case_hook(case, hooks.SLA_BREACHED, at=now, target=target, due_at=due_at)


@clock.register(SLA_WARNING_JOB)
def sla_warning_due(job: ScheduledJob, now: datetime) -> None:
    """Warn the owner (else the team's lead) that a target is near its breach, if
    it still runs to the same due time; shows on the case and the queue."""
    target = str(job.payload["target"])
    due_at = datetime.fromisoformat(str(job.payload["due_at"]))
    case = Case.objects.select_related("owner", "team").get(pk=job.payload["case_id"])
    if target == "first_response" and case.first_response_at is not None:
        return
    current = getattr(case, _DUE_FIELD[target])
    if not case.is_open or case.sla_paused_at is not None or current != due_at or due_at <= now:
        return
    if CaseEvent.objects.filter(
        case=case, kind="sla_warning", data__target=target, data__due=iso(due_at)
    ).exists():
        return  # Already warned by an earlier run.
    case_event_record(
        case=case, kind="sla_warning", at=now, actor=None, target=target, due=iso(due_at)
    )
    recipient = case.owner or escalation_person_for(case, Role.TEAM_LEAD)
    if recipient is not None:
        notification_send(
            recipient=recipient,
            link=f"/cases/{case.pk}/",
            at=now,
            code=SLA_WARNING,
            params={
                "ref": case.reference,
                "target": str(SlaBreach.Target(target).label),
                "due": due_at,
            },
        )
    hooks.case_hook(case, hooks.SLA_WARNING, at=now, target=target, due_at=due_at)


@clock.register(REDELIVER_JOB, every=timedelta(minutes=5))
def redeliver(job: ScheduledJob, now: datetime) -> None:
    """Queue again the notices a worker did not deliver: still queued after two
    minutes (a temporary failure, or the enqueue was lost), or stuck sending
    after ten (the worker died). Delivery claims each message, so a duplicate
    enqueue sends nothing twice."""
    Message.objects.filter(
        delivery_status="sending", created_at__lt=now - timedelta(minutes=10)
    ).update(delivery_status="queued")
    stale = Message.objects.filter(
        delivery_status="queued", created_at__lt=now - timedelta(minutes=2)
    ).values_list("pk", flat=True)[:500]
    for message_id in stale:
        deliver_message.enqueue(message_id=message_id)


@clock.register(HELD_JOB)
def release_held(job: ScheduledJob, now: datetime) -> None:
    """A message held for the contact's quiet hours: send it now they are over."""
    message_release(message_id=int(job.payload["message_id"]))


@clock.register(REMINDER_JOB)
def commitment_reminder(job: ScheduledJob, now: datetime) -> None:
    commitment_remind(commitment_id=int(job.payload["commitment_id"]), at=now)


@clock.register(OVERDUE_JOB)
def commitment_overdue(job: ScheduledJob, now: datetime) -> None:
    commitment_mark_overdue(commitment_id=int(job.payload["commitment_id"]), at=now)
