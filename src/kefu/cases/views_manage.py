"""Desk pages that open and manage cases: a new case (a call taken, a visitor, a mail
forwarded by hand), a case's details, owner and team, merge, link and watch, and the
queue's bulk actions with one confirmation.

A refused or colliding form is drawn again with what the user typed and a message in
words; a success goes back to the case page (post/redirect/get).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.cases import selectors, services
from kefu.cases.forms_manage import (
    CONTACT_FIELD_OF,
    AssignForm,
    BulkForm,
    CaseDetailsForm,
    CaseReferenceForm,
    LinkForm,
    NewCaseForm,
    TeamForm,
    add_domain_error,
)
from kefu.cases.models import Case
from kefu.cases.services import bulk, desk
from kefu.cases.services._common import CaseConflictError
from kefu.cases.views import _case_context
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.customers import selectors as customer_selectors
from kefu.customers.masking import mask_phone
from kefu.customers.models import Organisation

CONTACT_RESULTS = 10


class PickErrorCode(StrEnum):
    """Refusals of the case picker (merge and link): the page shows the words."""

    NOT_FOUND = "case_not_found"
    AMBIGUOUS = "case_ambiguous"
    NO_ORGANISATION = "organisation_not_found"


NEW_CONTACT_FIELD_OF: dict[str, str] = {
    **{code: f"new_{field}" for code, field in CONTACT_FIELD_OF.items()},
    "organisation_not_found": "new_organisation",
}


# -- a new case ----------------------------------------------------------------------------


def _contact_choices(actor: User, query: str) -> list[dict[str, Any]]:
    """Contacts matching ``query`` as the contacts list finds them, phones masked."""
    if not query.strip():
        return []
    found = customer_selectors.contact_list(actor=actor, query=query)[:CONTACT_RESULTS]
    return [
        {
            "contact": contact,
            "phone": mask_phone(contact.phone),
            "organisation": contact.organisation.name if contact.organisation else "",
        }
        for contact in found
    ]


def _organisation_named(actor: User, name: str) -> Organisation | None:
    """The organisation called ``name`` (any case); None for an empty name."""
    name = name.strip()
    if not name:
        return None
    found = (
        customer_selectors.organisation_list(actor=actor, query=name)
        .filter(name__iexact=name)
        .first()
    )
    if found is None:
        raise DomainError(
            PickErrorCode.NO_ORGANISATION,
            _("No organisation is called “%(name)s”; check the name, or leave it empty."),
            name=name[:60],
        )
    return found


@require_http_methods(["GET", "POST"])
@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """New case; ``?contact=<id>`` starts it for that contact (the contact's page links here)."""
    actor = _user(request)
    # The refusal page says in words who may open cases.
    authorize(actor, Perm.WORK_CASES)
    contact = None
    query = request.POST.get("contact_query", "") if request.method == "POST" else ""
    if request.method == "GET":
        form = NewCaseForm(initial={"contact": request.GET.get("contact") or None})
        contact_id = request.GET.get("contact", "")
    else:
        form = NewCaseForm(request.POST)
        contact_id = request.POST.get("contact", "")
    if contact_id.isdigit():
        try:
            contact = customer_selectors.contact_get(actor=actor, contact_id=int(contact_id))
        except NotFoundError as exc:
            # Said on the page instead of a 404 that would lose what was typed.
            if form.is_bound:
                form.is_valid()
                form.add_error(None, exc.text())
            else:
                messages.error(request, exc.text())
    status = 200
    if request.method == "POST" and "find" not in request.POST:
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = _organisation_named(actor, data["new_organisation"])
                case = desk.case_open_at_desk(
                    actor=actor,
                    contact=contact,
                    new_contact=None
                    if contact
                    else desk.NewContact(
                        name=data["new_name"],
                        phone=data["new_phone"],
                        email=data["new_email"],
                        organisation=organisation,
                    ),
                    channel=data["channel"],
                    subject=data["subject"],
                    body=data["body"],
                    at=timezone.now(),
                    category=data["category"],
                    priority=data["priority"],
                    call=desk.CallNote(
                        direction=data["call_direction"], minutes=data["call_minutes"]
                    )
                    if data["channel"] == "phone"
                    else None,
                )
            except DomainError as exc:
                add_domain_error(form, exc, NEW_CONTACT_FIELD_OF)
            else:
                messages.success(
                    request, _("Case %(reference)s opened.") % {"reference": case.reference}
                )
                return HttpResponseRedirect(reverse("cases:case", args=[case.pk]))
        status = 422
    context = {
        "form": form,
        "contact": contact,
        "contact_query": query,
        "contact_results": _contact_choices(actor, query) if query else [],
        "searched": bool(query),
        "active": "cases",
    }
    return render(request, "cases/new.html", context, status=status)


@login_required
def contact_pick(request: HttpRequest) -> HttpResponse:
    """htmx: contacts matching ``q``, as radio buttons of the new-case form."""
    actor = _user(request)
    query = request.GET.get("contact_query", "")[:200]
    return render(
        request,
        "cases/_contact_pick.html",
        {"contact_results": _contact_choices(actor, query), "searched": bool(query.strip())},
    )


# -- the case page's managing forms --------------------------------------------------------


def _case_again(request: HttpRequest, case_id: int, status: int, **forms: Any) -> HttpResponse:
    """The case page drawn again with the given bound forms (what the user typed)."""
    context = _case_context(request, case_id)
    context.update(forms)
    return render(request, "cases/case.html", context, status=status)


def _back(case_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("cases:case", args=[case_id]) + "#manage")


@require_POST
@login_required
def case_details(request: HttpRequest, case_id: int) -> HttpResponse:
    """Save subject, priority, category and tags, if nobody changed the case meanwhile.

    A stale form writes nothing: the page comes back with the user's values, what the
    colleague changed, and the current version, so saving again is a decision.
    """
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = CaseDetailsForm(request.POST)
    if not form.is_valid():
        return _case_again(request, case_id, 422, details_form=form)
    try:
        services.case_update(
            actor=actor,
            case=case,
            at=timezone.now(),
            version=form.cleaned_data["version"],
            changes=form.changes(),
        )
    except CaseConflictError:
        current = selectors.access_case(actor, case_id)
        changed = form.changed_meanwhile(current)
        if changed:
            what = "; ".join(
                _("%(field)s is now “%(value)s”") % {"field": label, "value": value or "—"}
                for label, value in changed
            )
        else:
            what = _("its status, owner or messages changed")
        conflict = _(
            "Someone else changed this case while you were editing it: %(what)s. "
            "Nothing of yours was saved; your changes are still in the form. "
            "Check them and save again."
        ) % {"what": what}
        return _case_again(
            request, case_id, 409, details_form=form.again(current), details_conflict=conflict
        )
    except DomainError as exc:
        form.add_error(None, exc.text())
        return _case_again(request, case_id, exc.status, details_form=form)
    messages.success(request, _("Details saved."))
    return _back(case_id)


@require_POST
@login_required
def case_assign_owner(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _case_again(request, case_id, 422, assign_form=form)
    owner = form.cleaned_data["owner"]
    try:
        services.case_assign(actor=actor, case=case, owner=owner, at=timezone.now())
    except DomainError as exc:
        form.add_error(None, exc.text())
        return _case_again(request, case_id, exc.status, assign_form=form)
    messages.success(request, _("The case is now %(owner)s's.") % {"owner": owner})
    return _back(case_id)


@require_POST
@login_required
def case_assign_team(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = TeamForm(request.POST, department_id=case.department_id)
    if not form.is_valid():
        return _case_again(request, case_id, 422, team_form=form)
    try:
        desk.case_assign_team(
            actor=actor, case=case, team=form.cleaned_data["team"], at=timezone.now()
        )
    except DomainError as exc:
        form.add_error(None, exc.text())
        return _case_again(request, case_id, exc.status, team_form=form)
    messages.success(request, _("The case is now in %(team)s's queue.") % {"team": case.team})
    return _back(case_id)


def _other_case(actor: User, case: Case, text: str) -> Case:
    """The case ``text`` names: a whole reference, else the one case a search finds."""
    text = text.strip()
    if selectors.REFERENCE.fullmatch(text):
        return selectors.access_case_by_reference(actor, text.upper())
    found = list(
        selectors.case_list_for(
            actor, selectors.CaseFilter(scope="all", q=text, include_closed=True)
        ).exclude(pk=case.pk)[:6]
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise DomainError(PickErrorCode.NOT_FOUND, _("No case matches “%(text)s”."), text=text[:60])
    raise DomainError(
        PickErrorCode.AMBIGUOUS,
        _("Several cases match “%(text)s” (%(references)s…); give the reference."),
        text=text[:60],
        references=", ".join(other.reference for other in found[:5]),
    )


@require_POST
@login_required
def case_merge_into(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = CaseReferenceForm(request.POST)
    if not form.is_valid():
        return _case_again(request, case_id, 422, merge_form=form)
    try:
        target = _other_case(actor, case, form.cleaned_data["reference"])
        services.case_merge(actor=actor, source=case, target=target, at=timezone.now())
    except DomainError as exc:
        form.add_error("reference", exc.text())
        return _case_again(request, case_id, exc.status, merge_form=form)
    messages.success(
        request,
        _("%(source)s was merged into %(target)s.")
        % {"source": case.reference, "target": target.reference},
    )
    return HttpResponseRedirect(reverse("cases:case", args=[target.pk]))


@require_POST
@login_required
def case_link_to(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _case_again(request, case_id, 422, link_form=form)
    try:
        other = _other_case(actor, case, form.cleaned_data["reference"])
        services.case_link(
            actor=actor, case=case, other=other, kind=form.cleaned_data["kind"], at=timezone.now()
        )
    except DomainError as exc:
        form.add_error("reference", exc.text())
        return _case_again(request, case_id, exc.status, link_form=form)
    messages.success(request, _("Linked to %(reference)s.") % {"reference": other.reference})
    return _back(case_id)


@require_POST
@login_required
def case_watch_toggle(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    watching = request.POST.get("watching") == "1"
    services.case_watch(actor=actor, case=case, watching=watching)
    messages.success(
        request,
        _("You are watching this case.") if watching else _("You no longer watch this case."),
    )
    return _back(case_id)


# -- bulk actions on the queue -------------------------------------------------------------


def _bulk_change(form: BulkForm) -> bulk.BulkChange:
    data = form.cleaned_data
    return bulk.BulkChange(
        action=bulk.BulkAction(data["action"]),
        owner=data.get("owner"),
        status=data.get("status") or "",
        priority=data.get("priority") or "",
        tag=data.get("tag") or "",
    )


@require_POST
@login_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Step one (no ``confirm``): what will happen to each selected case. Step two
    (``confirm``): do it, and say per case what happened or why not."""
    actor = _user(request)
    form = BulkForm(request.POST)
    context: dict[str, Any] = {"form": form, "active": "cases"}
    if not form.is_valid():
        context["error"] = "; ".join(
            str(error) for errors in form.errors.values() for error in errors
        )
        return render(request, "cases/bulk.html", context, status=422)
    ids = form.cleaned_data["cases"]
    cases = list(
        selectors.visible_cases(actor)
        .select_related("owner", "contact")
        .filter(pk__in=ids)
        .order_by("created_at", "pk")
    )
    change = _bulk_change(form)
    context["cases"] = cases
    context["action_label"] = bulk.BULK_ACTION_LABELS[change.action]
    try:
        if "confirm" in request.POST:
            context["lines"] = bulk.bulk_apply(
                actor=actor, cases=cases, change=change, at=timezone.now()
            )
            context["done"] = True
        else:
            context["lines"] = bulk.bulk_plan(actor=actor, cases=cases, change=change)
    except DomainError as exc:
        context["error"] = exc.text()
        return render(request, "cases/bulk.html", context, status=exc.status)
    context["failed"] = sum(1 for line in context["lines"] if not line.ok)
    return render(request, "cases/bulk.html", context)
