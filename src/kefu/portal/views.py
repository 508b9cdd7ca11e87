"""The customer portal's pages: sign-in, the case list, a case, a new case, a file."""

from __future__ import annotations

from datetime import datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kefu.cases.filetypes import POLICY as FILE_POLICY
from kefu.cases.filetypes import serving_for
from kefu.cases.forms_files import attachments_from
from kefu.core.errors import DomainError
from kefu.core.timefmt import ContactTime, contact_time
from kefu.core.uploads import safe_filename
from kefu.customers.models import Contact
from kefu.portal import kb_link, selectors, selectors_customer
from kefu.portal.access import COOKIE, LANGUAGE_COOKIE, portal_language, portal_page
from kefu.portal.access import sign_in_cookie as set_session_cookie
from kefu.portal.forms import CaseForm, CodeForm, ReplyForm, SignInForm
from kefu.portal.sending import code_send
from kefu.portal.services_cases import portal_case_open, portal_reply
from kefu.portal.services_signin import code_request, code_verify, session_end, session_start


def _contact(request: HttpRequest) -> Contact:
    contact: Contact | None = getattr(request, "portal_contact", None)
    if contact is None:  # portal_page(signed_in=True) lets no one else through
        raise Http404
    return contact


def _due(value: datetime | None, contact: Contact) -> ContactTime | None:
    return contact_time(value, contact) if value is not None else None


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("portal:home")


@require_http_methods(["GET", "POST"])
@portal_page(signed_in=False)
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a code (GET shows the form; POST sends it and shows the code form)."""
    next_url = request.GET.get("next", "") or request.POST.get("next", "")
    if request.method == "GET":
        if getattr(request, "portal_contact", None) is not None:
            return HttpResponseRedirect(_safe_next(request, next_url))
        return render(request, "portal/sign_in.html", {"form": SignInForm(), "next": next_url})
    form = SignInForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/sign_in.html", {"form": form, "next": next_url}, status=422)
    channel, address = form.cleaned_data["channel"], form.cleaned_data["address"]
    try:
        asked = code_request(channel=channel, address=address, at=timezone.now())
    except DomainError as exc:
        form.add_error("address", exc.text())
        return render(
            request,
            "portal/sign_in.html",
            {"form": form, "next": next_url},
            status=exc.status if exc.status == 429 else 422,
        )
    code_send(asked)
    code_form = CodeForm(initial={"channel": channel, "address": address, "next": next_url})
    return render(request, "portal/code.html", {"form": code_form, "channel": channel})


@require_POST
@portal_page(signed_in=False)
def verify(request: HttpRequest) -> HttpResponse:
    """Check the code; a right one opens a portal session and goes on to ``next``."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/code.html", {"form": form}, status=422)
    data = form.cleaned_data
    now = timezone.now()
    try:
        contact = code_verify(
            channel=data["channel"], address=data["address"], code=data["code"], at=now
        )
    except DomainError as exc:
        form.add_error("code", exc.text())
        return render(
            request, "portal/code.html", {"form": form, "channel": data["channel"]}, status=422
        )
    response = HttpResponseRedirect(_safe_next(request, data.get("next") or ""))
    set_session_cookie(response, session_start(contact=contact, at=now))
    # The portal opens in the contact's own language until they switch.
    response.delete_cookie(LANGUAGE_COOKIE)
    return response


@require_POST
@portal_page(signed_in=False)
def sign_out(request: HttpRequest) -> HttpResponse:
    session_end(key=request.COOKIES.get(COOKIE, ""), at=timezone.now())
    response = HttpResponseRedirect(reverse("portal:login"))
    response.delete_cookie(COOKIE)
    return response


@require_POST
@portal_page(signed_in=False)
def language(request: HttpRequest) -> HttpResponse:
    """Switch the portal's (and the status page's) language; back to where it was."""
    chosen = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request, request.POST.get("next", "")))
    if chosen in ("zh-hans", "en"):
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="Lax")
    return response


