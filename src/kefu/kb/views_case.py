"""The knowledge base on the case page: articles suggested from the customer's latest
message, inserted into the reply as a link or as text, and drafts proposed from a
reply that was sent (kefu.cases.panels, place "reply")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.cases.models import Case, Message
from kefu.cases.selectors import access_case
from kefu.core.errors import DomainError
from kefu.core.requests import request_user as _user
from kefu.kb import selectors, services, text
from kefu.kb.forms import InsertForm, ProposeForm
from kefu.kb.models import Audience

RECENT_REPLIES = 3


def _latest_customer_text(case: Case) -> str:
    latest = (
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)
        .first()
    )
    return f"{case.subject}\n{latest or ''}"


def _recent_replies(case: Case) -> list[Message]:
    return list(
        Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).order_by(
            "-created_at", "-pk"
        )[:RECENT_REPLIES]
    )


@require_GET
@login_required
def case_suggestions(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = access_case(actor, case_id)
    hits = selectors.suggest_articles(
        _latest_customer_text(case), language=case.contact.language, audience="internal"
    )
    replies = _recent_replies(case)
    if not hits and not replies:
        return HttpResponse("")
    return render(request, "kb/_case_panel.html", {"case": case, "hits": hits, "replies": replies})


@require_POST
@login_required
def case_insert(request: HttpRequest, case_id: int) -> HttpResponse:
    """The reply box (cases/_reply_body.html) with the article's link or text added
    after what the agent had typed; the article must be published and readable."""
    actor = _user(request)
    case = access_case(actor, case_id)
    form = InsertForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    typed = form.cleaned_data["body"] or ""
    article = selectors.live_articles("internal").filter(pk=form.cleaned_data["article"]).first()
    if article is None or article.published_version is None:
        return render(request, "cases/_reply_body.html", {"text": typed}, status=404)
    language = selectors.shown_language(article.published_version, case.contact.language)
    version = article.published_version
    title = version.title_en if language == "en" else version.title_zh
    if form.cleaned_data["mode"] == "link" and article.live_audience == Audience.PUBLIC:
        url = request.build_absolute_uri(reverse("kb:help_article", args=[article.slug]))
        addition = f"{title}: {url}?lang={language}"
    else:
        body = version.body_en if language == "en" else version.body_zh
        addition = text.reply_text(body)
    joined = f"{typed.rstrip()}\n\n{addition}" if typed.strip() else addition
    return render(request, "cases/_reply_body.html", {"text": joined})


@require_POST
@login_required
def case_propose(request: HttpRequest, case_id: int) -> HttpResponse:
    """A draft article from a reply sent on the case; answers the panel's note."""
    actor = _user(request)
    case = access_case(actor, case_id)
    form = ProposeForm(request.POST)
    message = (
        Message.objects.filter(case=case, pk=form.cleaned_data["message"]).first()
        if form.is_valid()
        else None
    )
    if message is None:
        return render(
            request, "kb/_proposed.html", {"error": _("No such reply on this case.")}, status=404
        )
    try:
        article = services.article_propose_from_reply(
            actor=actor, case=case, message=message, at=timezone.now()
        )
    except DomainError as exc:
        return render(request, "kb/_proposed.html", {"error": exc.text()}, status=exc.status)
    return render(request, "kb/_proposed.html", {"article": article})
