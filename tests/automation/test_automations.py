"""Automations on time conditions, run by the clock's pass over indexed candidates."""

from __future__ import annotations

import pytest

from kefu.automation import services
from kefu.automation.clocks import automation_run, candidates, working_cutoff
from kefu.automation.models import Rule, RuleRun
from kefu.cases import services as case_services
from kefu.cases.models import Case
from kefu.cases.services.sla import team_calendar
from kefu.core.models import Team, User
from tests.cases.builders import at, open_case

pytestmark = pytest.mark.django_db


def automation(
    actor: User,
    *,
    time: dict[str, object],
    rules: list[dict[str, object]],
    actions: list[dict[str, object]],
) -> Rule:
    return services.rule_save(
        actor=actor,
        name="自动",
        kind=Rule.Kind.AUTOMATION,
        time=time,
        conditions={"match": "all", "rules": rules},
        actions=actions,
        at=at("2026-03-01 09:00"),
    )


def test_resolved_five_days_is_closed_once(desk_manager: User, service_team: Team) -> None:
    rule = automation(
        desk_manager,
        time={"since": "resolved", "hours": 120, "working": False},
        rules=[{"field": "case.status", "op": "eq", "value": "resolved"}],
        actions=[{"type": "set_field", "field": "status", "value": "closed"}],
    )
    case = open_case(when="2026-03-02 09:00", team=service_team)
    case_services.case_set_status(
        actor=desk_manager, case=case, status="resolved", at=at("2026-03-02 10:00")
    )

    assert automation_run(rule, now=at("2026-03-07 09:59")) == 0
    assert automation_run(rule, now=at("2026-03-07 10:00")) == 1
    assert automation_run(rule, now=at("2026-03-07 10:01")) == 0

    assert Case.objects.get(pk=case.pk).status == "closed"
    assert RuleRun.objects.filter(rule=rule, outcome="done").count() == 1


def test_pending_48_working_hours_counts_only_working_time(
    desk_manager: User, service_team: Team
) -> None:
    rule = automation(
        desk_manager,
        time={"since": "updated", "hours": 18, "working": True},
        rules=[{"field": "case.status", "op": "eq", "value": "waiting_customer"}],
        actions=[{"type": "add_tags", "tags": ["待跟进"]}],
    )
    case = open_case(when="2026-03-06 09:00", team=service_team)  # a Friday
    case_services.case_set_status(
        actor=desk_manager, case=case, status="waiting_customer", at=at("2026-03-06 09:00")
    )

    # Friday 9 h + Monday 9 h of working time: due Monday 18:00, not over the weekend.
    assert automation_run(rule, now=at("2026-03-09 17:59")) == 0
    assert automation_run(rule, now=at("2026-03-09 18:00")) == 1

    assert Case.objects.get(pk=case.pk).tags == ["待跟进"]


def test_cases_examined_and_left_are_not_read_again(desk_manager: User, service_team: Team) -> None:
    rule = automation(
        desk_manager,
        time={"since": "created", "hours": 1, "working": False},
        rules=[{"field": "message.text", "op": "contains", "value": "发票"}],
        actions=[{"type": "add_tags", "tags": ["发票"]}],
    )
    open_case(when="2026-03-02 09:00", team=service_team, body="楼上漏水")

    assert automation_run(rule, now=at("2026-03-02 11:00")) == 0
    assert not candidates(rule, now=at("2026-03-02 12:00")).exists()
    assert RuleRun.objects.get(rule=rule).outcome == "skipped"


def test_working_cutoff_walks_back_over_the_weekend(service_team: Team) -> None:
    cutoff = working_cutoff(team_calendar(service_team), at("2026-03-09 10:00"), 2)

    assert abs((cutoff - at("2026-03-06 17:00")).total_seconds()) <= 1
