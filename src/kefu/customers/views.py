"""Pages of the customers app: organisations, contacts, timelines, CSV import and export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.customers import selectors, services
from kefu.customers.csv_io import export_filename
from kefu.customers.errors import CsvImportError
from kefu.customers.forms import ContactFilterForm, ImportForm, OrganisationFilterForm
from kefu.customers.timeline import customer_timeline

ACTIVE = "customers"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _may(user: User, *perms: Perm) -> bool:
    return any(user.has_role_perm(perm) for perm in perms)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = OrganisationFilterForm(request.GET)
    query, tier = "", ""
    if form.is_valid():
        query, tier = form.cleaned_data["q"], form.cleaned_data["tier"]
    page = selectors.organisation_list_page(
        actor=user, query=query, tier=tier, page=request.GET.get("page")
    )
    template = (
        "customers/_organisation_results.html"
        if _is_htmx(request)
        else "customers/organisation_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_import": _may(user, *services.transfer.IMPORT_PERMS),
            "can_reveal": _may(user, Perm.REVEAL_PII),
            "active": ACTIVE,
        },
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    organisation = selectors.organisation_get(actor=user, organisation_id=organisation_id)
    return render(
        request,
        "customers/organisation_detail.html",
        {
            "organisation": organisation,
            "contacts": list(organisation.contacts.all()),
            "projects": list(organisation.projects.all()),
            "timeline": customer_timeline(actor=user, organisation=organisation),
            "can_reveal": _may(user, Perm.REVEAL_PII),
            "active": ACTIVE,
        },
    )


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ContactFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.contact_list_page(actor=user, query=query, page=request.GET.get("page"))
    template = (
        "customers/_contact_results.html" if _is_htmx(request) else "customers/contact_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_import": _may(user, *services.transfer.IMPORT_PERMS),
            "can_reveal": _may(user, Perm.REVEAL_PII),
            "active": ACTIVE,
        },
    )


def _contact_page(
    request: HttpRequest, contact_id: int, revealed: dict[str, str] | None = None
) -> HttpResponse:
    user = _user(request)
    contact = selectors.contact_get(actor=user, contact_id=contact_id)
    return render(
        request,
        "customers/contact_detail.html",
        {
            "contact": contact,
            "timeline": customer_timeline(actor=user, contact=contact),
            "can_reveal": _may(user, Perm.REVEAL_PII),
            "revealed": revealed or {},
            "active": ACTIVE,
        },
    )


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _contact_page(request, contact_id)


@require_POST
@login_required
def contact_reveal(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Show one full value (``field``: phone or id_number); audit-logged by the service."""
    user = _user(request)
    contact = selectors.contact_get(actor=user, contact_id=contact_id)
    field = request.POST.get("field", "")
    values = services.contact_reveal_pii(
        actor=user, contact=contact, fields=[field], at=timezone.now()
    )
    if not _is_htmx(request):
        return _contact_page(request, contact_id, revealed=values)
    return render(
        request,
        "customers/_pii_revealed.html",
        {"contact": contact, "field": field, "value": values[field]},
    )


@require_http_methods(["GET", "POST"])
@login_required
def customers_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.authorize_import(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "active": ACTIVE}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                context["result"] = services.customers_import_csv(
                    actor=user, data=form.cleaned_data["file"].read(), at=timezone.now()
                )
                form = ImportForm()
                context["form"] = form
            except CsvImportError as exc:
                context["error"] = exc
                status = 422
        else:
            status = 422
    return render(request, "customers/import.html", context, status=status)


@login_required
def customers_export(request: HttpRequest) -> HttpResponse:
    """Download the CSV; ``?masked=1`` masks phones even for roles that may see them."""
    now = timezone.now()
    data = services.customers_export_csv(
        actor=_user(request), masked=request.GET.get("masked") == "1", at=now
    )
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(now)}"'
    return response
