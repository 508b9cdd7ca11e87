"""The customers router: organisations, contacts, projects, timelines, CSV import and export."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.core.models import User
from kefu.core.pagination import BoundedLimitOffsetPagination
from kefu.core.requests import request_user as actor_of
from kefu.customers import selectors, services
from kefu.customers.csv_io import export_filename
from kefu.customers.errors import CsvImportError
from kefu.customers.models import Contact, Organisation, Project
from kefu.customers.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    ContactQuery,
    ExportQuery,
    ImportErrorOut,
    ImportOut,
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationQuery,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProjectQuery,
    RevealIn,
    RevealOut,
    TimelineItemOut,
    TimelineQuery,
)
from kefu.customers.timeline import Audience, TimelineItem, customer_timeline

router = Router(tags=["customers"])


# -- organisations -------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations")
@paginate(BoundedLimitOffsetPagination)
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationQuery]
) -> QuerySet[Organisation]:
    return selectors.organisation_list(actor=actor_of(request), query=filters.q, tier=filters.tier)


@router.post("/organisations", response={201: OrganisationDetailOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    actor = actor_of(request)
    organisation = services.organisation_create(actor=actor, **payload.dict(), at=timezone.now())
    return Status(201, selectors.organisation_get(actor=actor, organisation_id=organisation.pk))


@router.get("/organisations/{organisation_id}", response=OrganisationDetailOut)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    return selectors.organisation_get(actor=actor_of(request), organisation_id=organisation_id)


@router.patch("/organisations/{organisation_id}", response=OrganisationDetailOut)
def organisation_update(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Organisation:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    services.organisation_update(
        actor=actor,
        organisation=organisation,
        at=timezone.now(),
        **payload.dict(exclude_unset=True),
    )
    return selectors.organisation_get(actor=actor, organisation_id=organisation_id)


@router.get(
    "/organisations/{organisation_id}/timeline",
    response=list[TimelineItemOut],
    summary="Cases and messages of an organisation, newest first",
)
def organisation_timeline(
    request: HttpRequest, organisation_id: int, query: Query[TimelineQuery]
) -> list[TimelineItem]:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    return customer_timeline(
        actor=actor,
        organisation=organisation,
        audience=Audience(query.audience),
        limit=query.limit,
    )


# -- contacts ------------------------------------------------------------------------------


def _contact_fields(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """Replace ``organisation_id`` by the organisation (None stays None)."""
    if "organisation_id" in data:
        organisation_id = data.pop("organisation_id")
        data["organisation"] = (
            None
            if organisation_id is None
            else selectors.organisation_get(actor=actor, organisation_id=organisation_id)
        )
    return data


@router.get("/contacts", response=list[ContactOut], summary="Contacts")
@paginate(BoundedLimitOffsetPagination)
def contact_list(request: HttpRequest, filters: Query[ContactQuery]) -> QuerySet[Contact]:
    return selectors.contact_list(
        actor=actor_of(request), query=filters.q, include_inactive=filters.include_inactive
    )


@router.post("/contacts", response={201: ContactOut})
def contact_create(request: HttpRequest, payload: ContactIn) -> Status[Contact]:
    actor = actor_of(request)
    fields = _contact_fields(actor, payload.dict())
    contact = services.contact_create(actor=actor, **fields, at=timezone.now())
    return Status(201, selectors.contact_get(actor=actor, contact_id=contact.pk))


@router.get("/contacts/{contact_id}", response=ContactOut)
def contact_detail(request: HttpRequest, contact_id: int) -> Contact:
    return selectors.contact_get(actor=actor_of(request), contact_id=contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut)
def contact_update(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    actor = actor_of(request)
    contact = selectors.contact_get(actor=actor, contact_id=contact_id)
    fields = _contact_fields(actor, payload.dict(exclude_unset=True))
    services.contact_update(actor=actor, contact=contact, at=timezone.now(), **fields)
    return selectors.contact_get(actor=actor, contact_id=contact_id)


@router.post(
    "/contacts/{contact_id}/reveal",
    response=RevealOut,
    summary="The full phone and ID number (team leads and up; audit-logged)",
    description='Send `{"fields": ["phone"]}` for one value, or `{}` for both.',
)
def contact_reveal(request: HttpRequest, contact_id: int, payload: RevealIn) -> dict[str, object]:
    actor = actor_of(request)
    contact = selectors.contact_get(actor=actor, contact_id=contact_id)
    values = services.contact_reveal_pii(
        actor=actor, contact=contact, fields=payload.fields, at=timezone.now()
    )
    return {"id": contact.pk, **values}


@router.get(
    "/contacts/{contact_id}/timeline",
    response=list[TimelineItemOut],
    summary="Cases and messages of a contact, newest first",
)
def contact_timeline(
    request: HttpRequest, contact_id: int, query: Query[TimelineQuery]
) -> list[TimelineItem]:
    actor = actor_of(request)
    contact = selectors.contact_get(actor=actor, contact_id=contact_id)
    return customer_timeline(
        actor=actor, contact=contact, audience=Audience(query.audience), limit=query.limit
    )


# -- projects ------------------------------------------------------------------------------


def _project_fields(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """Replace ``project_manager_id`` by the user (None stays None)."""
    if "project_manager_id" in data:
        user_id = data.pop("project_manager_id")
        data["project_manager"] = (
            None if user_id is None else selectors.project_manager_get(actor=actor, user_id=user_id)
        )
    return data


@router.get("/projects", response=list[ProjectOut], summary="Projects")
@paginate(BoundedLimitOffsetPagination)
def project_list(request: HttpRequest, filters: Query[ProjectQuery]) -> QuerySet[Project]:
    actor = actor_of(request)
    organisation = (
        None
        if filters.organisation_id is None
        else selectors.organisation_get(actor=actor, organisation_id=filters.organisation_id)
    )
    return selectors.project_list(actor=actor, organisation=organisation, status=filters.status)


@router.post("/projects", response={201: ProjectOut})
def project_create(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    actor = actor_of(request)
    data = _project_fields(actor, payload.dict())
    organisation = selectors.organisation_get(
        actor=actor, organisation_id=data.pop("organisation_id")
    )
    project = services.project_create(
        actor=actor, organisation=organisation, **data, at=timezone.now()
    )
    return Status(201, selectors.project_get(actor=actor, project_id=project.pk))


@router.patch("/projects/{project_id}", response=ProjectOut)
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    actor = actor_of(request)
    project = selectors.project_get(actor=actor, project_id=project_id)
    fields = _project_fields(actor, payload.dict(exclude_unset=True))
    services.project_update(actor=actor, project=project, at=timezone.now(), **fields)
    return selectors.project_get(actor=actor, project_id=project_id)


# -- CSV -----------------------------------------------------------------------------------


@router.post(
    "/customers/import",
    response={200: ImportOut, 422: ImportErrorOut},
    summary="Import organisations and contacts from CSV (all or nothing)",
)
def customers_import(
    request: HttpRequest, file: File[UploadedFile]
) -> services.ImportResult | Status[dict[str, object]]:
    try:
        return services.customers_import_csv(
            actor=actor_of(request), data=file.read(), at=timezone.now()
        )
    except CsvImportError as exc:
        return Status(
            422,
            {
                "code": str(exc.code),
                "message": exc.text(),
                "errors": [{"line": error.line, "reason": error.reason} for error in exc.errors],
            },
        )


@router.get(
    "/customers/export",
    summary="Organisations and contacts as CSV (phones and emails masked unless you may reveal)",
)
def customers_export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    now = timezone.now()
    data = services.customers_export_csv(actor=actor_of(request), masked=query.masked, at=now)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(now)}"'
    return response
