"""What the public status page shows: the components the business chose, their current
incidents with the public updates in order, and the last ``HISTORY_DAYS`` days.

An incident is public when it is not internal, has been confirmed (never a
draft or a cancelled one) and touches a shown component (its project, or the
component lists it). Its public updates are the notices sent to customers
(first notice, updates, resumption), never drafts, surveys or call scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kefu.core.timefmt import default_zone
from kefu.incidents.models import Incident, Notice
from kefu.portal.models import StatusComponent
from kefu.portal.selectors import portal_settings

HISTORY_DAYS = 90
PUBLIC_STATUSES = (
    Incident.Status.CONFIRMED,
    Incident.Status.RESUMING,
    Incident.Status.RESUMED,
    Incident.Status.REVIEWED,
)
CURRENT_STATUSES = (Incident.Status.CONFIRMED, Incident.Status.RESUMING)
UPDATE_KINDS = (Notice.Kind.FIRST, Notice.Kind.UPDATE, Notice.Kind.RESUMPTION)


def status_page_on() -> bool:
    """Whether the business turned the public status page on (off by default)."""
    return portal_settings().status_page_enabled


def shown_components() -> list[StatusComponent]:
    return list(StatusComponent.objects.filter(is_shown=True).prefetch_related("incidents"))


def _component_q(component: StatusComponent) -> Q:
    q = Q(pk__in=[incident.pk for incident in component.incidents.all()])
    if component.project_id is not None:
        q |= Q(projects=component.project_id)
    return q


def public_incidents(components: list[StatusComponent] | None = None) -> QuerySet[Incident]:
    """Every incident the status page may show (see the module's rule)."""
    components = shown_components() if components is None else components
    touches = Q(pk__in=[])
    for component in components:
        touches |= _component_q(component)
    return (
        Incident.objects.filter(touches, is_internal=False, status__in=PUBLIC_STATUSES)
        .distinct()
        .order_by("-started_at", "-pk")
    )


@dataclass(frozen=True)
class PublicUpdate:
    kind: str
    subject: str
    body: str
    sent_at: datetime


@dataclass(frozen=True)
class PublicIncident:
    incident: Incident
    is_current: bool
    updates: list[PublicUpdate]
    components: list[str]


@dataclass(frozen=True)
class DayCell:
    day: date
    incidents: int


@dataclass(frozen=True)
class ComponentState:
    name: str
    is_disrupted: bool
    days: list[DayCell]


@dataclass(frozen=True)
class StatusPage:
    title: str
    components: list[ComponentState]
    current: list[PublicIncident]
    history: list[PublicIncident]


def public_updates(incident: Incident, *, language: str) -> list[PublicUpdate]:
    """The incident's notices sent to customers, oldest first, in ``language``."""
    return [
        PublicUpdate(
            kind=notice.get_kind_display(),
            subject=notice.subject_in(language),
            body=notice.body_in(language),
            sent_at=notice.sent_at,
        )
        for notice in Notice.objects.filter(
            incident=incident, status=Notice.Status.SENT, kind__in=UPDATE_KINDS
        ).order_by("sent_at", "pk")
        if notice.sent_at is not None
    ]


def _days_active(incident: Incident, *, now: datetime) -> tuple[date, date]:
    zone = default_zone()
    end = incident.resumed_at or incident.cancelled_at or now
    return incident.started_at.astimezone(zone).date(), end.astimezone(zone).date()


def status_page(*, language: str, now: datetime | None = None) -> StatusPage:
    """The whole page in ``language`` at ``now``."""
    now = now or timezone.now()
    components = shown_components()
    since = now - timedelta(days=HISTORY_DAYS)
    incidents = list(
        public_incidents(components)
        .filter(
            Q(status__in=CURRENT_STATUSES) | Q(started_at__gte=since) | Q(resumed_at__gte=since)
        )
        .prefetch_related("projects")
    )
    today = now.astimezone(default_zone()).date()
    days = [today - timedelta(days=offset) for offset in range(HISTORY_DAYS - 1, -1, -1)]
    names: dict[int, list[str]] = {incident.pk: [] for incident in incidents}
    states: list[ComponentState] = []
    for component in components:
        listed = {incident.pk for incident in component.incidents.all()}
        mine = [
            incident
            for incident in incidents
            if incident.pk in listed
            or any(project.pk == component.project_id for project in incident.projects.all())
        ]
        for incident in mine:
            names[incident.pk].append(component.name_in(language))
        spans = [_days_active(incident, now=now) for incident in mine]
        states.append(
            ComponentState(
                name=component.name_in(language),
                is_disrupted=any(incident.status in CURRENT_STATUSES for incident in mine),
                days=[
                    DayCell(day=day, incidents=sum(1 for s, e in spans if s <= day <= e))
                    for day in days
                ],
            )
        )
    current: list[PublicIncident] = []
    history: list[PublicIncident] = []
    for incident in incidents:
        shown = PublicIncident(
            incident=incident,
            is_current=incident.status in CURRENT_STATUSES,
            updates=public_updates(incident, language=language),
            components=names[incident.pk],
        )
        (current if shown.is_current else history).append(shown)
    return StatusPage(
        title=portal_settings().status_title(language),
        components=states,
        current=current,
        history=history,
    )
