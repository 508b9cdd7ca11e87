"""Reads of the incidents app: pages and the API call the same functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.cases import delivery
from kefu.cases.models import Case
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.models import Channel, Contact
from kefu.incidents import rhythm
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import (
    CallTask,
    Delivery,
    Incident,
    IncidentCase,
    IncidentContact,
    ManualOutreach,
    Notice,
)
from kefu.incidents.purposes import SMS_PURPOSES

GRID_LIMIT = 500


def incident_list(*, actor: User) -> QuerySet[Incident]:
    """Every incident, newest first (staff who work cases may see them)."""
    authorize(actor, Perm.WORK_CASES)
    return Incident.objects.select_related("owner").order_by("-created_at", "-id")


def access_incident(actor: User, incident_id: int) -> Incident:
    """The incident ``incident_id`` for ``actor``; 404 when there is none."""
    authorize(actor, Perm.WORK_CASES)
    incident = Incident.objects.select_related("owner").filter(pk=incident_id).first()
    if incident is None:
        raise NotFoundError(
            IncidentErrorCode.NOT_FOUND, _("No incident %(id)s."), id=str(incident_id)
        )
    return incident


def affected_count(incident: Incident) -> int:
    return IncidentContact.objects.filter(incident=incident).count()


def notices_of(incident: Incident) -> list[Notice]:
    """Every notice of the incident, in order (the timeline on the page)."""
    return list(
        Notice.objects.filter(incident=incident)
        .select_related("author")
        .order_by("created_at", "id")
    )


def deliveries_of(incident: Incident) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(notice__incident=incident)
        .select_related("contact", "notice")
        .order_by("notice_id", "contact_id", "id")
    )


def delivery_held_until(row: Delivery, *, now: datetime) -> datetime | None:
    """When a row held for the contact's quiet hours falls due, or None if it is not
    held: still queued, never tried (a retry waits too, but after an attempt), and
    due later than ``now``."""
    if row.status == Delivery.Status.QUEUED and row.attempts == 0 and row.next_attempt_at > now:
        return row.next_attempt_at
    return None


@dataclass
class GridRow:
    contact: Contact
    cells: dict[str, Delivery] = field(default_factory=dict)
    # Per channel, when a row held for the contact's quiet hours falls due.
    held: dict[str, datetime] = field(default_factory=dict)

    def cell_list(self, channels: list[str]) -> list[Delivery | None]:
        return [self.cells.get(c) for c in channels]


@dataclass(frozen=True)
class Grid:
    notice: Notice | None
    channels: list[str]
    rows: list[GridRow]
    counts: dict[str, int]
    total_contacts: int

    @property
    def is_sending(self) -> bool:
        return bool(self.counts.get("queued") or self.counts.get("sending"))

    @property
    def count_labels(self) -> list[tuple[str, str, int]]:
        """(status, its name in the reader's language, count) per status."""
        return [
            (status, str(Delivery.Status(status).label), n) for status, n in self.counts.items()
        ]

    @property
    def channel_labels(self) -> list[tuple[str, str]]:
        """(channel, its name in the reader's language), in column order."""
        return [(c, str(dict(Channel.choices).get(c, c))) for c in self.channels]

    @property
    def template_labels(self) -> dict[str, str]:
        """Per channel column, the template the notice goes out as (template SMS)."""
        if self.notice is None:
            return {}
        purpose = SMS_PURPOSES.get(self.notice.kind, "")
        labels = {c: delivery.template_label(c, purpose) for c in self.channels}
        return {c: label for c, label in labels.items() if label}


def notice_of(incident: Incident, notice_id: str) -> Notice | None:
    """The notice ``notice_id`` (as typed in a URL) of ``incident``; None for an empty,
    malformed or foreign id (the grid then shows the first notice)."""
    if not notice_id.isdigit():
        return None
    return Notice.objects.filter(incident=incident, pk=int(notice_id)).first()


def delivery_grid(
    incident: Incident, *, notice: Notice | None = None, now: datetime | None = None
) -> Grid:
    """Contacts x channels for one notice (the first by default), with status counts.

    At most ``GRID_LIMIT`` contacts are listed; the counts cover everyone. A row
    held for the contact's quiet hours (as of ``now``) carries when it goes.
    """
    now = now or timezone.now()
    notice = notice or Notice.objects.filter(incident=incident, kind=Notice.Kind.FIRST).first()
    if notice is None:
        return Grid(notice=None, channels=[], rows=[], counts={}, total_contacts=0)
    rows = Delivery.objects.filter(notice=notice)
    counts = _status_counts(rows)
    contact_ids = list(
        rows.values_list("contact_id", flat=True).order_by("contact_id").distinct()[:GRID_LIMIT]
    )
    by_contact: dict[int, GridRow] = {}
    channels: set[str] = set()
    for row in rows.filter(contact_id__in=contact_ids).select_related(
        "contact", "contact__organisation"
    ):
        grid_row = by_contact.setdefault(row.contact_id, GridRow(contact=row.contact))
        grid_row.cells[row.channel] = row
        held_until = delivery_held_until(row, now=now)
        if held_until is not None:
            grid_row.held[row.channel] = held_until
        channels.add(row.channel)
    order = [c for c in ("email", "sms", "chat", "phone") if c in channels]
    order += sorted(channels - set(order))
    total = rows.values("contact_id").distinct().count()
    return Grid(
        notice=notice,
        channels=order,
        rows=[by_contact[c] for c in contact_ids if c in by_contact],
        counts=counts,
        total_contacts=total,
    )


def _status_counts(rows: QuerySet[Delivery]) -> dict[str, int]:
    return dict(rows.order_by().values_list("status").annotate(n=Count("id")))


def open_outreach(incident: Incident) -> list[ManualOutreach]:
    return list(
        ManualOutreach.objects.filter(incident=incident, resolved_at__isnull=True)
        .select_related("contact", "contact__organisation")
        .order_by("created_at", "id")
    )


def open_call_tasks(incident: Incident) -> list[CallTask]:
    return list(
        CallTask.objects.filter(incident=incident, done_at__isnull=True)
        .select_related("contact", "delivery__notice", "held_by")
        .order_by("created_at", "id")
    )


def linked_cases(incident: Incident) -> list[Case]:
    return list(
        Case.objects.filter(pk__in=IncidentCase.objects.filter(incident=incident).values("case_id"))
        .select_related("contact", "organisation")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class Measures:
    affected: int
    reached: int
    reach_rate: float | None
    first_notice_seconds: rhythm.Spread
    adherence: rhythm.Adherence
    unreached: list[Contact]


def update_slots(incident: Incident) -> list[rhythm.UpdateSlot]:
    slots = [
        rhythm.UpdateSlot(due_at=n.due_at, sent_at=n.sent_at)
        for n in Notice.objects.filter(
            incident=incident, kind=Notice.Kind.UPDATE, status=Notice.Status.SENT
        ).exclude(due_at=None)
        if n.due_at is not None
    ]
    if incident.is_open and incident.next_update_due_at is not None:
        slots.append(rhythm.UpdateSlot(due_at=incident.next_update_due_at, sent_at=None))
    return slots


def incident_measures(incident: Incident, *, now: datetime) -> Measures:
    """Time from confirmation to first notice per contact, reach rate, update adherence."""
    affected_ids = set(
        IncidentContact.objects.filter(incident=incident).values_list("contact_id", flat=True)
    )
    first_handed = dict(
        Delivery.objects.filter(
            notice__incident=incident,
            notice__kind=Notice.Kind.FIRST,
            status__in=[Delivery.Status.SENT, Delivery.Status.DELIVERED],
        )
        .order_by()
        .values("contact_id")
        .annotate(first=Min("handed_at"))
        .values_list("contact_id", "first")
    )
    reached_by_hand = set(
        ManualOutreach.objects.filter(incident=incident, resolved_at__isnull=False).values_list(
            "contact_id", flat=True
        )
    )
    reached = (set(first_handed) | reached_by_hand) & affected_ids
    seconds = [
        (handed - incident.confirmed_at).total_seconds()
        for handed in first_handed.values()
        if handed is not None and incident.confirmed_at is not None
    ]
    unreached_ids = sorted(affected_ids - reached)[:200]
    return Measures(
        affected=len(affected_ids),
        reached=len(reached),
        reach_rate=rhythm.reach_rate(len(reached), len(affected_ids)),
        first_notice_seconds=rhythm.spread(seconds),
        adherence=rhythm.adherence(update_slots(incident), now=now),
        unreached=list(Contact.objects.filter(pk__in=unreached_ids).order_by("name"))
        if incident.confirmed_at
        else [],
    )


def measures_across(*, actor: User, now: datetime) -> list[tuple[Incident, Measures]]:
    """The measures of every confirmed incident, newest first (the measures page)."""
    incidents = incident_list(actor=actor).exclude(confirmed_at=None)[:100]
    return [(incident, incident_measures(incident, now=now)) for incident in incidents]
