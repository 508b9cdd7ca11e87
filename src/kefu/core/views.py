"""Pages of the core app: sign-in, overview, language, audit log."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kefu.core import health, selectors, services
from kefu.core.forms import AuditFilterForm, ThrottledAuthenticationForm
from kefu.core.middleware import database_unavailable
from kefu.core.recovery import DATABASE_ERRORS
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


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database error raised outside a view (the session or the user
    loaded by a middleware) is an outage, answered 503 like one raised inside a view."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return defaults.server_error(request)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer or a monitor, no sign-in: 200 when healthy, else 503.
    ``?check=database`` judges by the database alone (what a load balancer needs to
    know about one web process); the body always carries every check."""
    only = request.GET.get("check", "")
    if only not in ("", "database"):
        return JsonResponse(
            {
                "code": "invalid_check",
                "message": _("check: expected 'database' or nothing, got %(value)r")
                % {"value": only[:50]},
            },
            status=400,
        )
    report = health.health_report(now=timezone.now())
    healthy = report.database.ok if only == "database" else report.is_healthy
    last_tick = report.clock_last_tick
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": {"ok": report.database.ok, "detail": report.database.detail},
        "queue": {
            "ok": report.queue.ok,
            "detail": report.queue.detail,
            "lag_seconds": None
            if report.queue_lag_seconds is None
            else round(report.queue_lag_seconds, 1),
        },
        "clock": {
            "ok": report.clock.ok,
            "detail": report.clock.detail,
            "last_tick": last_tick.isoformat() if last_tick else None,
        },
    }
    return JsonResponse(body, status=200 if healthy else 503)
