"""Keeping work alive, the impact log, meetings with every party, and the review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.ics import invitation_ics
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.timefmt import contact_time
from kefu.customers.models import Contact
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import (
    ContinuationPlan,
    ImpactEntry,
    Incident,
    IncidentContact,
    Meeting,
    Review,
    ReviewAction,
)
from kefu.incidents.services._common import move_status, require_status, require_text


@transaction.atomic
def plan_add(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    parts: str,
    at: datetime,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> ContinuationPlan:
    """Record the parts of the work that continue (staged acceptance, segmented work)."""
    authorize(actor, Perm.RUN_INCIDENTS)
    if kind not in ContinuationPlan.Kind.values:
        raise DomainError(IncidentErrorCode.BAD_INPUT, _("Unknown plan kind %(kind)s."), kind=kind)
    plan = ContinuationPlan.objects.create(
        incident=incident,
        kind=kind,
        parts=require_text(parts, _("Say which parts of the work continue.")),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        created_at=at,
    )
    audit_record(actor=actor, action="incident.plan_added", target=incident, at=at)
    return plan


@transaction.atomic
def impact_add(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    at: datetime,
    description: str = "",
    crew_size: int | None = None,
    idle_days: Decimal | None = None,
    supplier: str = "",
    item: str = "",
    old_date: date | None = None,
    new_date: date | None = None,
    confirmed: bool = False,
    cost: Decimal | None = None,
) -> ImpactEntry:
    """Log one effect of the stoppage: idle crew, a supplier delivery to move, or a cost."""
    authorize(actor, Perm.RUN_INCIDENTS)
    if kind not in ImpactEntry.Kind.values:
        raise DomainError(
            IncidentErrorCode.BAD_INPUT, _("Unknown impact kind %(kind)s."), kind=kind
        )
    if kind == ImpactEntry.Kind.SUPPLIER_DELIVERY and not (supplier.strip() and item.strip()):
        raise DomainError(
            IncidentErrorCode.BAD_INPUT, _("A supplier delivery needs the supplier and the item.")
        )
    entry = ImpactEntry.objects.create(
        incident=incident,
        kind=kind,
        description=description.strip()[:300],
        crew_size=crew_size,
        idle_days=idle_days,
        supplier=supplier.strip(),
        item=item.strip(),
        old_date=old_date,
        new_date=new_date,
        confirmed=confirmed,
        cost=cost,
        created_by=actor,
        created_at=at,
    )
    audit_record(actor=actor, action="incident.impact_logged", target=incident, at=at)
    return entry


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting as an iCalendar invitation (METHOD:REQUEST) to every party."""
    return invitation_ics(
        uid=f"incident-{meeting.incident_id}-meeting-{meeting.pk}@{settings.KEFU_EMAIL_DOMAIN}",
        stamp=meeting.created_at,
        starts_at=meeting.starts_at,
        minutes=meeting.duration_minutes,
        summary=meeting.title,
        location=meeting.online_link,
        url=meeting.online_link,
        description=f"{meeting.incident.reference} {meeting.online_link}",
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        parties=meeting.parties,
    )


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    incident: Incident,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    online_link: str,
    at: datetime,
    extra_emails: Sequence[str] = (),
) -> Meeting:
    """Schedule an online meeting with every party (affected contacts with an email, the
    owner, and ``extra_emails``) and email each an .ics invitation."""
    authorize(actor, Perm.RUN_INCIDENTS)
    parties: dict[str, str] = {}
    for contact in Contact.objects.filter(
        pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
    ).exclude(email=""):
        parties.setdefault(contact.email.lower(), contact.name)
    if incident.owner.email:
        parties.setdefault(incident.owner.email.lower(), str(incident.owner))
    for email in extra_emails:
        if email.strip():
            parties.setdefault(email.strip().lower(), email.strip())
    if not parties:
        raise DomainError(
            IncidentErrorCode.NO_PARTIES, _("Nobody to invite: no party has an email.")
        )
    meeting = Meeting.objects.create(
        incident=incident,
        title=require_text(title, _("Give the meeting a title.")),
        starts_at=starts_at,
        duration_minutes=max(duration_minutes, 5),
        online_link=require_text(online_link, _("Give the online meeting link.")),
        parties=[{"name": name, "email": email} for email, name in parties.items()],
        created_by=actor,
        created_at=at,
        invited_at=at,
    )
    ics = meeting_ics(meeting)
    recipients = [p["email"] for p in meeting.parties]

    def send() -> None:
        for email in recipients:
            mail = EmailMessage(
                subject=f"{meeting.title} [{incident.reference}]",
                body=f"{meeting.title}\n{contact_time(meeting.starts_at, None)}\n"
                f"{meeting.online_link}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email],
            )
            mail.attach("invite.ics", ics, "text/calendar; method=REQUEST")
            mail.send(fail_silently=True)

    transaction.on_commit(send)
    audit_record(actor=actor, action="incident.meeting_scheduled", target=incident, at=at)
    return meeting


@transaction.atomic
def meeting_save_minutes(*, actor: User, meeting: Meeting, minutes: str, at: datetime) -> Meeting:
    """Keep the minutes of a meeting on the incident."""
    authorize(actor, Perm.RUN_INCIDENTS)
    meeting.minutes = require_text(minutes, _("Write the minutes first."))
    meeting.save(update_fields=["minutes"])
    audit_record(actor=actor, action="incident.minutes_saved", target=meeting.incident, at=at)
    return meeting


@transaction.atomic
def review_save(
    *, actor: User, incident: Incident, five_whys: Sequence[str], summary: str, at: datetime
) -> Review:
    """Write the review's five whys and summary (after resumption)."""
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(
        incident, Incident.Status.RESUMED, Incident.Status.REVIEWED, Incident.Status.CANCELLED
    )
    whys = [w.strip() for w in five_whys if w.strip()][:5]
    review, _created = Review.objects.update_or_create(
        incident=incident,
        defaults={"five_whys": whys, "summary": summary.strip(), "updated_at": at},
        create_defaults={
            "five_whys": whys,
            "summary": summary.strip(),
            "created_at": at,
            "updated_at": at,
        },
    )
    audit_record(actor=actor, action="incident.review_saved", target=incident, at=at)
    return review


@transaction.atomic
def review_action_add(
    *, actor: User, incident: Incident, description: str, owner: User, due_on: date, at: datetime
) -> ReviewAction:
    """An early-warning action with an owner and a due date."""
    authorize(actor, Perm.RUN_INCIDENTS)
    action = ReviewAction.objects.create(
        incident=incident,
        description=require_text(description, _("Describe the action.")),
        owner=owner,
        due_on=due_on,
        created_at=at,
    )
    audit_record(actor=actor, action="incident.action_added", target=incident, at=at)
    return action


@transaction.atomic
def incident_close_review(*, actor: User, incident: Incident, at: datetime) -> Incident:
    """Mark the review done: the incident is closed as reviewed."""
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.RESUMED)
    move_status(
        incident,
        before=Incident.Status.RESUMED,
        after=Incident.Status.REVIEWED,
        stamp="reviewed_at",
        at=at,
    )
    audit_record(actor=actor, action="incident.reviewed", target=incident, at=at)
    return incident
