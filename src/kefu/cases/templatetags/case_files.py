"""Template filters for the files on a case's messages."""

from __future__ import annotations

from django import template
from django.conf import settings

from kefu.cases import filetypes
from kefu.cases.services.files import MAX_REPLY_FILES

register = template.Library()


@register.filter
def opens_inline(content_type: str) -> bool:
    """Whether a file of the stored ``content_type`` opens in the browser (images, PDF)."""
    return filetypes.opens_inline(content_type)


@register.simple_tag
def reply_file_limits() -> dict[str, int]:
    """How many files one reply may carry, and how large each may be (bytes)."""
    return {"count": MAX_REPLY_FILES, "size": settings.KEFU_MAX_ATTACHMENT_BYTES}
