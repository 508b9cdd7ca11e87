"""API schemas of the customers app. Inputs forbid unknown fields.

Outputs never carry a full phone or ID number: only ``phone_masked`` and
``id_number_masked``. The full values come from ``POST /contacts/{id}/reveal``.
``email`` is in full only for staff who may reveal personal data, masked for
everyone else.
Field values (tier, language, channels, status) are checked by the services,
so the API and the pages refuse the same things with the same codes.
"""

from datetime import date, datetime, time
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.schemas import StrictInput
from kefu.customers.masking import mask_email, mask_id_number, mask_phone
from kefu.customers.models import Contact, Project

# -- outputs -------------------------------------------------------------------------------


class ContactOut(Schema):
    """A contact; ``email`` masked unless the caller holds ``REVEAL_PII``."""

    id: int
    organisation_id: int | None
    organisation_name: str | None
    name: str
    title: str
    phone_masked: str
    email: str
    im_handle: str
    id_number_masked: str
    language: str
    preferred_channels: list[str]
    quiet_hours_start: time | None
    quiet_hours_end: time | None
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_email(obj: Contact, context: dict[str, Any] | None = None) -> str:
        request = (context or {}).get("request")
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.has_role_perm(Perm.REVEAL_PII):
            return obj.email
        return mask_email(obj.email)

    @staticmethod
    def resolve_phone_masked(obj: Contact) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number_masked(obj: Contact) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_organisation_name(obj: Contact) -> str | None:
        return obj.organisation.name if obj.organisation is not None else None


class ProjectOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    name: str
    site: str
    project_manager_id: int | None
    project_manager_name: str | None
    status: str
    starts_on: date | None
    ends_on: date | None

    @staticmethod
    def resolve_organisation_name(obj: Project) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_project_manager_name(obj: Project) -> str | None:
        return str(obj.project_manager) if obj.project_manager is not None else None


class OrganisationOut(Schema):
    id: int
    name: str
    tier: str
    industry: str
    address: str
    region: str
    tags: list[str]
    created_at: datetime
    contact_count: int
    project_count: int


class OrganisationDetailOut(Schema):
    id: int
    name: str
    tier: str
    industry: str
    address: str
    region: str
    tags: list[str]
    notes: str
    created_at: datetime
    contacts: list[ContactOut]
    projects: list[ProjectOut]


class RevealOut(Schema):
    id: int
    phone: str | None = None
    id_number: str | None = None


class TimelineItemOut(Schema):
    at: datetime
    kind: str
    title: str
    body_excerpt: str
    link: str


class ImportOut(Schema):
    organisations_created: int
    organisations_updated: int
    contacts_created: int
    contacts_updated: int
    contacts_unchanged: int


class LineErrorOut(Schema):
    line: int
    reason: str


class ImportErrorOut(Schema):
    code: str
    message: str
    errors: list[LineErrorOut]


# -- inputs --------------------------------------------------------------------------------


class OrganisationQuery(StrictInput):
    q: str = Field("", max_length=200)
    tier: str = Field("", max_length=20)


class OrganisationIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    tier: str = "standard"
    industry: str = Field("", max_length=100)
    address: str = Field("", max_length=300)
    region: str = Field("", max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=5000)


class OrganisationPatch(StrictInput):
    """Only the fields sent change."""

    name: str = Field("", min_length=1, max_length=200)
    tier: str = "standard"
    industry: str = Field("", max_length=100)
    address: str = Field("", max_length=300)
    region: str = Field("", max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=5000)


class ContactQuery(StrictInput):
    q: str = Field("", max_length=200)
    include_inactive: bool = False


class ContactIn(StrictInput):
    organisation_id: int | None = None
    name: str = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    im_handle: str = Field("", max_length=100)
    id_number: str = Field("", max_length=40)
    language: str = "zh-hans"
    preferred_channels: list[str] = Field(default_factory=list, max_length=10)
    quiet_hours_start: time | None = None
    quiet_hours_end: time | None = None


class ContactPatch(StrictInput):
    """Only the fields sent change; ``null`` clears quiet hours or the organisation."""

    organisation_id: int | None = None
    name: str = Field("", min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    im_handle: str = Field("", max_length=100)
    id_number: str = Field("", max_length=40)
    language: str = "zh-hans"
    preferred_channels: list[str] = Field(default_factory=list, max_length=10)
    quiet_hours_start: time | None = None
    quiet_hours_end: time | None = None
    is_active: bool = True


RevealFieldName = Literal["phone", "id_number"]


def _every_reveal_field() -> list[RevealFieldName]:
    return ["phone", "id_number"]


class RevealIn(StrictInput):
    fields: list[RevealFieldName] = Field(default_factory=_every_reveal_field, min_length=1)


class TimelineQuery(StrictInput):
    audience: Literal["staff", "customer"] = "staff"
    limit: int = Field(100, ge=1, le=500)


class ProjectQuery(StrictInput):
    organisation_id: int | None = None
    status: str = Field("", max_length=20)


class ProjectIn(StrictInput):
    organisation_id: int
    name: str = Field(min_length=1, max_length=200)
    site: str = Field("", max_length=300)
    project_manager_id: int | None = None
    status: str = "active"
    starts_on: date | None = None
    ends_on: date | None = None


class ProjectPatch(StrictInput):
    """Only the fields sent change; ``null`` clears the manager or a date."""

    name: str = Field("", min_length=1, max_length=200)
    site: str = Field("", max_length=300)
    project_manager_id: int | None = None
    status: str = "active"
    starts_on: date | None = None
    ends_on: date | None = None


class ExportQuery(StrictInput):
    masked: bool = False
