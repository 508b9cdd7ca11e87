"""The writing partner on the case page (htmx panels) and its call log.

Both panels answer an empty fragment when no provider is set, so with the
partner off the case page is exactly as without it. A provider fault or a
refused answer never touches the reply box: the message goes to the panel's
status line (``HX-Retarget``) and the agent goes on typing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.cases.selectors import access_case
from kefu.core.requests import request_user
from kefu.partner import prompts, selectors, services
from kefu.partner.client import is_configured
from kefu.partner.errors import PartnerError

# The longest reply a rewrite takes (the coach reads as much).
REPLY_LIMIT = 20_000


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "zh-hans") == "en" else "zh-hans"


def _empty() -> HttpResponse:
    """The panel with the partner off: nothing at all on the page."""
    return HttpResponse("")


@require_GET
@login_required
def summary_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """Aside panel: the case summary; written at once for whom the case was escalated
    or transferred to, on demand for anyone else working it."""
    actor = request_user(request)
    case = access_case(actor, case_id)
    if not is_configured():
        return _empty()
    language = _language(request)
    return render(
        request,
        "partner/_summary_panel.html",
        {
            "case": case,
            "blocker": selectors.partner_blocker(case),
            "summary": selectors.summary_cached(case, language=language),
            "is_receiver": selectors.is_summary_receiver(case, actor),
            "mood": selectors.mood_over_time(case),
        },
    )


@require_POST
@login_required
def summary(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: the summary of the case as it is now (cached per case version)."""
    actor = request_user(request)
    case = access_case(actor, case_id)
    try:
        written = services.case_summarise(
            actor=actor, case=case, language=_language(request), at=timezone.now()
        )
    except PartnerError as exc:
        return render(request, "partner/_status.html", {"message": exc.text(), "error": True})
    return render(request, "partner/_summary.html", {"summary": written, "case": case})


@require_GET
@login_required
def draft_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """Reply panel: ask for a draft, or rewrite the reply box's text one way."""
    actor = request_user(request)
    case = access_case(actor, case_id)
    if not is_configured():
        return _empty()
    return render(
        request,
        "partner/_draft_panel.html",
        {"case": case, "blocker": selectors.partner_blocker(case), "rewrites": _rewrites()},
    )


def _rewrites() -> list[tuple[str, str]]:
    labels = {
        "empathetic": _("More empathetic"),
        "shorter": _("Shorter"),
        "english": _("In English"),
        "chinese": _("In Chinese"),
    }
    return [(key, labels[key]) for key in prompts.REWRITES]


@require_POST
@login_required
def draft(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: a draft (no ``rewrite``) or a rewrite of ``body``, as the reply box.

    The answer replaces ``#reply-body`` (the coach then reads it as any draft);
    on a fault the box is left alone and the message goes to the status line.
    """
    actor = request_user(request)
    case = access_case(actor, case_id)
    rewrite = request.POST.get("rewrite", "")
    language = _language(request)
    try:
        if rewrite:
            text = services.reply_rewrite(
                actor=actor,
                case=case,
                text=request.POST.get("body", "")[:REPLY_LIMIT],
                rewrite=rewrite,
                language=language,
                at=timezone.now(),
            )
        else:
            text = services.reply_draft(
                actor=actor, case=case, language=language, at=timezone.now()
            )
    except PartnerError as exc:
        response = render(request, "partner/_status.html", {"message": exc.text(), "error": True})
        response["HX-Retarget"] = "#partner-status"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "partner/_draft_answer.html", {"text": text})


@require_GET
@login_required
def calls(request: HttpRequest) -> HttpResponse:
    """The call log for administrators: what was sent and received, with placeholders."""
    actor = request_user(request)
    rows = list(selectors.partner_calls(actor)[:100])
    at = timezone.now()
    return render(
        request,
        "partner/calls.html",
        {
            "calls": rows,
            "configured": is_configured(),
            "used": selectors.tokens_used(at=at),
        },
    )
