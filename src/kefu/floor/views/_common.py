"""What the floor's pages share: the signed-in user and POST actions that report refusals."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.core.requests import request_user as user_of

View = Callable[..., HttpResponse]


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def action(default: Callable[..., str]) -> Callable[[Callable[..., None]], View]:
    """Wrap a POST action: run it, turn a domain refusal into a message, go back
    (post/redirect/get). ``default(**kwargs)`` names the page to go back to."""

    def decorate(view: Callable[..., None]) -> View:
        @wraps(view)
        @require_POST
        @login_required
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                view(request, user_of(request), **kwargs)
            except DomainError as exc:
                messages.error(request, exc.text())
            return back(request, default(**kwargs))

        return wrapper

    return decorate
