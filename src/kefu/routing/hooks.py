"""Routing's case hook: a new case, or one the customer reopened, that nobody owns
after the earlier handlers (automation's triggers run at order 50) is routed."""

from __future__ import annotations

from kefu.cases import hooks
from kefu.routing.services import route_case

ORDER = 100


def on_case_event(event: hooks.CaseHookEvent) -> None:
    if event.code == hooks.CASE_OPENED or (
        event.code == hooks.CUSTOMER_REPLIED and event.context.get("reopened")
    ):
        route_case(event.case, at=event.at, actor=None)


def register() -> None:
    hooks.register("routing", on_case_event, order=ORDER)