@require_GET
@portal_page(signed_in=False)
def help_search(request: HttpRequest) -> HttpResponse:
    """Search the public help articles from the portal (no sign-in needed)."""
    contact = getattr(request, "portal_contact", None)
    query = request.GET.get("q", "").strip()[:100]
    language = portal_language(request, contact)
    hits = kb_link.help_search(query, language=language) if query else []
    return render(
        request,
        "portal/help.html",
        {"query": query, "hits": hits, "help_url": kb_link.help_url()},
    )


@require_GET
@portal_page()
def home(request: HttpRequest) -> HttpResponse:
    """The customer's cases (newest activity first, paged), incidents and surveys."""
    contact = _contact(request)
    language = portal_language(request, contact)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    rows = selectors.portal_case_list(contact, page=page)
    has_next = len(rows) > selectors.PAGE_SIZE
    cases = [
        {
            "case": case,
            "mine": case.contact_id == contact.pk,
            "due": _due(getattr(case, "next_step_due_at", None), contact),
        }
        for case in rows[: selectors.PAGE_SIZE]
    ]
    now = timezone.now()
    context = {
        "contact": contact,
        "cases": cases,
        "page": page,
        "has_next": has_next,
        "incidents": selectors_customer.portal_incidents(contact, language=language),
        "surveys": selectors_customer.portal_surveys(contact, at=now),
        "help_url": kb_link.help_url(),
    }
    return render(request, "portal/home.html", context)


def _case_context(contact: Contact, reference: str) -> dict[str, object]:
    case = selectors.access_portal_case(contact, reference)
    commitment = selectors.next_commitment(case)
    return {
        "contact": contact,
        "case": case,
        "messages": selectors.portal_messages(case, reader=contact),
        "commitment": commitment,
        "commitment_due": contact_time(commitment.due_at, contact) if commitment else None,
    }


@require_GET
@portal_page()
def case(request: HttpRequest, reference: str) -> HttpResponse:
    contact = _contact(request)
    context = _case_context(contact, reference)
    context["form"] = ReplyForm()
    return render(request, "portal/case.html", context)


@require_POST
@portal_page()
def case_reply(request: HttpRequest, reference: str) -> HttpResponse:
    """Store the reply (with its files) as the customer's message; back to the case."""
    contact = _contact(request)
    context = _case_context(contact, reference)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            portal_reply(
                contact=contact,
                case=context["case"],  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
                files=attachments_from(form.cleaned_data["attachments"]),
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            return HttpResponseRedirect(reverse("portal:case", args=[reference]) + "#latest")
    context["form"] = form
    return render(request, "portal/case.html", context, status=422)


@require_http_methods(["GET", "POST"])
@portal_page()
def case_new(request: HttpRequest) -> HttpResponse:
    contact = _contact(request)
    if request.method == "GET":
        return render(
            request,
            "portal/case_new.html",
            {"form": CaseForm(), "contact": contact, "help_url": kb_link.help_url()},
        )
    form = CaseForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            opened = portal_case_open(
                contact=contact,
                subject=data["subject"],
                body=data["body"],
                category=data["category"],
                files=attachments_from(data["attachments"]),
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            return HttpResponseRedirect(reverse("portal:case", args=[opened.reference]))
    return render(request, "portal/case_new.html", {"form": form, "contact": contact}, status=422)


@require_GET
@portal_page()
def attachment_file(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A file of one of the customer's cases; 404 for any other file."""
    attachment = selectors.access_portal_attachment(_contact(request), attachment_id)
    serving = serving_for(attachment.content_type, download=request.GET.get("download") == "1")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The file is no longer stored.")) from None
    response = FileResponse(
        handle,
        as_attachment=not serving.inline,
        filename=safe_filename(attachment.filename, fallback="attachment"),
        content_type=serving.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    return response
