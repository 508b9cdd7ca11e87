"""The desk's sources for the customer timeline: cases opened, messages, compensation.

Registered with ``kefu.customers.timeline`` from ``CasesConfig.ready()`` (the desk
depends on customers, never the other way round).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.models import Case, CompensationOffer, Message
from kefu.cases.selectors import visible_cases
from kefu.customers.timeline import (
    Audience,
    TimelineItem,
    TimelineKind,
    TimelineScope,
    excerpt,
    register_timeline_source,
)


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
        if message.delivery_status in ("failed", "resent", "undeliverable"):
            # Never "to the customer by SMS" for an SMS that did not reach them.
            return _("Not delivered to the customer by %(channel)s, case %(reference)s") % values
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


@register_timeline_source("cases.compensation")
def compensation_offers(scope: TimelineScope) -> list[TimelineItem]:
    """Compensation offered on the customer's cases, with its approval state."""
    offers = CompensationOffer.objects.filter(
        _case_filter(scope, prefix="case__"), case__in=visible_cases(scope.actor)
    ).select_related("case")
    return [
        TimelineItem(
            at=offer.offered_at,
            kind="compensation",
            title=_("Compensation on case %(reference)s: %(kind)s ¥%(amount)s")
            % {
                "reference": offer.case.reference,
                "kind": offer.get_kind_display(),
                "amount": offer.amount,
            },
            body_excerpt=f"{offer.get_status_display()} · {excerpt(offer.reason)}",
            link=_case_link(offer.case),
        )
        for offer in offers.order_by("-offered_at", "-pk")[: scope.limit]
    ]
