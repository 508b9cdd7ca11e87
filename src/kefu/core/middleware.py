"""Request-wide concerns: the interface language, domain errors as pages, and 503
while the database is out of reach."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.core.recovery import DATABASE_ERRORS, connections_drop

# How long a client should wait before sending a request again during an outage.
RETRY_AFTER_SECONDS = 5


class DefaultLanguageMiddleware:
    """Chinese unless the visitor chose otherwise (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; kefu
    opens in zh-hans for everyone until someone picks English, so a team sees
    one interface whatever their browsers are set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        known = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
        return response


class UserLanguageMiddleware:
    """After authentication: a signed-in user's saved language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """Turn a ``DomainError`` raised under a page into a page with its status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request)
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(
            request,
            "core/error.html",
            {"code": str(exception.code), "message": exception.text(), "status": exception.status},
            status=exception.status,
        )


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database cannot be reached (restart, failover): the request did
    nothing (its transaction was rolled back) and may be sent again. Under ``/api/``
    a JSON error; elsewhere a translated page rendered without the request, as the
    session, the user and every context processor would need the database. The
    failed connection is closed, so the next request on this thread opens a new one."""
    connections_drop()
    message = _("The database is not available right now; try again in a moment.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "database_unavailable", "message": message}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("core/database_unavailable.html", {"message": message}),
            status=503,
        )
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
