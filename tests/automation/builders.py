"""Builders for automation tests: rules as a manager would save them."""

from __future__ import annotations

from typing import Any

from kefu.automation import services
from kefu.automation.models import Rule
from kefu.core.models import User
from tests.cases.builders import at


def trigger(
    actor: User,
    *,
    events: list[str],
    actions: list[dict[str, Any]],
    rules: list[dict[str, Any]] | None = None,
    match: str = "all",
    name: str = "规则",
    position: int = 100,
) -> Rule:
    return services.rule_save(
        actor=actor,
        name=name,
        kind=Rule.Kind.TRIGGER,
        events=events,
        conditions={"match": match, "rules": rules or []},
        actions=actions,
        position=position,
        at=at("2026-03-02 09:00"),
    )
