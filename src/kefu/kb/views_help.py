"""The public help pages (no sign-in): search, sections, an article in the visitor's
language with the other one a click away, and "did this help?".

Only published public articles appear; drafts and internal articles answer 404.
The visitor's language: ``?lang=`` when given, else the site language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from kefu.kb import selectors, services
from kefu.kb.forms import FeedbackForm

_KNOWN = {code for code, _name in settings.LANGUAGES}


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in _KNOWN:
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


def _render(
    request: HttpRequest, template: str, language: str, context: dict[str, Any]
) -> HttpResponse:
    with translation.override(language):
        response = render(
            request,
            template,
            {**context, "language": language, "languages": settings.LANGUAGES},
        )
    response["Content-Language"] = language
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    return _render(
        request,
        "kb/help/home.html",
        language,
        {"sections": selectors.help_sections(language=language)},
    )


@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    hits = selectors.search_articles(query, language=language) if query else []
    return _render(request, "kb/help/search.html", language, {"q": query, "hits": hits})


@require_GET
def help_section(request: HttpRequest, section_slug: str) -> HttpResponse:
    language = _language(request)
    section = selectors.section_get(section_slug)
    return _render(
        request,
        "kb/help/section.html",
        language,
        {
            "section_name": section.name_in(language),
            "sections": selectors.help_sections(language=language, section_slug=section_slug),
        },
    )


@require_GET
def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language(request)
    found = selectors.public_article(slug, language=language)
    voted = request.session.get(f"kb-voted-{found.article_id}", "")
    return _render(request, "kb/help/article.html", language, {"article": found, "voted": voted})


@require_POST
def help_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """Count one answer per visitor session and article, then back to the article."""
    form = FeedbackForm(request.POST)
    language = _language(request)
    found = selectors.public_article(slug, language=language)
    key = f"kb-voted-{found.article_id}"
    if form.is_valid() and not request.session.get(key):
        services.article_feedback(slug=slug, helpful=form.cleaned_data["helpful"] == "yes")
        request.session[key] = form.cleaned_data["helpful"]
    return HttpResponseRedirect(
        reverse("kb:help_article", args=[slug]) + f"?lang={found.requested_language}#feedback"
    )
