"""The Content-Security-Policy header on every response.

Scripts only from kefu's own static files (``script-src 'self'``): no inline
script and no inline event handler runs, so markup that slipped past escaping
still cannot execute. Styles allow inline ``style=""`` attributes (a few
templates and htmx's indicator style use them); they cannot run code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
