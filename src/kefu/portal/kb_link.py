"""The knowledge base inside the portal: its public help pages and article search
(``kefu.kb.selectors.search_articles``, public articles only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from kefu.kb.selectors import search_articles


def help_url() -> str:
    """The public help pages' address, or "" where the knowledge base has none."""
    try:
        return reverse("kb:help")
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class HelpHit:
    title: str
    excerpt: str
    url: str
    is_translation_missing: bool


def help_search(query: str, *, language: str) -> list[HelpHit]:
    """Public articles matching ``query`` (Chinese substrings too), best first."""
    return [
        HelpHit(
            title=hit.title,
            excerpt=hit.excerpt,
            url=reverse("kb:help_article", args=[hit.slug]),
            is_translation_missing=hit.is_translation_missing,
        )
        for hit in search_articles(query, language=language, audience="public", limit=10)
    ]
