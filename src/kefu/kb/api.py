"""The knowledge base API."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["kb"])
