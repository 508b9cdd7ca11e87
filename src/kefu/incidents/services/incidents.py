"""Creating, scoping, confirming and cancelling incidents; linking the cases they cause."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core import domain_events
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.models import Contact, Organisation, Project
from kefu.incidents import rhythm, texts
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Evidence, Incident, IncidentCase, IncidentContact, Notice
from kefu.incidents.services._common import (
    evidence_token,
    move_status,
    require_status,
    require_text,
    site_url,
)
from kefu.incidents.services.rhythm import update_schedule, update_unschedule
from kefu.incidents.services.sending import notice_publish


def _check_expected(*, expected_from: date, expected_to: date | None, at: datetime) -> None:
    today = timezone.localdate(at)
    if expected_from < today:
        raise DomainError(
            IncidentErrorCode.RESUMPTION_IN_PAST,
            _(
                "The expected resumption %(day)s is in the past (today is %(today)s); "
                "give a date from today on."
            ),
            day=expected_from.isoformat(),
            today=today.isoformat(),
        )
    if expected_to is not None and expected_to < expected_from:
        raise DomainError(
            IncidentErrorCode.BAD_RANGE,
            _("The expected resumption range ends (%(end)s) before it starts (%(start)s)."),
            start=expected_from.isoformat(),
            end=expected_to.isoformat(),
        )


def _clean_intervals(hours: Sequence[int]) -> list[int]:
    try:
        return list(rhythm.clean_intervals(hours))
    except ValueError:
        raise DomainError(
            IncidentErrorCode.BAD_INTERVALS,
            _("Each update interval must be a whole number of hours between 1 and 168."),
        ) from None


@transaction.atomic
def incident_create(
    *,
    actor: User,
    title: str,
    kind: str,
    cause: str,
    started_at: datetime,
    expected_from: date,
    at: datetime,
    expected_to: date | None = None,
    next_steps: str = "",
    contact_point: str = "",
    owner: User | None = None,
    update_interval_hours: Sequence[int] = (),
    auto_send_updates: bool = True,
) -> Incident:
    """Record a stoppage or outage as a draft; nothing is sent until it is confirmed.

    The expected resumption must not be in the past; ``expected_to`` makes it a range.
    """
    authorize(actor, Perm.RUN_INCIDENTS)
    if kind not in Incident.Kind.values:
        raise DomainError(
            IncidentErrorCode.BAD_INPUT, _("Unknown incident kind %(kind)s."), kind=kind
        )
    _check_expected(expected_from=expected_from, expected_to=expected_to, at=at)
    incident = Incident.objects.create(
        title=require_text(title, _("Give the incident a title.")),
        kind=kind,
        cause=require_text(cause, _("Describe the cause.")),
        next_steps=next_steps.strip(),
        contact_point=contact_point.strip(),
        started_at=started_at,
        expected_from=expected_from,
        expected_to=expected_to,
        owner=owner or actor,
        update_interval_hours=_clean_intervals(update_interval_hours),
        auto_send_updates=auto_send_updates,
        created_by=actor,
        created_at=at,
    )
    audit_record(actor=actor, action="incident.created", target=incident, at=at)
    return incident


@dataclass(frozen=True)
class Picked:
    added: int
    total: int


def _organisations_by_tags(tags: Sequence[str]) -> list[int]:
    # JSON containment is not portable to SQLite; organisations with tags are few.
    wanted = {t.strip() for t in tags if t.strip()}
    rows = Organisation.objects.exclude(tags=[]).values_list("pk", "tags")
    return [pk for pk, values in rows if wanted & set(values or [])]


@transaction.atomic
def incident_pick_affected(
    *,
    actor: User,
    incident: Incident,
    at: datetime,
    contacts: Sequence[int] = (),
    organisations: Sequence[int] = (),
    projects: Sequence[int] = (),
    tags: Sequence[str] = (),
    regions: Sequence[str] = (),
) -> Picked:
    """Add affected contacts picked by contact, customer, project, tag or region.

    Each pick resolves to the active contacts it covers, which are stored. On an
    open incident the newly added contacts get the first notice at once.
    """
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(
        incident, Incident.Status.DRAFT, Incident.Status.CONFIRMED, Incident.Status.RESUMING
    )
    picks: dict[int, str] = {}
    project_rows = list(Project.objects.filter(pk__in=projects))
    by_org: list[tuple[Iterable[int], str]] = [
        ([p.organisation_id for p in project_rows], IncidentContact.Via.PROJECT),
        (organisations, IncidentContact.Via.CUSTOMER),
        (_organisations_by_tags(tags), IncidentContact.Via.TAG),
        (
            Organisation.objects.filter(
                region__in=[r.strip() for r in regions if r.strip()]
            ).values_list("pk", flat=True),
            IncidentContact.Via.REGION,
        ),
    ]
    for contact_id in Contact.objects.filter(pk__in=contacts, is_active=True).values_list(
        "pk", flat=True
    ):
        picks.setdefault(contact_id, IncidentContact.Via.CONTACT)
    org_ids: set[int] = set()
    for ids, via in by_org:
        chosen = list(ids)
        org_ids.update(chosen)
        for contact_id in Contact.objects.filter(
            organisation_id__in=chosen, is_active=True
        ).values_list("pk", flat=True):
            picks.setdefault(contact_id, via)
    if not picks:
        raise DomainError(
            IncidentErrorCode.NOTHING_PICKED, _("That choice covers no active contact.")
        )
    existing = set(
        IncidentContact.objects.filter(incident=incident).values_list("contact_id", flat=True)
    )
    new = {cid: via for cid, via in picks.items() if cid not in existing}
    IncidentContact.objects.bulk_create(
        [
            IncidentContact(incident=incident, contact_id=c, via=v, added_at=at)
            for c, v in new.items()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    incident.projects.add(*project_rows)
    incident.organisations.add(*org_ids)
    audit_record(
        actor=actor,
        action="incident.affected_added",
        target=incident,
        at=at,
        after={"added": len(new)},
    )
    if incident.is_open and new:
        first = Notice.objects.filter(incident=incident, kind=Notice.Kind.FIRST).first()
        if first is not None:
            notice_publish(
                notice=first, contacts=Contact.objects.filter(pk__in=list(new)), at=at, channels=2
            )
    return Picked(added=len(new), total=len(existing) + len(new))


@transaction.atomic
def incident_remove_affected(
    *, actor: User, incident: Incident, contact_ids: Sequence[int], at: datetime
) -> int:
    """Take contacts off a draft incident; returns how many were removed."""
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.DRAFT)
    removed, _detail = IncidentContact.objects.filter(
        incident=incident, contact_id__in=contact_ids
    ).delete()
    return removed


def evidence_links(incident: Incident) -> tuple[list[Evidence], dict[int, str]]:
    evidence = list(incident.evidence.all())
    links = {
        e.pk: site_url(f"/incidents/evidence/{evidence_token(evidence_id=e.pk)}/")
        for e in evidence
        if e.shared
    }
    return evidence, links


@transaction.atomic
def incident_confirm(*, actor: User, incident: Incident, at: datetime) -> Notice:
    """Confirm the incident and send the first notice to every affected contact.

    Each contact gets it on their first two reachable channels (a phone channel
    becomes a call task). Every delivery is recorded before anything leaves.
    The status moves with a compare-and-swap, so confirming twice sends nothing
    twice: the second attempt is refused. Refused with no affected contact, or
    with an expected resumption in the past.
    """
    authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.DRAFT)
    if not IncidentContact.objects.filter(incident=incident).exists():
        raise DomainError(
            IncidentErrorCode.NO_CONTACTS,
            _("Incident %(ref)s has no affected contacts; pick them before confirming."),
            ref=incident.reference,
        )
    _check_expected(expected_from=incident.expected_from, expected_to=incident.expected_to, at=at)
    move_status(
        incident,
        before=Incident.Status.DRAFT,
        after=Incident.Status.CONFIRMED,
        stamp="confirmed_at",
        at=at,
    )
    evidence, links = evidence_links(incident)
    written = {
        lang: texts.first_notice(incident, language=lang, evidence=evidence, links=links)
        for lang in texts.LANGUAGES
    }
    notice = Notice.objects.create(
        incident=incident,
        kind=Notice.Kind.FIRST,
        status=Notice.Status.SENT,
        subject_zh=written["zh-hans"][0],
        subject_en=written["en"][0],
        body_zh=written["zh-hans"][1],
        body_en=written["en"][1],
        author=actor,
        created_at=at,
        sent_at=at,
    )
    contacts = Contact.objects.filter(
        pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
    ).order_by("pk")
    notice_publish(notice=notice, contacts=contacts, at=at, channels=2)
    incident_link_cases(incident=incident, at=at)
    update_schedule(incident=incident, sent_at=at)
    audit_record(
        actor=actor,
        action="incident.confirmed",
        target=incident,
        at=at,
        before={"status": Incident.Status.DRAFT},
        after={"status": Incident.Status.CONFIRMED},
    )
    domain_events.publish(
        "incident.confirmed",
        {"incident": incident.pk, "reference": incident.reference, "kind": incident.kind},
        at=at,
    )
    return notice


@transaction.atomic
def incident_cancel(*, actor: User, incident: Incident, reason: str, at: datetime) -> Incident:
    """Cancel a draft or open incident; its rhythm stops. Notices already sent stay sent."""
    authorize(actor, Perm.RUN_INCIDENTS)
    before = incident.status
    require_status(
        incident, Incident.Status.DRAFT, Incident.Status.CONFIRMED, Incident.Status.RESUMING
    )
    move_status(
        incident, before=before, after=Incident.Status.CANCELLED, stamp="cancelled_at", at=at
    )
    update_unschedule(incident=incident, at=at)
    audit_record(
        actor=actor,
        action="incident.cancelled",
        target=incident,
        at=at,
        before={"status": before},
        after={"status": Incident.Status.CANCELLED, "reason": reason.strip()},
    )
    return incident


def incident_link_cases(*, incident: Incident, at: datetime) -> int:
    """Link cases of affected customers opened since the incident started; returns how many
    new links. Safe to run again: existing links are kept."""
    org_ids = set(
        Contact.objects.filter(
            pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
        )
        .filter(organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    contact_ids = IncidentContact.objects.filter(incident=incident).values("contact_id")
    cases = (
        Case.objects.filter(created_at__gte=incident.started_at, created_at__lte=at)
        .filter(Q(organisation_id__in=org_ids) | Q(contact_id__in=contact_ids))
        .exclude(pk__in=IncidentCase.objects.filter(incident=incident).values("case_id"))
        .values_list("pk", flat=True)
    )
    links = [IncidentCase(incident=incident, case_id=pk, linked_at=at) for pk in cases]
    IncidentCase.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def incidents_link_cases(*, at: datetime) -> int:
    """Link new cases to every open incident (the recurring clock job)."""
    total = 0
    for incident in Incident.objects.filter(
        status__in=[Incident.Status.CONFIRMED, Incident.Status.RESUMING]
    ):
        total += incident_link_cases(incident=incident, at=at)
    return total


@transaction.atomic
def evidence_add(
    *, actor: User, incident: Incident, file: object, description: str, shared: bool, at: datetime
) -> Evidence:
    """Attach a document behind the cause; shared evidence is linked from later notices."""
    authorize(actor, Perm.RUN_INCIDENTS)
    evidence = Evidence(
        incident=incident,
        description=description.strip()[:300],
        shared=shared,
        uploaded_by=actor,
        uploaded_at=at,
    )
    evidence.file = file
    evidence.save()
    audit_record(actor=actor, action="incident.evidence_added", target=incident, at=at)
    return evidence
