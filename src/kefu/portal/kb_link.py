"""The knowledge base, where it is installed: the public help pages and article search.

kefu.kb is built alongside the portal; until its public help pages and
``kefu.kb.selectors.search_articles`` exist, the portal simply shows no help link.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def help_url() -> str:
    """The public help pages' address, or "" while the knowledge base has none."""
    try:
        return reverse("kb:help")
    except NoReverseMatch:
        return ""
