"""How a stored file is served: which content types open in the browser, which
are always downloads, and the headers that keep a file from running as a page.

A customer's file is data from outside. Only images (PNG, JPEG, GIF, WebP)
and PDFs open in the browser; everything else is a download
(``Content-Disposition: attachment``). A type that a browser would run as a
page or script (HTML, SVG, XML, JavaScript) is served as
``application/octet-stream``, so not even a browser that ignores the
disposition renders it. Every file is sent with ``nosniff`` and a
Content-Security-Policy ``sandbox`` (no script, no same origin), except PDFs,
which Chromium refuses to show inside a sandboxed document: they get a policy
that loads nothing from anywhere and may not be framed.

Pure: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})
DOWNLOAD_TYPE = "application/octet-stream"
# Subtypes a browser might execute or render as a document, whatever the disposition
# says: HTML, XML and every "+xml" (SVG, XHTML), XSL, scripts, Flash.
_ACTIVE = ("html", "javascript", "ecmascript", "xsl", "shockwave-flash")
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")

SANDBOX_POLICY = "sandbox; default-src 'none'"
PDF_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"


@dataclass(frozen=True)
class Serving:
    """How to send one file: its ``content_type``, whether it opens ``inline``, and
    the Content-Security-Policy ``policy`` of the response."""

    content_type: str
    inline: bool
    policy: str


def media_type(stored: str) -> str:
    """``stored`` (a Content-Type as the sender gave it) reduced to ``type/subtype``
    in lower case, without parameters; ``DOWNLOAD_TYPE`` when it is not one."""
    value = stored.split(";", 1)[0].strip().lower()
    return value if _MEDIA_TYPE.match(value) else DOWNLOAD_TYPE


def opens_inline(stored: str) -> bool:
    """Whether a file stored as ``stored`` opens in the browser (images and PDF)."""
    return media_type(stored) in INLINE_TYPES


def serving_for(stored: str, *, download: bool = False) -> Serving:
    """How to serve a file whose stored content type is ``stored``.

    ``download`` asks for a download even of a type that could open inline.
    """
    kind = media_type(stored)
    if kind in INLINE_TYPES and not download:
        return Serving(kind, True, PDF_POLICY if kind == "application/pdf" else SANDBOX_POLICY)
    if _is_active(kind):
        kind = DOWNLOAD_TYPE
    return Serving(kind, False, SANDBOX_POLICY)


def _is_active(kind: str) -> bool:
    subtype = kind.split("/", 1)[1]
    return (
        subtype == "xml" or subtype.endswith("+xml") or any(marker in subtype for marker in _ACTIVE)
    )
