"""The REST API at /api/v1/: one NinjaAPI, one router per app, JSON errors with a code."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from kefu.assist.api import router as assist_router
from kefu.automation.api import router as automation_router
from kefu.cases.api import router as cases_router
from kefu.cases.api_requests import router as requests_router
from kefu.channels.api import router as channels_router
from kefu.core import services
from kefu.core.api import router as core_router
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.customers.api import router as customers_router
from kefu.floor.api import router as floor_router
from kefu.incidents.api import router as incidents_router
from kefu.kb.api import router as kb_router
from kefu.openapi import document_errors
from kefu.partner.api import router as partner_router
from kefu.portal.api import router as portal_router
from kefu.quality.api import router as quality_router
from kefu.routing.api import router as routing_router
from kefu.workforce.api import router as workforce_router


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a per-user API token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.api_token_authenticate(secret=token, at=timezone.now())
        if user is not None:
            request.user = user
            # As for a signed-in page: the user's saved language wins, so messages
            # and labels in the answer read in it.
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class KefuAPI(NinjaAPI):
    """The API whose document lists every error an operation answers (``kefu.openapi``)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(document, prefix=document.path_prefix.rstrip("/"))
        return document


def refuse_nul_in_query(view: Callable[..., Any]) -> Callable[..., Any]:
    """No query parameter (name or value) may hold NUL, whether a ``StrictInput`` schema
    reads it or a plain argument does: PostgreSQL refuses NUL in text (422, not 500)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        errors = [
            {
                "type": "value_error",
                "loc": ["query", name.replace("\x00", "")],
                "msg": "Value error, NUL characters are not allowed",
            }
            for name, values in request.GET.lists()
            if "\x00" in name or any("\x00" in value for value in values)
        ]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked


api = KefuAPI(
    title="kefu API",
    version="1",
    description="Cases, customers, incidents, workforce and quality. Errors are "
    '`{"code": ..., "message": ...}` with a 4xx status.',
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
api.add_decorator(refuse_nul_in_query)


def error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, exc.status, str(exc.code), exc.text())


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = json.loads(json.dumps(exc.errors, default=str))
    for item in details:
        # Never echo submitted values back (they may hold personal data).
        item.pop("input", None)
        item.pop("ctx", None)
        item.pop("url", None)
    return error(
        request,
        422,
        "invalid_input",
        _("The request does not match the schema; see details."),
        details=details,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "not_authenticated",
        _("Send a valid API token as 'Authorization: Bearer <token>'."),
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error(request, 400, "malformed_json", _("The request body is not valid JSON."))
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    return error(request, exc.status_code, code.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("No such record."))


api.add_router("/", core_router)
api.add_router("/", customers_router)
api.add_router("/", cases_router)
api.add_router("/", requests_router)
api.add_router("/channels/", channels_router)
api.add_router("/", assist_router)
api.add_router("/", incidents_router)
api.add_router("/", workforce_router)
api.add_router("/", quality_router)
api.add_router("/", floor_router)
api.add_router("/kb/", kb_router)
api.add_router("/routing/", routing_router)
api.add_router("/automation/", automation_router)
api.add_router("/partner/", partner_router)
api.add_router("/portal/", portal_router)
