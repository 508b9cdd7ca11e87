"""The public status page (``/status/``) and its e-mail subscription."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kefu.core.errors import DomainError
from kefu.portal.access import portal_language, portal_page
from kefu.portal.forms import SubscribeForm
from kefu.portal.selectors_status import status_page, status_page_on
from kefu.portal.services_status import (
    CONFIRM,
    UNSUBSCRIBE,
    subscribe,
    subscriber_for_token,
    subscription_confirm,
    subscription_end,
)


def _require_on() -> None:
    if not status_page_on():
        raise Http404


def _page(
    request: HttpRequest, form: SubscribeForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    language = portal_language(request, None)
    context = {"page": status_page(language=language), "form": form, **extra}
    return render(request, "portal/status.html", context, status=status)


@require_GET
@portal_page(signed_in=False)
def index(request: HttpRequest) -> HttpResponse:
    """Components, current incidents with their updates, the last 90 days (404 while off)."""
    _require_on()
    return _page(request, SubscribeForm())


@require_POST
@portal_page(signed_in=False)
def subscribe_view(request: HttpRequest) -> HttpResponse:
    _require_on()
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        subscribe(
            email=form.cleaned_data["email"],
            language=portal_language(request, None),
            at=timezone.now(),
        )
    except DomainError as exc:
        form.add_error("email", exc.text())
        return _page(request, form, status=exc.status)
    return _page(request, SubscribeForm(), subscribed=True)


def _link_page(request: HttpRequest, token: str, purpose: str, template: str) -> HttpResponse:
    _require_on()
    try:
        subscriber = subscriber_for_token(token, purpose)
    except DomainError:
        raise Http404 from None
    done = False
    if request.method == "POST":
        action = subscription_confirm if purpose == CONFIRM else subscription_end
        action(subscriber=subscriber, at=timezone.now())
        done = True
    return render(request, template, {"subscriber": subscriber, "done": done})


@require_http_methods(["GET", "POST"])
@portal_page(signed_in=False)
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST confirms (a mail scanner opening the link confirms nothing)."""
    return _link_page(request, token, CONFIRM, "portal/status_confirm.html")


@require_http_methods(["GET", "POST"])
@portal_page(signed_in=False)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, UNSUBSCRIBE, "portal/status_unsubscribe.html")
