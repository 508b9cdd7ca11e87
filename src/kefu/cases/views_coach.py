"""The conflict coach on the case page: the live coach of a reply draft (htmx)
and the complaint playbook the agent ticks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.assist.engine import Flag
from kefu.assist.engine.readings import draft_readings
from kefu.cases import selectors
from kefu.cases.services import coach
from kefu.core.errors import DomainError
from kefu.core.requests import request_user as _user

# The coach reads at most this much of a draft while the agent types.
DRAFT_LIMIT = 20_000


@require_POST
@login_required
def coach_draft(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: coach the reply being typed; the flags with their one-click rewrites."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    text = request.POST.get("body", "")[:DRAFT_LIMIT]
    language = getattr(request, "LANGUAGE_CODE", "zh-hans")
    coaching = selectors.draft_coaching(case, text, language=language)
    latest = selectors.latest_reading(case)
    # Suggestions, not flags: listening and order are offered, never marked or scored.
    readings = draft_readings(
        text, customer_text=latest.body if latest is not None else "", language=language
    )
    return render(
        request,
        "cases/_coach.html",
        {
            "case": case,
            "coaching": coaching,
            "flags": [
                {
                    "code": f.code,
                    "message": f.message,
                    "suggestion": f.suggestion,
                    "start": f.start,
                    "end": f.end,
                    "original": text[f.start : f.end],
                }
                for f in coaching.flags
            ],
            "segments": _segments(text, coaching.flags),
            "readings": readings.readings if text.strip() else (),
            "suggestions": readings.suggestions if text.strip() else [],
        },
    )


def _segments(text: str, flags: list[Flag]) -> list[tuple[str, str | None]]:
    """The draft cut into (text, flag code or None) pieces so flagged spans show marked."""
    spans = sorted((f.start, f.end, f.code) for f in flags if f.end > f.start)
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for start, end, code in spans:
        if start < position:
            continue  # overlapping spans: the first one wins
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], code))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


@require_POST
@login_required
def playbook_tick(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    try:
        coach.playbook_tick(
            actor=actor,
            case=case,
            step=step,
            done=request.POST.get("done") == "1",
            at=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.text())
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "cases/_playbook.html",
            {"case": case, "playbook": coach.playbook_state(case)},
        )
    return HttpResponseRedirect(reverse("cases:case", args=[case_id]))
