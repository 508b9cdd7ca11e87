"""The portal's request wrapper: who is signed in, in which language, with which headers.

The portal session is a cookie of its own (``COOKIE``), separate from the staff
session: a staff login opens no portal page and a portal session opens no desk
page. Every portal and status page is sent with a stricter Content-Security-
Policy than the desk's (no inline style either), is never cached by a shared
cache and is not indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from kefu.customers.models import Contact
from kefu.portal.services_signin import SESSION_HOURS, session_contact

COOKIE = "kefu_portal"
LANGUAGE_COOKIE = "kefu_portal_language"
POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def portal_language(request: HttpRequest, contact: Contact | None) -> str:
    """The language chosen on the portal, else the contact's, else the desk's default."""
    known = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(LANGUAGE_COOKIE, "")
    if chosen in known:
        return chosen
    if contact is not None and contact.language in known:
        return contact.language
    return str(settings.LANGUAGE_CODE)


def request_contact(request: HttpRequest) -> Contact | None:
    """The contact of the request's live portal session, if any."""
    return session_contact(key=request.COOKIES.get(COOKIE, ""), at=timezone.now())


def _headers(response: HttpResponseBase) -> HttpResponseBase:
    # A file keeps its own sandboxed policy (kefu.cases.filetypes).
    if "Content-Security-Policy" not in response:
        response["Content-Security-Policy"] = POLICY
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def portal_page(*, signed_in: bool = True) -> Callable[[View[P]], View[P]]:
    """Wrap a portal view: ``request.portal_contact`` is the signed-in contact (a
    view with ``signed_in`` is only reached with one; anyone else is sent to the
    sign-in page), the language is the portal's, the headers are strict."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            contact = request_contact(request)
            request.portal_contact = contact  # type: ignore[attr-defined]
            with translation.override(portal_language(request, contact)):
                if signed_in and contact is None:
                    query = urlencode({"next": request.get_full_path()})
                    response: HttpResponseBase = HttpResponseRedirect(
                        f"{reverse('portal:login')}?{query}"
                    )
                else:
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render") and callable(response.render):
                        response.render()
            return _headers(response)

        return cast("View[P]", wrapped)

    return decorate


def sign_in_cookie(response: HttpResponseBase, key: str) -> None:
    """Set the portal session cookie (HTTP only, same-site, secure behind HTTPS)."""
    response.set_cookie(
        COOKIE,
        key,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="Lax",
        secure=bool(settings.SESSION_COOKIE_SECURE),
    )
