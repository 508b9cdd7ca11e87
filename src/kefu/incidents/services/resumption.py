"""Resumption: the readiness checklist, the resumption notice and the feedback survey."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import clock, domain_events
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.models import Contact
from kefu.incidents import texts
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import (
    Incident,
    IncidentContact,
    Notice,
    ReadinessItem,
    Resumption,
    SurveyAnswer,
)
from kefu.incidents.services._common import SURVEY_SALT, move_status, require_status, require_text
from kefu.incidents.services.rhythm import update_unschedule
from kefu.incidents.services.sending import notice_publish

SURVEY_SEND = "incidents.survey_send"
# The survey goes out a day after the resumption notice, once the site is running again.
SURVEY_AFTER = timedelta(days=1)
SURVEY_MAX_AGE = timedelta(days=60)


@transaction.atomic
def incident_start_resumption(*, actor: User, incident: Incident, at: datetime) -> Incident:
    """Move a confirmed incident to preparing resumption and open its readiness checklist."""
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.CONFIRMED)
    move_status(
        incident,
        before=Incident.Status.CONFIRMED,
        after=Incident.Status.RESUMING,
        stamp="resuming_at",
        at=at,
    )
    ReadinessItem.objects.bulk_create(
        [ReadinessItem(incident=incident, key=key) for key in ReadinessItem.Key.values],
        ignore_conflicts=True,
    )
    audit_record(actor=actor, action="incident.resumption_started", target=incident, at=at)
    return incident


def _settle(item: ReadinessItem, **changes: object) -> ReadinessItem:
    updated = ReadinessItem.objects.filter(
        pk=item.pk, done_at__isnull=True, waived_at__isnull=True
    ).update(**changes)
    if updated != 1:
        raise ConflictError(
            IncidentErrorCode.ALREADY_SETTLED, _("This checklist item is already settled.")
        )
    item.refresh_from_db()
    return item


@transaction.atomic
def readiness_complete(
    *, actor: User, item: ReadinessItem, note: str, at: datetime
) -> ReadinessItem:
    """Tick one readiness item as done."""
    authorize(actor, Perm.RUN_INCIDENTS)
    _settle(item, done_by=actor, done_at=at, note=note.strip()[:300])
    audit_record(
        actor=actor,
        action="incident.readiness_done",
        target=item.incident,
        at=at,
        after={"item": item.key},
    )
    return item


@transaction.atomic
def readiness_waive(
    *, actor: User, item: ReadinessItem, reason: str, at: datetime
) -> ReadinessItem:
    """A manager waives one readiness item; the reason is required and kept."""
    authorize(actor, Perm.WAIVE_READINESS)
    text = reason.strip()
    if not text:
        raise DomainError(
            IncidentErrorCode.WAIVER_NEEDS_REASON, _("Give the reason for waiving this item.")
        )
    _settle(item, waived_by=actor, waived_at=at, waiver_reason=text[:300])
    audit_record(
        actor=actor,
        action="incident.readiness_waived",
        target=item.incident,
        at=at,
        after={"item": item.key, "reason": text},
    )
    return item


@transaction.atomic
def incident_resume(
    *,
    actor: User,
    incident: Incident,
    resume_on: date,
    work_plan: str,
    risks: str,
    progress_plan: str,
    compensation: str,
    supervision: str,
    at: datetime,
) -> Notice:
    """Send the resumption notice (date, work plan, risks, progress plan, compensation,
    invitation to supervise on site) to every affected contact on two channels.

    Refused until every readiness item is done or waived. Stops the update
    rhythm and schedules the feedback survey.
    """
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.RESUMING)
    open_items = [
        str(item.get_key_display())
        for item in ReadinessItem.objects.filter(incident=incident)
        if not item.is_settled
    ]
    if open_items or not ReadinessItem.objects.filter(incident=incident).exists():
        raise ConflictError(
            IncidentErrorCode.CHECKLIST_OPEN,
            _(
                "The readiness checklist is not complete (%(items)s); finish the items or "
                "ask a manager to waive them with a reason."
            ),
            items=", ".join(open_items),
        )
    if resume_on < timezone.localdate(at):
        raise DomainError(
            IncidentErrorCode.RESUMPTION_IN_PAST,
            _("The resumption date %(day)s is in the past."),
            day=resume_on.isoformat(),
        )
    fields = {
        "work_plan": require_text(work_plan, _("Describe the work plan.")),
        "risks": require_text(risks, _("Describe the risks.")),
        "progress_plan": require_text(progress_plan, _("Give the progress plan.")),
        "compensation": require_text(compensation, _("Say how the delay is compensated.")),
        "supervision": require_text(supervision, _("Invite the client to supervise on site.")),
    }
    move_status(
        incident,
        before=Incident.Status.RESUMING,
        after=Incident.Status.RESUMED,
        stamp="resumed_at",
        at=at,
    )
    Incident.objects.filter(pk=incident.pk).update(resumed_on=resume_on)
    incident.resumed_on = resume_on
    Resumption.objects.create(
        incident=incident, resume_on=resume_on, created_by=actor, created_at=at, **fields
    )
    written = {
        lang: texts.resumption_notice(incident, language=lang, resume_on=resume_on, **fields)
        for lang in texts.LANGUAGES
    }
    notice = Notice.objects.create(
        incident=incident,
        kind=Notice.Kind.RESUMPTION,
        status=Notice.Status.SENT,
        subject_zh=written["zh-hans"][0],
        subject_en=written["en"][0],
        body_zh=written["zh-hans"][1],
        body_en=written["en"][1],
        author=actor,
        created_at=at,
        sent_at=at,
    )
    notice_publish(notice=notice, contacts=_affected(incident), at=at, channels=2)
    update_unschedule(incident=incident, at=at)
    clock.job_schedule(
        kind=SURVEY_SEND,
        key=f"incident:{incident.pk}:survey",
        due_at=at + SURVEY_AFTER,
        payload={"incident": incident.pk},
    )
    audit_record(
        actor=actor,
        action="incident.resumed",
        target=incident,
        at=at,
        after={"status": Incident.Status.RESUMED, "resume_on": resume_on.isoformat()},
    )
    domain_events.publish(
        "incident.resumed",
        {"incident": incident.pk, "reference": incident.reference, "resume_on": str(resume_on)},
        at=at,
    )
    return notice


def _affected(incident: Incident) -> list[Contact]:
    return list(
        Contact.objects.filter(
            pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
        ).order_by("pk")
    )


def survey_send(*, incident: Incident, at: datetime) -> Notice | None:
    """Send the short feedback survey (one signed link per contact); once per incident."""
    if incident.status not in {Incident.Status.RESUMED, Incident.Status.REVIEWED}:
        return None
    if Notice.objects.filter(incident=incident, kind=Notice.Kind.SURVEY).exists():
        return None
    written = {lang: texts.survey_notice(incident, language=lang) for lang in texts.LANGUAGES}
    notice = Notice.objects.create(
        incident=incident,
        kind=Notice.Kind.SURVEY,
        status=Notice.Status.SENT,
        subject_zh=written["zh-hans"][0],
        subject_en=written["en"][0],
        body_zh=written["zh-hans"][1],
        body_en=written["en"][1],
        is_automatic=True,
        created_at=at,
        sent_at=at,
    )
    notice_publish(notice=notice, contacts=_affected(incident), at=at, channels=1)
    return notice


@dataclass(frozen=True)
class SurveyTarget:
    incident: Incident
    contact: Contact


def survey_target(*, token: str) -> SurveyTarget:
    """Who a signed survey link belongs to; refused when forged or too old."""
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.BadSignature:
        raise NotFoundError(
            IncidentErrorCode.BAD_SURVEY_LINK, _("This survey link is not valid or has expired.")
        ) from None
    incident = Incident.objects.filter(pk=data.get("i")).first()
    contact = Contact.objects.filter(pk=data.get("c")).first()
    if incident is None or contact is None:
        raise NotFoundError(
            IncidentErrorCode.BAD_SURVEY_LINK, _("This survey link is not valid or has expired.")
        )
    return SurveyTarget(incident=incident, contact=contact)


@transaction.atomic
def survey_answer(*, token: str, rating: int, comment: str, at: datetime) -> SurveyAnswer:
    """Store the contact's answer (no login: the signed link is the proof); a second
    answer replaces the first."""
    target = survey_target(token=token)
    if not 1 <= rating <= 5:
        raise DomainError(IncidentErrorCode.BAD_RATING, _("Choose a rating from 1 to 5."))
    answer, _created = SurveyAnswer.objects.update_or_create(
        incident=target.incident,
        contact=target.contact,
        defaults={"rating": rating, "comment": comment.strip()[:2000], "answered_at": at},
    )
    return answer
