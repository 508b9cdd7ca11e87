"""One analysis for the CLI, the API and the page: a reading or a coaching, as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kefu.assist.engine import coach_draft, read_customer
from kefu.assist.selectors import active_lexicon

ROLES = ("customer", "agent")


def analyze(
    *, text: str, role: str, context: Mapping[str, Any] | None, language: str
) -> dict[str, Any]:
    """``Reading.to_json()`` for a customer, ``Coaching.to_json()`` for an agent, with the
    active lexicon. ``role`` must be one of ``ROLES`` (callers validate)."""
    lexicon = active_lexicon()
    if role == "customer":
        return read_customer(text, context, lexicon).to_json()
    return coach_draft(text, context, lexicon, language=language).to_json()
