"""Importing and exporting organisations and contacts as a CSV file (see ``csv_io``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.audit import audit_record
from kefu.core.authz import AuthzErrorCode
from kefu.core.errors import PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm, whom_to_ask
from kefu.customers import csv_io, selectors
from kefu.customers.errors import CsvImportError, LineError
from kefu.customers.masking import mask_email, mask_phone
from kefu.customers.models import Contact, Organisation
from kefu.customers.phones import same_phone
from kefu.customers.services.records import (
    ContactChanges,
    OrganisationChanges,
    contact_apply,
    contact_insert,
    organisation_apply,
    organisation_insert,
)
from kefu.customers.validation import format_quiet_hours

IMPORT_PERMS = (Perm.MANAGE_SETTINGS, Perm.APPROVE_ESCALATIONS)


@dataclass(frozen=True)
class ImportResult:
    organisations_created: int = 0
    organisations_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    contacts_unchanged: int = 0


@dataclass
class _Step:
    """What one checked row will do: its organisation by name, a contact to update or None."""

    row: csv_io.ImportRow
    contact: Contact | None
    changes: ContactChanges


@dataclass
class _Plan:
    organisations: dict[str, Organisation]
    steps: list[_Step] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def authorize_import(actor: User | None) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor`` may import (see ``customers_import_csv``).

    None is the operator at the command line, who holds the database anyway.
    """
    if actor is None or any(actor.has_role_perm(perm) for perm in IMPORT_PERMS):
        return
    raise PermissionDeniedError(
        AuthzErrorCode.NOT_ALLOWED,
        format_lazy(
            "{} {}",
            gettext_lazy("Importing customers is for team leads and department managers."),
            whom_to_ask(actor.role),
        ),
    )


def _contact_changes(row: csv_io.ImportRow, *, is_new: bool) -> ContactChanges:
    """The row's non-empty cells as changes; a masked phone changes nothing."""
    changes = ContactChanges(name=row.contact_name)
    if row.title:
        changes["title"] = row.title
    if row.phone and not row.phone_is_masked:
        changes["phone"] = row.phone
    if row.email:
        changes["email"] = row.email
    if row.im_handle:
        changes["im_handle"] = row.im_handle
    if row.language:
        changes["language"] = row.language
    if row.preferred_channels is not None:
        changes["preferred_channels"] = list(row.preferred_channels)
    if row.quiet_hours is not None:
        changes["quiet_hours_start"], changes["quiet_hours_end"] = row.quiet_hours
    if is_new:
        changes.setdefault("language", "zh-hans")
    return changes


def _match(row: csv_io.ImportRow, candidates: list[Contact]) -> tuple[Contact | None, str]:
    """The existing contact ``row`` refers to (or None for a new one), or a reason it cannot."""
    by_email = [c for c in candidates if row.email and c.email == row.email]
    by_phone = [
        c
        for c in candidates
        if row.phone and not row.phone_is_masked and same_phone(c.phone, row.phone)
    ]
    if by_email and by_phone and by_email[0] != by_phone[0]:
        return None, _("The email and the phone belong to two different contacts.")
    if by_email or by_phone:
        return (by_email or by_phone)[0], ""
    if row.phone_is_masked:
        masked = [
            c for c in candidates if mask_phone(c.phone) == row.phone and c.name == row.contact_name
        ]
        if len(masked) == 1:
            return masked[0], ""
        return None, _(
            "The phone number is masked, as in an export without full numbers; a masked "
            "number can only stand for an existing contact of the same name."
        )
    if not row.email and not row.phone:
        by_name = [c for c in candidates if c.name == row.contact_name]
        if len(by_name) == 1:
            return by_name[0], ""
    return None, ""


def _plan(rows: list[csv_io.ImportRow]) -> _Plan:
    """Match every row against the database; collect every problem before any write."""
    names = {row.organisation for row in rows if row.organisation}
    plan = _Plan(organisations={o.name: o for o in Organisation.objects.filter(name__in=names)})
    scope = Q(organisation__in=plan.organisations.values())
    if any(not row.organisation for row in rows):
        scope |= Q(organisation__isnull=True)
    by_organisation: dict[int | None, list[Contact]] = defaultdict(list)
    for existing in Contact.objects.filter(scope).order_by("pk"):
        by_organisation[existing.organisation_id].append(existing)
    claimed: dict[int, int] = {}
    for row in rows:
        if not row.has_contact:
            plan.steps.append(_Step(row, None, ContactChanges()))
            continue
        organisation = plan.organisations.get(row.organisation)
        if row.organisation and organisation is None:
            candidates: list[Contact] = []  # a new organisation has no contacts yet
        else:
            candidates = by_organisation[organisation.pk if organisation else None]
        contact, problem = _match(row, candidates)
        if problem:
            plan.errors.append(LineError(row.line, problem))
            continue
        if contact is not None:
            if contact.pk in claimed:
                plan.errors.append(
                    LineError(
                        row.line,
                        _("This row and line %(line)s refer to the same contact.")
                        % {"line": claimed[contact.pk]},
                    )
                )
                continue
            claimed[contact.pk] = row.line
        plan.steps.append(_Step(row, contact, _contact_changes(row, is_new=contact is None)))
    return plan


