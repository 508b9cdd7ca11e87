"""Where automation plugs into the desk: case hooks, domain events, history lines, panels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from kefu.automation import engine
from kefu.automation.actions import case_payload
from kefu.automation.webhooks import webhook_publish
from kefu.cases import hooks
from kefu.cases.events import register_event_text
from kefu.cases.models import Message
from kefu.cases.panels import register_panel
from kefu.core import domain_events


def case_event_to_webhooks(event: hooks.CaseHookEvent) -> None:
    """Every case hook is also an outbound webhook event (``case.<code minus case_>``)."""
    code = "case." + event.code.removeprefix("case_")
    data: dict[str, Any] = case_payload(event.case)
    for key, value in event.context.items():
        if isinstance(value, Message):
            data["message"] = {"id": value.pk, "direction": value.direction}
        elif isinstance(value, str | int | float | bool) or value is None:
            data[key] = value
        elif isinstance(value, datetime):
            data[key] = value.isoformat()
    webhook_publish(code, data, event.at)


def domain_event_to_webhooks(code: str, payload: Mapping[str, object], at: datetime) -> None:
    webhook_publish(code, payload, at)


def connect() -> None:
    engine.register()
    # After the triggers, so the receiver sees the case as the rules left it.
    hooks.register("automation_webhooks", case_event_to_webhooks, order=90)
    domain_events.subscribe("automation_webhooks", domain_event_to_webhooks)
    register_event_text("automation_team", lambda d: _("Rule %(rule)s: moved to team %(team)s") % d)
    register_event_text(
        "automation_watchers", lambda d: _("Rule %(rule)s: watchers added: %(users)s") % d
    )
    register_event_text(
        "automation_replied",
        lambda d: _("Rule %(rule)s: sent the reply template %(template)s") % d,
    )
    register_panel("macros", "automation:macro_panel", place="reply", order=40)
