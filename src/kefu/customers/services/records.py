"""Organisations, contacts and projects: create, update, reveal personal data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, TypedDict, Unpack

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers import validation
from kefu.customers.errors import CustomerErrorCode, CustomerInvalidError
from kefu.customers.masking import mask_id_number, mask_phone
from kefu.customers.models import Contact, Organisation, Project
from kefu.customers.phones import phone_match_keys

# Personal data that reaches the audit log only through these masks.
AUDIT_MASKS: dict[str, Callable[[str], str]] = {"phone": mask_phone, "id_number": mask_id_number}
_RELATIONS = ("organisation", "project_manager")


class OrganisationChanges(TypedDict, total=False):
    name: str
    tier: str
    industry: str
    address: str
    region: str
    tags: list[str]
    notes: str


class ContactChanges(TypedDict, total=False):
    organisation: Organisation | None
    name: str
    title: str
    phone: str
    email: str
    im_handle: str
    id_number: str
    language: str
    preferred_channels: list[str]
    quiet_hours_start: time | None
    quiet_hours_end: time | None
    is_active: bool


class ProjectChanges(TypedDict, total=False):
    name: str
    site: str
    project_manager: User | None
    status: str
    starts_on: date | None
    ends_on: date | None


class RevealField(StrEnum):
    PHONE = "phone"
    ID_NUMBER = "id_number"


def audit_value(field: str, value: object) -> object:
    """``value`` as the audit log stores it: JSON, with personal data masked."""
    if field in AUDIT_MASKS and isinstance(value, str):
        return AUDIT_MASKS[field](value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, time | date):
        return value.isoformat()
    return value


def _current(instance: models.Model, field: str) -> object:
    # Compare relations by key so a change check never loads the related row.
    if field in _RELATIONS:
        return getattr(instance, f"{field}_id")
    return getattr(instance, field)


def apply_changes(
    instance: models.Model, changes: Mapping[str, Any]
) -> tuple[dict[str, object], dict[str, object]]:
    """Set ``changes`` on ``instance``; return the audit before/after of what differed."""
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for field, value in changes.items():
        new = value.pk if field in _RELATIONS and value is not None else value
        old = _current(instance, field)
        if old == new:
            continue
        before[field] = audit_value(field, old)
        after[field] = audit_value(field, new)
        setattr(instance, field, value)
    return before, after


def created_snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, object]:
    """The audit ``after`` of a new record: its non-empty fields, personal data masked."""
    snapshot: dict[str, object] = {}
    for field in fields:
        value = getattr(instance, field)
        if value not in ("", None, []):
            snapshot[field] = audit_value(field, value)
    return snapshot


# -- organisations -------------------------------------------------------------------------


def _clean_organisation(changes: OrganisationChanges) -> OrganisationChanges:
    cleaned = OrganisationChanges(**changes)
    if "name" in changes:
        cleaned["name"] = validation.clean_name(changes["name"], max_length=200)
    if "tier" in changes:
        cleaned["tier"] = validation.clean_tier(changes["tier"])
    for field in ("industry", "address", "region", "notes"):
        if field in changes:
            cleaned[field] = changes[field].strip()
    if "tags" in changes:
        cleaned["tags"] = validation.clean_tags(changes["tags"])
    return cleaned


def _check_organisation_name_free(name: str, *, exclude: Organisation | None = None) -> None:
    taken = Organisation.objects.filter(name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ConflictError(
            CustomerErrorCode.DUPLICATE_ORGANISATION,
            _("An organisation with this name already exists."),
        )


def organisation_insert(
    *, actor: User | None, fields: OrganisationChanges, at: datetime
) -> Organisation:
    """Create from already cleaned ``fields`` and audit it. No authorization: callers do it."""
    organisation = Organisation.objects.create(created_at=at, **fields)
    audit_record(
        actor=actor,
        action="organisation.created",
        target=organisation,
        at=at,
        after=created_snapshot(
            organisation, ["name", "tier", "industry", "address", "region", "tags", "notes"]
        ),
    )
    return organisation


def organisation_apply(
    *, actor: User | None, organisation: Organisation, changes: OrganisationChanges, at: datetime
) -> bool:
    """Apply already cleaned ``changes`` and audit them; whether anything changed."""
    before, after = apply_changes(organisation, changes)
    if not after:
        return False
    organisation.save(update_fields=list(after))
    audit_record(
        actor=actor,
        action="organisation.updated",
        target=organisation,
        at=at,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    name: str,
    tier: str = Organisation.Tier.STANDARD,
    industry: str = "",
    address: str = "",
    region: str = "",
    tags: Sequence[str] = (),
    notes: str = "",
    at: datetime,
) -> Organisation:
    """Create an organisation; its name must be unique. Needs ``WORK_CASES``."""
    authorize(actor, Perm.WORK_CASES)
    fields = _clean_organisation(
        OrganisationChanges(
            name=name,
            tier=tier,
            industry=industry,
            address=address,
            region=region,
            tags=list(tags),
            notes=notes,
        )
    )
    _check_organisation_name_free(fields["name"])
    return organisation_insert(actor=actor, fields=fields, at=at)


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    at: datetime,
    **changes: Unpack[OrganisationChanges],
) -> Organisation:
    """Change the given fields only; an unchanged value writes nothing. Needs ``WORK_CASES``."""
    authorize(actor, Perm.WORK_CASES)
    cleaned = _clean_organisation(changes)
    if "name" in cleaned:
        _check_organisation_name_free(cleaned["name"], exclude=organisation)
    organisation_apply(actor=actor, organisation=organisation, changes=cleaned, at=at)
    return organisation


# -- contacts ------------------------------------------------------------------------------

CONTACT_FIELDS = (
    "organisation",
    "name",
    "title",
    "phone",
    "email",
    "im_handle",
    "id_number",
    "language",
    "preferred_channels",
    "quiet_hours_start",
    "quiet_hours_end",
    "is_active",
)


def clean_contact(changes: ContactChanges) -> ContactChanges:
    """Validate and normalise each given field (quiet hours are checked as a pair later)."""
    cleaned = ContactChanges(**changes)
    if "name" in changes:
        cleaned["name"] = validation.clean_name(changes["name"])
    if "phone" in changes:
        cleaned["phone"] = validation.clean_phone(changes["phone"])
    if "email" in changes:
        cleaned["email"] = validation.clean_email(changes["email"])
    if "id_number" in changes:
        cleaned["id_number"] = validation.clean_id_number(changes["id_number"])
    if "language" in changes:
        cleaned["language"] = validation.clean_language(changes["language"])
    if "preferred_channels" in changes:
        cleaned["preferred_channels"] = validation.clean_channels(changes["preferred_channels"])
    for field in ("title", "im_handle"):
        if field in changes:
            cleaned[field] = changes[field].strip()
    return cleaned


def _check_contact_unique(
    *, organisation: Organisation | None, phone: str, email: str, exclude: Contact | None
) -> None:
    """Within one organisation no two contacts share an email or a phone (imports match on them)."""
    match = Q(pk__in=[])
    if email:
        match |= Q(email=email)
    if phone:
        # Any spelling: rows stored before numbers were normalised are not in E.164.
        match |= Q(phone__in=phone_match_keys(phone))
    others = Contact.objects.filter(match, organisation=organisation)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if (email or phone) and others.exists():
        raise ConflictError(
            CustomerErrorCode.DUPLICATE_CONTACT,
            _("Another contact of this organisation has the same email or phone."),
        )


def contact_insert(*, actor: User | None, fields: ContactChanges, at: datetime) -> Contact:
    """Create from already cleaned ``fields`` and audit it. No authorization: callers do it."""
    contact = Contact.objects.create(created_at=at, **fields)
    audit_record(
        actor=actor,
        action="contact.created",
        target=contact,
        at=at,
        after=created_snapshot(contact, CONTACT_FIELDS),
    )
    return contact


def contact_apply(
    *, actor: User | None, contact: Contact, changes: ContactChanges, at: datetime
) -> bool:
    """Apply already cleaned ``changes`` and audit them; whether anything changed."""
    before, after = apply_changes(contact, changes)
    if not after:
        return False
    contact.save(update_fields=list(after))
    audit_record(
        actor=actor, action="contact.updated", target=contact, at=at, before=before, after=after
    )
    return True


@transaction.atomic
def contact_create(
    *,
    actor: User,
    organisation: Organisation | None,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    im_handle: str = "",
    id_number: str = "",
    language: str = "zh-hans",
    preferred_channels: Sequence[str] = (),
    quiet_hours_start: time | None = None,
    quiet_hours_end: time | None = None,
    at: datetime,
) -> Contact:
    """Create a contact, optionally of an organisation. Needs ``WORK_CASES``.

    Phone: 5-20 digits with an optional leading ``+``. Email: a valid address.
    Language: one of ``settings.LANGUAGES``. Preferred channels: distinct
    ``Channel`` values in order of preference. Quiet hours: both or neither.
    Email and phone are unique within the organisation.
    """
    authorize(actor, Perm.WORK_CASES)
    fields = clean_contact(
        ContactChanges(
            organisation=organisation,
            name=name,
            title=title,
            phone=phone,
            email=email,
            im_handle=im_handle,
            id_number=id_number,
            language=language,
            preferred_channels=list(preferred_channels),
            quiet_hours_start=quiet_hours_start,
            quiet_hours_end=quiet_hours_end,
        )
    )
    validation.clean_quiet_hours(quiet_hours_start, quiet_hours_end)
    _check_contact_unique(
        organisation=organisation, phone=fields["phone"], email=fields["email"], exclude=None
    )
    return contact_insert(actor=actor, fields=fields, at=at)


@transaction.atomic
def contact_update(
    *, actor: User, contact: Contact, at: datetime, **changes: Unpack[ContactChanges]
) -> Contact:
    """Change the given fields only, with the checks of ``contact_create``. Needs ``WORK_CASES``.

    ``is_active=False`` hides a contact who left; their cases keep pointing at them.
    """
    authorize(actor, Perm.WORK_CASES)
    cleaned = clean_contact(changes)
    validation.clean_quiet_hours(
        cleaned.get("quiet_hours_start", contact.quiet_hours_start),
        cleaned.get("quiet_hours_end", contact.quiet_hours_end),
    )
    if {"organisation", "phone", "email"} & cleaned.keys():
        _check_contact_unique(
            organisation=cleaned.get("organisation", contact.organisation),
            phone=cleaned.get("phone", contact.phone),
            email=cleaned.get("email", contact.email),
            exclude=contact,
        )
    contact_apply(actor=actor, contact=contact, changes=cleaned, at=at)
    return contact


@transaction.atomic
def contact_reveal_pii(
    *, actor: User, contact: Contact, fields: Sequence[str], at: datetime
) -> dict[str, str]:
    """Return the full values of ``fields`` (``phone``, ``id_number``) of ``contact``.

    Needs ``REVEAL_PII``. Each reveal is audit-logged as ``contact.pii_revealed``
    naming the fields revealed, never their values.
    """
    authorize(actor, Perm.REVEAL_PII)
    wanted: list[RevealField] = []
    for field in fields:
        if field not in {member.value for member in RevealField}:
            raise CustomerInvalidError(
                CustomerErrorCode.UNKNOWN_REVEAL_FIELD,
                _("Only %(known)s can be revealed."),
                known=", ".join(RevealField),
            )
        if RevealField(field) not in wanted:
            wanted.append(RevealField(field))
    audit_record(
        actor=actor,
        action="contact.pii_revealed",
        target=contact,
        at=at,
        after={"fields": [str(field) for field in wanted]},
    )
    return {str(field): getattr(contact, field) for field in wanted}


# -- projects ------------------------------------------------------------------------------


def _clean_project(changes: ProjectChanges) -> ProjectChanges:
    cleaned = ProjectChanges(**changes)
    if "name" in changes:
        cleaned["name"] = validation.clean_name(changes["name"], max_length=200)
    if "site" in changes:
        cleaned["site"] = changes["site"].strip()
    if "status" in changes:
        cleaned["status"] = validation.clean_project_status(changes["status"])
    manager = changes.get("project_manager")
    if manager is not None and not manager.is_active:
        raise CustomerInvalidError(
            CustomerErrorCode.INACTIVE_PROJECT_MANAGER,
            _("The project manager must be an active member of staff."),
        )
    return cleaned


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise CustomerInvalidError(
            CustomerErrorCode.INVALID_DATES, _("A project cannot end before it starts.")
        )


@transaction.atomic
def project_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    site: str = "",
    project_manager: User | None = None,
    status: str = Project.Status.ACTIVE,
    starts_on: date | None = None,
    ends_on: date | None = None,
    at: datetime,
) -> Project:
    """Create a project of ``organisation``. Needs ``WORK_CASES``."""
    authorize(actor, Perm.WORK_CASES)
    fields = _clean_project(
        ProjectChanges(
            name=name,
            site=site,
            project_manager=project_manager,
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    )
    _check_dates(starts_on, ends_on)
    project = Project.objects.create(organisation=organisation, **fields)
    audit_record(
        actor=actor,
        action="project.created",
        target=project,
        at=at,
        after={
            "organisation": organisation.pk,
            **created_snapshot(
                project, ["name", "site", "project_manager", "status", "starts_on", "ends_on"]
            ),
        },
    )
    return project


@transaction.atomic
def project_update(
    *, actor: User, project: Project, at: datetime, **changes: Unpack[ProjectChanges]
) -> Project:
    """Change the given fields only. Needs ``WORK_CASES``.

    A status change is audited on its own as ``project.status_changed`` (a
    stoppage or a resumption is what other teams look for), the other fields
    as ``project.updated``. The status is re-checked in the UPDATE, so two
    people changing it at once cannot both win: the second gets a conflict.
    """
    authorize(actor, Perm.WORK_CASES)
    cleaned = _clean_project(changes)
    _check_dates(
        cleaned.get("starts_on", project.starts_on), cleaned.get("ends_on", project.ends_on)
    )
    old_status = project.status
    before, after = apply_changes(project, cleaned)
    if not after:
        return project
    written = Project.objects.filter(pk=project.pk, status=old_status).update(
        **{field: getattr(project, field) for field in after}
    )
    if written != 1:
        raise ConflictError(
            CustomerErrorCode.PROJECT_CHANGED,
            _("Someone changed this project's status meanwhile; reload and try again."),
        )
    if "status" in after:
        audit_record(
            actor=actor,
            action="project.status_changed",
            target=project,
            at=at,
            before={"status": before.pop("status")},
            after={"status": after.pop("status")},
        )
    if after:
        audit_record(
            actor=actor, action="project.updated", target=project, at=at, before=before, after=after
        )
    return project
