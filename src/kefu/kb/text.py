"""Article text, pure: Markdown to safe HTML, plain text, excerpts, synonym variants.

Markdown is CommonMark (markdown-it-py) with raw HTML disabled, so ``<script>``
typed into an article is text, never markup; the HTML it renders then goes
through nh3 with a short allow-list, which removes anything else (event
attributes, ``javascript:`` links). Images may only point at the knowledge
base's own image view (``/kb/images/<id>/``): an article never loads a file
from elsewhere. No Django import.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

from kefu.cases import search

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
IMAGE_SRC = re.compile(r"^/kb/images/\d+/$")
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_MD = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[#*_`>|~]+")
_LIST_MARK = re.compile(r"^\s*(?:[-+]|\d+\.)\s+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        return value if IMAGE_SRC.match(value) else None
    return value


def render(markdown: str) -> str:
    """``markdown`` as sanitized HTML: safe to mark safe in a template."""
    html = _MARKDOWN.render(markdown)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


def plain(markdown: str) -> str:
    """The readable words of ``markdown`` on one line: no images, no link targets, no marks."""
    text = _IMAGE_MD.sub(" ", markdown)
    text = _LINK_MD.sub(r"\1", text)
    text = _LIST_MARK.sub("", text)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def reply_text(markdown: str) -> str:
    """``markdown`` as text to paste into a reply: paragraphs kept, images and marks gone."""
    text = _IMAGE_MD.sub("", markdown)
    text = _LINK_MD.sub(r"\1", text)
    lines = [re.sub(r"^\s{0,3}(#+|>)\s*", "", line).replace("**", "") for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def search_terms(*texts: str) -> str:
    """The bigram terms of ``texts`` (kefu.cases.search), space-separated."""
    return " ".join(search.terms(" ".join(plain(text) for text in texts)))


def excerpt(text: str, query: str, *, width: int = 120) -> str:
    """About ``width`` characters of ``text`` around the first place ``query`` occurs."""
    found = text.lower().find(query.lower()) if query else -1
    if found < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(found - width // 3, 0)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def variants(query: str, groups: list[list[str]]) -> list[str]:
    """``query`` and, for each synonym group a word of which it contains, the query
    with that word replaced by each other word of the group (first-seen order)."""
    found: dict[str, None] = {query: None}
    lowered = query.lower()
    for words in groups:
        for word in words:
            if word and word.lower() in lowered:
                for other in words:
                    if other != word:
                        found.setdefault(re.sub(re.escape(word), other, query, flags=re.I), None)
    return list(found)
