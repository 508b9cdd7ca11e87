"""POST actions on one record's page: check the form, run the service, report a
domain refusal as a message, go back to the record's page (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user

View = Callable[..., HttpResponse]
Action = Callable[..., None]


def record_action(
    *,
    load: Callable[[User, int], Any],
    page: str,
    key: str,
    name: str,
    form_class: type | None = None,
) -> Callable[[Action], View]:
    """Wrap ``view(request, actor=, <name>=record, data=cleaned data, **kwargs)``.

    ``load(actor, id)`` fetches the record named by the URL argument ``key`` (and
    refuses what the actor may not see); ``page`` is the record's page. A form that
    does not validate comes back as messages, field by field; the form itself is in
    ``data["_form"]``.
    """

    def decorate(view: Action) -> View:
        @wraps(view)
        @require_POST
        @login_required
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            record_id = kwargs.pop(key)
            actor = request_user(request)
            record = load(actor, record_id)
            target = HttpResponseRedirect(reverse(page, args=[record_id]))
            data: dict[str, Any] = {}
            if form_class is not None:
                form = form_class(request.POST, request.FILES)
                if not form.is_valid():
                    for field, errors in form.errors.items():
                        label = form.fields[field].label if field in form.fields else ""
                        messages.error(request, f"{label}: {' '.join(errors)}")
                    return target
                data = {**form.cleaned_data, "_form": form}
            try:
                view(request, actor=actor, data=data, **{name: record}, **kwargs)
            except DomainError as exc:
                messages.error(request, exc.text())
            return target

        return wrapper

    return decorate
