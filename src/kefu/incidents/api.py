"""The incidents endpoints under /api/v1/."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.requests import request_user as actor_of
from kefu.incidents import selectors, services
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Delivery, Incident, Notice
from kefu.incidents.schemas import (
    AffectedIn,
    DeliveryOut,
    IncidentIn,
    IncidentOut,
    NoticeOut,
    ResumeIn,
    UpdateIn,
)

router = Router(tags=["incidents"])


def _out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk,
        reference=incident.reference,
        title=incident.title,
        kind=incident.kind,
        cause=incident.cause,
        status=incident.status,
        owner=incident.owner.username,
        started_at=incident.started_at,
        expected_from=incident.expected_from,
        expected_to=incident.expected_to,
        update_interval_hours=list(incident.update_interval_hours),
        next_update_due_at=incident.next_update_due_at,
        affected_contacts=selectors.affected_count(incident),
        confirmed_at=incident.confirmed_at,
        resumed_at=incident.resumed_at,
    )


def _notice_out(notice: Notice) -> NoticeOut:
    return NoticeOut(
        id=notice.pk,
        kind=notice.kind,
        status=notice.status,
        subject_zh=notice.subject_zh,
        subject_en=notice.subject_en,
        body_zh=notice.body_zh,
        body_en=notice.body_en,
        due_at=notice.due_at,
        sent_at=notice.sent_at,
        is_automatic=notice.is_automatic,
        author=notice.author.username if notice.author else None,
    )


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    return selectors.access_incident(actor_of(request), incident_id)


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFoundError(
            IncidentErrorCode.BAD_INPUT, _("No active user %(name)s."), name=username
        )
    return user


@router.get("/incidents", response=list[IncidentOut], summary="Incidents, newest first")
def incident_list(request: HttpRequest) -> list[IncidentOut]:
    return [_out(i) for i in selectors.incident_list(actor=actor_of(request))[:100]]


@router.post(
    "/incidents",
    response={201: IncidentOut},
    summary="Record a stoppage or outage (a draft), optionally with its affected contacts",
)
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status[IncidentOut]:
    actor = actor_of(request)
    now = timezone.now()
    incident = services.incident_create(
        actor=actor,
        title=payload.title,
        kind=payload.kind,
        cause=payload.cause,
        next_steps=payload.next_steps,
        contact_point=payload.contact_point,
        started_at=payload.started_at,
        expected_from=payload.expected_from,
        expected_to=payload.expected_to,
        owner=_user(payload.owner) if payload.owner else None,
        update_interval_hours=payload.update_interval_hours,
        auto_send_updates=payload.auto_send_updates,
        at=now,
    )
    if payload.affected is not None:
        _pick(actor, incident, payload.affected)
    return Status(201, _out(incident))


def _pick(actor: User, incident: Incident, affected: AffectedIn) -> None:
    services.incident_pick_affected(
        actor=actor,
        incident=incident,
        projects=affected.projects,
        organisations=affected.organisations,
        contacts=affected.contacts,
        tags=affected.tags,
        regions=affected.regions,
        at=timezone.now(),
    )


@router.get("/incidents/{incident_id}", response=IncidentOut)
def incident_get(request: HttpRequest, incident_id: int) -> IncidentOut:
    return _out(_incident(request, incident_id))


@router.post(
    "/incidents/{incident_id}/affected",
    response=IncidentOut,
    summary="Add affected contacts by project, customer, contact, tag or region",
)
def incident_affected(request: HttpRequest, incident_id: int, payload: AffectedIn) -> IncidentOut:
    incident = _incident(request, incident_id)
    _pick(actor_of(request), incident, payload)
    return _out(incident)


@router.post(
    "/incidents/{incident_id}/confirm",
    response=IncidentOut,
    summary="Confirm: the first notice goes to every affected contact on two channels",
)
def incident_confirm(request: HttpRequest, incident_id: int) -> IncidentOut:
    incident = _incident(request, incident_id)
    services.incident_confirm(actor=actor_of(request), incident=incident, at=timezone.now())
    return _out(selectors.access_incident(actor_of(request), incident_id))


@router.get(
    "/incidents/{incident_id}/deliveries",
    response=list[DeliveryOut],
    summary="One row per notice, contact and channel, with its status",
)
def incident_deliveries(
    request: HttpRequest, incident_id: int, notice: int | None = None
) -> list[DeliveryOut]:
    incident = _incident(request, incident_id)
    rows = selectors.deliveries_of(incident)
    if notice is not None:
        rows = rows.filter(notice_id=notice)
    return [_delivery_out(row) for row in rows[:20_000]]


def _delivery_out(row: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=row.pk,
        notice_id=row.notice_id,
        notice_kind=row.notice.kind,
        contact_id=row.contact_id,
        contact_name=row.contact.name,
        channel=row.channel,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        handed_at=row.handed_at,
        last_error=row.last_error,
        external_id=row.external_id,
        fallback_of=row.fallback_of_id,
    )


@router.get("/incidents/{incident_id}/updates", response=list[NoticeOut], summary="Every notice")
def incident_updates(request: HttpRequest, incident_id: int) -> list[NoticeOut]:
    return [_notice_out(n) for n in selectors.notices_of(_incident(request, incident_id))]


@router.post(
    "/incidents/{incident_id}/updates",
    response={201: NoticeOut},
    summary="Send an update now (the waiting draft, with any edited text)",
)
def incident_update_send(
    request: HttpRequest, incident_id: int, payload: UpdateIn
) -> Status[NoticeOut]:
    notice = services.update_send(
        actor=actor_of(request),
        incident=_incident(request, incident_id),
        body_zh=payload.body_zh,
        body_en=payload.body_en,
        at=timezone.now(),
    )
    return Status(201, _notice_out(notice))


@router.post(
    "/incidents/{incident_id}/resume",
    response={201: NoticeOut},
    summary="Send the resumption notice (the readiness checklist must be settled)",
)
def incident_resume(request: HttpRequest, incident_id: int, payload: ResumeIn) -> Status[NoticeOut]:
    notice = services.incident_resume(
        actor=actor_of(request),
        incident=_incident(request, incident_id),
        at=timezone.now(),
        **payload.model_dump(),
    )
    return Status(201, _notice_out(notice))
