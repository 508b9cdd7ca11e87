"""Routing's case hook: a new case, or one the customer reopened, that nobody owns
after the earlier handlers (automation's triggers run at order 50) is routed."""

from __future__ import annotations

from kefu.cases import hooks
from kefu.cases.models import Message
from kefu.routing.services import route_case

ORDER = 100


def on_case_event(event: hooks.CaseHookEvent) -> None:
    if event.code == hooks.CASE_OPENED:
        message = event.context.get("message")
        only = message if isinstance(message, Message) else None
        if event.case_current:
            # Nothing changed the new case since it opened: route a copy, unread.
            route_case(
                hooks.case_of(event), at=event.at, actor=None, only_message=only, just_opened=True
            )
            event.case_current = False  # it may have an owner or a routing row now
        else:
            route_case(event.case, at=event.at, actor=None, only_message=only)
    elif event.code == hooks.CUSTOMER_REPLIED and event.context.get("reopened"):
        route_case(event.case, at=event.at, actor=None)


def register() -> None:
    hooks.register("routing", on_case_event, order=ORDER)
