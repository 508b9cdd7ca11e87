"""The public full-notice page behind the short link of an SMS (``/n/<token>/``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from kefu.channels.notice_links import LinkExpiredError, LinkInvalidError, notice_read


@require_GET
def full_notice(request: HttpRequest, token: str) -> HttpResponse:
    """The notice in the contact's language; no login, the signed link is the proof.

    An expired link says so politely (410); anything else unknown is a 404 that
    names nothing.
    """
    try:
        notice = notice_read(token)
    except LinkExpiredError as exc:
        language = exc.contact.language if exc.contact else settings.LANGUAGE_CODE
        with translation.override(language):
            return render(request, "channels/notice_expired.html", status=410)
    except LinkInvalidError:
        with translation.override(settings.LANGUAGE_CODE):
            return render(request, "channels/notice_unknown.html", status=404)
    with translation.override(notice.contact.language):
        response = render(request, "channels/notice.html", {"notice": notice})
    # A personal page: never kept by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
