"""``/dev/outbox/``: what a local desk "sent" by SMS, chat and e-mail (kefu.channels.dev_outbox)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kefu.channels.dev_outbox import outbox_is_on, outbox_list, uses_outbox


@require_GET
@login_required
def dev_outbox(request: HttpRequest) -> HttpResponse:
    """The newest messages in the development outbox; 404 unless KEFU_DEBUG or the demo is on."""
    if not outbox_is_on():
        raise Http404
    return render(
        request,
        "channels/dev_outbox.html",
        {"entries": outbox_list(), "uses_outbox": uses_outbox()},
    )
