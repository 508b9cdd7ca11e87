"""The incident page's picker search and the first notice's preview (before it goes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kefu.core.authz import authorize
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.incidents import selectors, selectors_notice

# The picker lists at most this many matches of each kind.
MATCHES = 20


@require_GET
@login_required
def pick_search(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Customers, contacts and projects matching ``q`` (htmx), as checkboxes of the picker."""
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    authorize(actor, Perm.RUN_INCIDENTS)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors_notice.pick_candidates(query=query, limit=MATCHES)
    return render(
        request,
        "incidents/_pick_results.html",
        {"incident": incident, "query": query, "found": found},
    )


@require_GET
@login_required
def confirm_preview(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The first notice as every affected contact will read it, with the button that sends it."""
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    authorize(actor, Perm.RUN_INCIDENTS)
    return render(
        request,
        "incidents/confirm_preview.html",
        {
            "incident": incident,
            "preview": selectors_notice.first_notice_preview(incident),
            "affected_count": selectors.affected_count(incident),
            "active": "incidents",
        },
    )
