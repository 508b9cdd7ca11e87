"""The coach's own page: try it on a customer message and an agent draft."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kefu.assist.engine import coach_draft, read_customer
from kefu.assist.selectors import active_lexicon
from kefu.core.models import User
from kefu.core.roles import Perm

# The page reads at most this much of each box.
LIMIT = 20_000

SENTIMENTS = {
    "negative": _("Negative"),
    "neutral": _("Neutral"),
    "positive": _("Positive"),
    "unknown": _("Unknown"),
}
EMOTIONS = {
    "anger": _("Anger"),
    "anxiety": _("Anxiety"),
    "disappointment": _("Disappointment"),
    "satisfaction": _("Satisfaction"),
}
THREAT_KINDS = {
    "regulator": _("a regulator"),
    "media": _("the media"),
    "legal": _("a lawyer or court"),
    "over_heads": _("over heads (manager, HQ)"),
}


def _segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, code or None) so marked spans can be highlighted."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for start, end, code in sorted(s for s in spans if s[1] > s[0]):
        if start < position:
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], code))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def _result(customer: str, draft: str, language: str) -> dict[str, Any]:
    lexicon = active_lexicon()
    context: dict[str, Any] = {"lexicon_version": lexicon.version}
    reading = None
    if customer.strip():
        reading = read_customer(customer, None, lexicon)
        context["reading"] = reading
        context["sentiment_label"] = SENTIMENTS[reading.sentiment]
        context["emotions"] = [
            (EMOTIONS[name], score, round(score * 100)) for name, score in reading.emotions.items()
        ]
        context["threat_kinds"] = [THREAT_KINDS[k] for k in reading.threat_kinds]
        context["customer_segments"] = _segments(
            customer, [(c.start, c.end, c.code) for c in reading.cues]
        )
    if draft.strip():
        draft_context: dict[str, Any] = {}
        if reading is not None:
            draft_context = {
                "customer_text": customer,
                "customer_upset": reading.upset,
                "complaint": reading.complaint,
            }
        coaching = coach_draft(draft, draft_context, lexicon, language=language)
        context["coaching"] = coaching
        context["flags"] = [
            {
                "code": f.code,
                "message": f.message,
                "suggestion": f.suggestion,
                "original": draft[f.start : f.end],
            }
            for f in coaching.flags
        ]
        context["draft_segments"] = _segments(
            draft, [(f.start, f.end, f.code) for f in coaching.flags]
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Try the coach: a customer message is read, an agent draft is coached (htmx)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (login_required)
    customer = request.POST.get("customer", "")[:LIMIT] if request.method == "POST" else ""
    draft = request.POST.get("draft", "")[:LIMIT] if request.method == "POST" else ""
    language = get_language() or "zh-hans"
    context = _result(customer, draft, language)
    context.update(
        {
            "active": "assist",
            "customer": customer,
            "draft": draft,
            "may_manage": user.has_role_perm(Perm.MANAGE_COACH) or user.is_superuser,
        }
    )
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return render(request, "assist/_result.html", context)
    return render(request, "assist/index.html", context)
