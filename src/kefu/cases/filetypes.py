"""How a stored file is served: which content types open in the browser, which
are always downloads, and the headers that keep a file from running as a page.

A customer's file is data from outside. Only images (PNG, JPEG, GIF, WebP)
and PDFs open in the browser; everything else is a download
(``Content-Disposition: attachment``). A type that a browser would run as a
page or script (HTML, SVG, XML, JavaScript) is served as
``application/octet-stream``, so not even a browser that ignores the
disposition renders it. Every file is sent with ``nosniff`` and the
Content-Security-Policy ``POLICY``: sandboxed (no script, no forms, an opaque
origin) and loading nothing. Chromium still shows images and PDFs (in its own
viewer) under it: tests/browser/test_attachment_journey.py opens one. Older
Chromium refused a PDF in a sandboxed document; there "Download" reads it.

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

POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"


@dataclass(frozen=True)
class Serving:
    """How to send one file: its ``content_type`` and whether it opens ``inline``."""

    content_type: str
    inline: bool


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
        return Serving(kind, inline=True)
    if _is_active(kind):
        kind = DOWNLOAD_TYPE
    return Serving(kind, inline=False)


def _is_active(kind: str) -> bool:
    subtype = kind.split("/", 1)[1]
    return (
        subtype == "xml" or subtype.endswith("+xml") or any(marker in subtype for marker in _ACTIVE)
    )