@dataclass
class _Counter:
    organisations_created: set[str] = field(default_factory=set)
    organisations_updated: set[str] = field(default_factory=set)
    contacts_created: int = 0
    contacts_updated: int = 0
    contacts_unchanged: int = 0


def _execute(plan: _Plan, *, actor: User | None, at: datetime) -> ImportResult:
    count = _Counter()
    for step in plan.steps:
        row = step.row
        organisation = plan.organisations.get(row.organisation)
        if row.organisation and organisation is None:
            fields = OrganisationChanges(name=row.organisation)
            if row.tier:
                fields["tier"] = row.tier
            organisation = organisation_insert(actor=actor, fields=fields, at=at)
            plan.organisations[row.organisation] = organisation
            count.organisations_created.add(row.organisation)
        elif (
            organisation is not None
            and row.tier
            and organisation_apply(
                actor=actor, organisation=organisation, changes={"tier": row.tier}, at=at
            )
        ):
            count.organisations_updated.add(row.organisation)
        if not row.has_contact:
            continue
        if step.contact is None:
            contact_insert(
                actor=actor, fields={"organisation": organisation, **step.changes}, at=at
            )
            count.contacts_created += 1
        elif contact_apply(actor=actor, contact=step.contact, changes=step.changes, at=at):
            count.contacts_updated += 1
        else:
            count.contacts_unchanged += 1
    return ImportResult(
        organisations_created=len(count.organisations_created),
        organisations_updated=len(count.organisations_updated - count.organisations_created),
        contacts_created=count.contacts_created,
        contacts_updated=count.contacts_updated,
        contacts_unchanged=count.contacts_unchanged,
    )


def customers_import_csv(*, actor: User | None, data: bytes, at: datetime) -> ImportResult:
    """Create or update organisations and contacts from a CSV file, all or nothing.

    Needs ``MANAGE_SETTINGS`` or ``APPROVE_ESCALATIONS`` (team leads, managers,
    administrators); ``actor`` None is the operator at the command line.

    The whole file is read and checked first. If any row has a problem,
    ``CsvImportError`` lists every one with its line number and nothing is
    written. Otherwise, in one transaction: an organisation is found by exact
    name or created; a contact is matched within its organisation by email,
    else by phone (a masked phone together with the same name), else, with
    neither given, by a unique name; unmatched contacts are created. Empty
    cells leave existing values as they are. Every record written is audited.
    """
    authorize_import(actor)
    if len(data) > csv_io.MAX_BYTES:
        raise CsvImportError([LineError(1, _("The file is larger than 5 MB; split it."))])
    try:
        text = csv_io.decode(data)
    except csv_io.MixedEncodingError as exc:
        message = _(
            "Line %(line)s is not in the encoding of line %(first)s (%(encoding)s): the file "
            "mixes UTF-8 and GBK. Save the whole file once as UTF-8 and import it again."
        ) % {"line": exc.line, "first": exc.first_line, "encoding": exc.first_encoding}
        raise CsvImportError([LineError(exc.line, message)]) from None
    except csv_io.UndecodableFileError as exc:
        raise CsvImportError(
            [LineError(exc.line, _("The file is neither UTF-8 nor GBK/GB18030 text."))]
        ) from None
    parsed = csv_io.parse(text)
    if parsed.errors:
        raise CsvImportError(parsed.errors)
    with transaction.atomic():
        plan = _plan(parsed.rows)
        if plan.errors:
            raise CsvImportError(plan.errors)
        return _execute(plan, actor=actor, at=at)


def _contact_cells(contact: Contact, *, full_pii: bool) -> list[str]:
    return [
        contact.name,
        contact.title,
        contact.phone if full_pii else mask_phone(contact.phone),
        contact.email if full_pii else mask_email(contact.email),
        contact.im_handle,
        contact.language,
        csv_io.format_channels(contact.preferred_channels),
        format_quiet_hours(contact.quiet_hours_start, contact.quiet_hours_end),
    ]


def customers_export_csv(*, actor: User | None, masked: bool = False, at: datetime) -> bytes:
    """Every organisation with its active contacts as a CSV file (``csv_io.render``).

    Phone numbers and email addresses are masked unless ``actor`` holds
    ``REVEAL_PII`` and did not ask for ``masked``. An export with full values is
    audit-logged as ``customers.exported_with_pii`` on the actor. ``actor`` None
    (the operator at the command line, who names no user) always gets them masked.
    """
    full_pii = actor is not None and actor.has_role_perm(Perm.REVEAL_PII) and not masked
    rows: list[list[str]] = []
    for organisation in selectors.organisation_export_list(actor=actor):
        head = [organisation.name, organisation.tier]
        contacts: list[Contact] = getattr(organisation, "active_contacts", [])
        if not contacts:
            rows.append(head + [""] * len(csv_io.CONTACT_COLUMNS))
        rows.extend(head + _contact_cells(c, full_pii=full_pii) for c in contacts)
    rows.extend(
        ["", "", *_contact_cells(contact, full_pii=full_pii)]
        for contact in selectors.contact_without_organisation_list(actor=actor)
    )
    if full_pii and actor is not None:
        audit_record(
            actor=actor,
            action="customers.exported_with_pii",
            target=actor,
            at=at,
            after={"rows": len(rows), "fields": ["phone", "email"]},
        )
    return csv_io.render(rows)
