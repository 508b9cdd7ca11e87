"""Pages of the core app: sign-in, overview, language, audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kefu.core import selectors, services
from kefu.core.forms import AuditFilterForm, ThrottledAuthenticationForm
from kefu.core.requests import request_user as _user


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "core/home.html",
        {"notifications": selectors.notifications_unread(actor=user), "active": "home"},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated:
        services.user_set_language(actor=_user(request), language=language, at=timezone.now())
    elif language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    translation.activate(language)
    return response


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilter(
            actor=data["actor"],
            action=data["action"],
            target_type=data["target_type"],
            since=data["since"],
            until=data["until"],
        )
    entries = selectors.audit_list(actor=_user(request), filters=filters).select_related(None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    is_htmx = bool(getattr(request, "htmx", False))
    template = "core/_audit_rows.html" if is_htmx else "core/audit.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode(), "active": "audit"},
    )
