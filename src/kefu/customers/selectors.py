"""Reads of the customers app shared by pages, the API and the CSV export.

Every active member of staff may read customers. Lists cost a fixed number of
queries whatever their length: relations are joined or prefetched here.
"""

from __future__ import annotations

import re

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.core.authz import AuthzErrorCode
from kefu.core.errors import NotFoundError, PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.errors import CustomerErrorCode
from kefu.customers.models import Contact, Organisation, Project
from kefu.customers.phones import phone_match_keys

PAGE_SIZE = 25
# A search needs this many digits before it also looks inside phone numbers,
# so that "3" does not match every contact.
PHONE_SEARCH_MIN_DIGITS = 3
# Staff who may not reveal personal data find a contact by phone only with the
# whole number: a search inside numbers would recover a masked one digit by digit
# (138****5678 in about 22 searches: "1380", "1381", ...).
FULL_PHONE_MIN_DIGITS = 5
_MAINLAND_MOBILE_DIGITS = 11


def require_staff(actor: User) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor`` is an active member of staff."""
    if not actor.is_active:
        raise PermissionDeniedError(AuthzErrorCode.NOT_ALLOWED, _("Your account is not active."))


def _digits(query: str) -> str:
    return "".join(ch for ch in query if ch.isdigit())


def _national(digits: str) -> str:
    """A mainland mobile without its country code (``86``, ``0086``); else ``digits``."""
    for prefix in ("0086", "86"):
        rest = digits.removeprefix(prefix)
        if rest != digits and len(rest) == _MAINLAND_MOBILE_DIGITS:
            return rest
    return digits


def _full_phone_forms(digits: str) -> set[str]:
    """The stored forms one whole number may take: its E.164 spelling (``phones``),
    and, for rows stored before numbers were normalised, with or without ``+`` and
    a mainland mobile with or without its country code (``+86``, ``0086``)."""
    national = _national(digits)
    forms = {digits, "+" + digits, *phone_match_keys(digits)}
    if len(national) == _MAINLAND_MOBILE_DIGITS:
        forms |= {national, "+86" + national, "0086" + national, "86" + national}
    return forms


def phone_part_forms(digits: str) -> set[str]:
    """The digit runs a part of a number typed as ``digits`` may appear as inside stored
    numbers: as typed, without a ``86``/``0086`` country code, and a mainland
    landline without its trunk 0 (``021 6666`` is inside ``+862166668888``)."""
    forms = {digits, _national(digits)}
    if digits.startswith("0") and not digits.startswith("00"):
        forms.add(digits.removeprefix("0"))
    return {form for form in forms if len(form) >= PHONE_SEARCH_MIN_DIGITS}


def contact_match(*, actor: User, query: str, prefix: str = "") -> Q:
    """Contacts (at ``prefix``, e.g. ``"contacts__"``) whose personal data matches ``query``.

    Holders of ``REVEAL_PII`` match inside emails and, from three digits on,
    inside phone numbers. Everyone else sees both masked (``masking``), so a
    search must not be an oracle for what the mask hides: a phone matches only
    as the whole number (any spacing, with or without +86), an email only as the
    whole address, or by a part of its domain, which the mask shows anyway.
    """
    digits = _digits(query)
    if actor.has_role_perm(Perm.REVEAL_PII):
        match = Q(**{f"{prefix}email__icontains": query})
        if len(digits) >= PHONE_SEARCH_MIN_DIGITS:
            # A whole number typed with +86/0086 also finds it stored without.
            for form in sorted(phone_part_forms(digits)):
                match |= Q(**{f"{prefix}phone__contains": form})
        return match
    local, at, domain = query.rpartition("@")
    if at and local:
        match = Q(**{f"{prefix}email__iexact": query})
    else:
        # After the "@" only: the local part stays behind its mask.
        match = Q(**{f"{prefix}email__iregex": "@[^@]*" + re.escape(domain.lower())})
    if len(digits) >= FULL_PHONE_MIN_DIGITS:
        match |= Q(**{f"{prefix}phone__in": sorted(_full_phone_forms(digits))})
    return match


def organisation_list(*, actor: User, query: str = "", tier: str = "") -> QuerySet[Organisation]:
    """Organisations by name, with ``contact_count`` and ``project_count``, in one query.

    ``query`` matches the organisation's name or industry, or the name, email
    or phone of one of its contacts (``contact_match``); ``tier`` narrows to one tier (an
    unknown tier matches nothing).
    """
    require_staff(actor)
    organisations = Organisation.objects.all()
    query = query.strip()
    if query:
        match = (
            Q(name__icontains=query)
            | Q(industry__icontains=query)
            | Q(contacts__name__icontains=query)
            | contact_match(actor=actor, query=query, prefix="contacts__")
        )
        # Filter through a subquery so the counts below are not multiplied by the join.
        organisations = organisations.filter(pk__in=Organisation.objects.filter(match).values("pk"))
    if tier:
        organisations = organisations.filter(tier=tier)
    return organisations.annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True), distinct=True),
        project_count=Count("projects", distinct=True),
    ).order_by("name", "pk")


def organisation_list_page(
    *, actor: User, query: str = "", tier: str = "", page: int | str | None = 1
) -> Page[Organisation]:
    """One page of ``organisation_list``; a page number out of range gives the last page."""
    organisations = organisation_list(actor=actor, query=query, tier=tier)
    return Paginator(organisations, PAGE_SIZE).get_page(page)


def organisation_get(*, actor: User, organisation_id: int) -> Organisation:
    """One organisation with its contacts (active first) and projects prefetched."""
    require_staff(actor)
    contacts = Contact.objects.order_by("-is_active", "name", "pk")
    projects = Project.objects.select_related("project_manager").order_by("name", "pk")
    try:
        return Organisation.objects.prefetch_related(
            Prefetch("contacts", queryset=contacts), Prefetch("projects", queryset=projects)
        ).get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise NotFoundError(
            CustomerErrorCode.ORGANISATION_NOT_FOUND, _("No such organisation.")
        ) from None


def contact_list(
    *, actor: User, query: str = "", include_inactive: bool = False
) -> QuerySet[Contact]:
    """Contacts with their organisation, by name.

    ``query`` matches the contact's name, its organisation's name, or its email
    or phone as ``contact_match`` allows ``actor``.
    """
    require_staff(actor)
    contacts = Contact.objects.select_related("organisation")
    if not include_inactive:
        contacts = contacts.filter(is_active=True)
    query = query.strip()
    if query:
        match = (
            Q(name__icontains=query)
            | Q(organisation__name__icontains=query)
            | contact_match(actor=actor, query=query)
        )
        contacts = contacts.filter(match)
    return contacts.order_by("name", "pk")


def contact_list_page(*, actor: User, query: str = "", page: int | str | None = 1) -> Page[Contact]:
    """One page of ``contact_list``; a page number out of range gives the last page."""
    return Paginator(contact_list(actor=actor, query=query), PAGE_SIZE).get_page(page)


def contact_get(*, actor: User, contact_id: int) -> Contact:
    """One contact with its organisation."""
    require_staff(actor)
    try:
        return Contact.objects.select_related("organisation").get(pk=contact_id)
    except Contact.DoesNotExist:
        raise NotFoundError(CustomerErrorCode.CONTACT_NOT_FOUND, _("No such contact.")) from None


def project_list(
    *, actor: User, organisation: Organisation | None = None, status: str = ""
) -> QuerySet[Project]:
    """Projects with organisation and project manager, by organisation then name."""
    require_staff(actor)
    projects = Project.objects.select_related("organisation", "project_manager")
    if organisation is not None:
        projects = projects.filter(organisation=organisation)
    if status:
        projects = projects.filter(status=status)
    return projects.order_by("organisation__name", "name", "pk")


def project_get(*, actor: User, project_id: int) -> Project:
    """One project with its organisation and project manager."""
    require_staff(actor)
    try:
        return Project.objects.select_related("organisation", "project_manager").get(pk=project_id)
    except Project.DoesNotExist:
        raise NotFoundError(CustomerErrorCode.PROJECT_NOT_FOUND, _("No such project.")) from None


def organisation_export_list(*, actor: User | None) -> QuerySet[Organisation]:
    """Every organisation by name with its active contacts prefetched as ``active_contacts``.

    ``actor`` None is the operator at the command line.
    """
    if actor is not None:
        require_staff(actor)
    contacts = Contact.objects.filter(is_active=True).order_by("name", "pk")
    return Organisation.objects.prefetch_related(
        Prefetch("contacts", queryset=contacts, to_attr="active_contacts")
    ).order_by("name", "pk")


def contact_without_organisation_list(*, actor: User | None) -> QuerySet[Contact]:
    """Active contacts who belong to no organisation (private customers), by name."""
    if actor is not None:
        require_staff(actor)
    return Contact.objects.filter(organisation__isnull=True, is_active=True).order_by("name", "pk")


def project_manager_get(*, actor: User, user_id: int) -> User:
    """An active member of staff who may manage a project."""
    require_staff(actor)
    try:
        return User.objects.get(pk=user_id, is_active=True)
    except User.DoesNotExist:
        raise NotFoundError(
            CustomerErrorCode.PROJECT_MANAGER_NOT_FOUND, _("No such active member of staff.")
        ) from None
