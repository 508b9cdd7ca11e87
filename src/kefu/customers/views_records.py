"""Create and edit pages for organisations and contacts.

Each page parses with a form and writes through ``organisation_create/update`` or
``contact_create/update``: the rules are the API's and the CSV import's. A refusal
comes back on the field it concerns, with everything typed still in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.customers import selectors, services
from kefu.customers.forms_records import ContactForm, OrganisationForm, show_error
from kefu.customers.models import Contact, Organisation
from kefu.customers.validation import parse_quiet_hours

ACTIVE = "customers"


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    return render(request, template, {"active": ACTIVE, **context}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    """New organisation (no id) or edit one."""
    actor = _user(request)
    authorize(actor, Perm.WORK_CASES)
    organisation = (
        selectors.organisation_get(actor=actor, organisation_id=organisation_id)
        if organisation_id is not None
        else None
    )
    if request.method == "GET":
        initial = OrganisationForm.initial_for(organisation) if organisation else {}
        form = OrganisationForm(initial=initial)
        return _render(
            request,
            "customers/organisation_form.html",
            {"form": form, "organisation": organisation},
            200,
        )
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            saved = _save_organisation(actor=actor, organisation=organisation, values=form.values())
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("customers:organisation", args=[saved.pk]))
    return _render(
        request,
        "customers/organisation_form.html",
        {"form": form, "organisation": organisation},
        422,
    )


def _save_organisation(
    *, actor: Any, organisation: Organisation | None, values: dict[str, Any]
) -> Organisation:
    now = timezone.now()
    if organisation is None:
        return services.organisation_create(actor=actor, at=now, **values)
    return services.organisation_update(actor=actor, organisation=organisation, at=now, **values)


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request: HttpRequest, contact_id: int | None = None) -> HttpResponse:
    """New contact (no id; ``?organisation=<id>`` preselects it) or edit one."""
    actor = _user(request)
    authorize(actor, Perm.WORK_CASES)
    can_reveal = actor.has_role_perm(Perm.REVEAL_PII)
    contact = (
        selectors.contact_get(actor=actor, contact_id=contact_id)
        if contact_id is not None
        else None
    )
    if request.method == "GET":
        if contact is not None:
            initial = ContactForm.initial_for(contact, can_reveal=can_reveal)
        else:
            initial = {
                "organisation": request.GET.get("organisation") or None,
                "language": "zh-hans",
            }
        form = ContactForm(initial=initial, contact=contact, can_reveal=can_reveal)
        return _render(
            request, "customers/contact_form.html", {"form": form, "contact": contact}, 200
        )
    form = ContactForm(request.POST, contact=contact, can_reveal=can_reveal)
    if form.is_valid():
        try:
            saved = _save_contact(actor=actor, contact=contact, values=form.values())
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("customers:contact", args=[saved.pk]))
    return _render(request, "customers/contact_form.html", {"form": form, "contact": contact}, 422)


def _save_contact(*, actor: Any, contact: Contact | None, values: dict[str, Any]) -> Contact:
    now = timezone.now()
    start, end = parse_quiet_hours(values.pop("quiet_hours", ""))
    values["quiet_hours_start"], values["quiet_hours_end"] = start, end
    if contact is None:
        values.pop("is_active", None)
        return services.contact_create(actor=actor, at=now, **values)
    return services.contact_update(actor=actor, contact=contact, at=now, **values)
