"""One timeline per customer: everything that happened with an organisation or a contact.

The timeline merges *sources*, newest first. A source is a function that takes a
``TimelineScope`` and returns ``TimelineItem``s, registered under a name:

    @register_timeline_source("incidents.notices")
    def notices(scope: TimelineScope) -> list[TimelineItem]: ...

Cases opened and their messages are registered here. Notices (incidents) and
surveys (quality) register their own sources from their app's ``ready()``, so
this module never imports them. A source returns at most ``scope.limit`` items,
newest first, in a fixed number of queries, and leaves out what
``scope.audience`` may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.models import Case, Message
from kefu.cases.selectors import visible_cases
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


# -- cases and messages --------------------------------------------------------------------


def _case_link(case: Case) -> str:
    return reverse("cases:case", args=[case.pk])


def _case_filter(scope: TimelineScope, prefix: str = "") -> Q:
    if scope.contact is not None:
        return Q(**{f"{prefix}contact": scope.contact})
    return Q(**{f"{prefix}organisation": scope.organisation}) | Q(
        **{f"{prefix}contact__organisation": scope.organisation}
    )


@register_timeline_source("cases.opened")
def cases_opened(scope: TimelineScope) -> list[TimelineItem]:
    """Every case opened by or for the customer."""
    cases = visible_cases(scope.actor).filter(_case_filter(scope)).order_by("-created_at", "-pk")
    return [
        TimelineItem(
            at=case.created_at,
            kind=TimelineKind.CASE_OPENED,
            title=_("Case %(reference)s opened: %(subject)s")
            % {"reference": case.reference, "subject": case.subject},
            body_excerpt=_("Status: %(status)s · priority: %(priority)s")
            % {"status": case.get_status_display(), "priority": case.get_priority_display()},
            link=_case_link(case),
        )
        for case in cases[: scope.limit]
    ]


_MESSAGE_KINDS: dict[str, str] = {
    Message.Direction.INBOUND: TimelineKind.MESSAGE_IN,
    Message.Direction.OUTBOUND: TimelineKind.MESSAGE_OUT,
    Message.Direction.NOTE: TimelineKind.NOTE,
}


def _message_title(message: Message) -> str:
    values = {"reference": message.case.reference, "channel": message.get_channel_display()}
    if message.direction == Message.Direction.INBOUND:
        return _("From the customer by %(channel)s, case %(reference)s") % values
    if message.direction == Message.Direction.OUTBOUND:
        return _("To the customer by %(channel)s, case %(reference)s") % values
    return _("Internal note, case %(reference)s") % values


@register_timeline_source("cases.messages")
def case_messages(scope: TimelineScope) -> list[TimelineItem]:
    """Messages in and out of the customer's cases; internal notes for staff only.

    Only messages of cases the actor may see (``cases.selectors.visible_cases``).
    """
    match = _case_filter(scope, prefix="case__")
    if scope.contact is not None:
        match |= Q(contact=scope.contact)
    messages = Message.objects.filter(match, case__in=visible_cases(scope.actor)).select_related(
        "case"
    )
    if scope.audience != Audience.STAFF:
        messages = messages.exclude(direction=Message.Direction.NOTE)
    return [
        TimelineItem(
            at=message.created_at,
            kind=_MESSAGE_KINDS.get(message.direction, message.direction),
            title=_message_title(message),
            body_excerpt=excerpt(message.body),
            link=_case_link(message.case),
        )
        for message in messages.order_by("-created_at", "-pk")[: scope.limit]
    ]
