"""HMAC-SHA256 signatures of request bodies (``sha256=<hex>``). Pure: no Django."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value signing ``body`` with ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"{PREFIX}{digest}"


def is_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is ``sign(secret, body)``; compared in constant time."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip().lower())
