"""One timeline per customer: everything that happened with an organisation or a contact.

The timeline merges *sources*, newest first. A source is a function that takes a
``TimelineScope`` and returns ``TimelineItem``s, registered under a name:

    @register_timeline_source("incidents.notices")
    def notices(scope: TimelineScope) -> list[TimelineItem]: ...

Each app registers its own sources from its ``ready()`` (cases and messages
from ``kefu.cases.timeline``; notices and surveys from their apps), so this
module imports none of them. A source returns at most ``scope.limit`` items,
newest first, in a fixed number of queries, and leaves out what
``scope.audience`` may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kefu.core.models import User
from kefu.customers.models import Contact, Organisation
from kefu.customers.selectors import require_staff

EXCERPT_LENGTH = 140
DEFAULT_LIMIT = 100


class Audience(StrEnum):
    """Who reads the timeline: staff see internal notes, the customer does not."""

    STAFF = "staff"
    CUSTOMER = "customer"


class TimelineKind(StrEnum):
    CASE_OPENED = "case_opened"
    MESSAGE_IN = "message_in"
    MESSAGE_OUT = "message_out"
    NOTE = "note"


@dataclass(frozen=True)
class TimelineItem:
    """One event. ``kind`` is a ``TimelineKind`` value or another source's own kind."""

    at: datetime
    kind: str
    title: str
    body_excerpt: str
    link: str


@dataclass(frozen=True)
class TimelineScope:
    """Whose timeline a source is asked for (one of organisation and contact), and by whom.

    Sources apply their own app's visibility rules for ``actor``.
    """

    actor: User
    organisation: Organisation | None
    contact: Contact | None
    audience: Audience
    limit: int


TimelineSource = Callable[[TimelineScope], Iterable[TimelineItem]]
_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(name: str) -> Callable[[TimelineSource], TimelineSource]:
    """Decorator: add a source under ``name``; registering a name again replaces it."""

    def register(source: TimelineSource) -> TimelineSource:
        _SOURCES[name] = source
        return source

    return register


def timeline_sources() -> dict[str, TimelineSource]:
    """The registered sources by name (a copy)."""
    return dict(_SOURCES)


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """``text`` on one line, cut to ``length`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def customer_timeline(
    *,
    actor: User,
    organisation: Organisation | None = None,
    contact: Contact | None = None,
    audience: Audience = Audience.STAFF,
    limit: int = DEFAULT_LIMIT,
) -> list[TimelineItem]:
    """The newest ``limit`` items of every source for one organisation or one contact.

    Newest first; items at the same instant keep the order of the sources'
    registration. Pass exactly one of ``organisation`` and ``contact``.
    """
    require_staff(actor)
    if (organisation is None) == (contact is None):
        raise ValueError("Pass exactly one of organisation and contact.")
    scope = TimelineScope(
        actor=actor, organisation=organisation, contact=contact, audience=audience, limit=limit
    )
    items = [item for source in _SOURCES.values() for item in source(scope)]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
