"""Triggers on case events: the 漏水 key-account e-mail, loops, and failing rules."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from kefu.automation.models import RuleRun
from kefu.cases import services as case_services
from kefu.cases.models import Case, CaseEvent
from kefu.channels.email_in import email_receive
from kefu.core.models import Notification, Team, User
from kefu.customers.models import Contact, Organisation
from tests.automation.builders import trigger
from tests.cases.builders import at, open_case
from tests.channels.builders import raw_email

pytestmark = pytest.mark.django_db

LEAK_RULES = [
    {"field": "organisation.tier", "op": "eq", "value": "key"},
    {"field": "message.text", "op": "contains", "value": "漏水"},
]


def key_account_contact() -> Contact:
    org = Organisation.objects.create(
        name="华润置地", tier="key", created_at=at("2026-01-01 09:00")
    )
    return Contact.objects.create(
        organisation=org,
        name="李经理",
        email="li@huarun.example.cn",
        language="zh-hans",
        preferred_channels=["email"],
        created_at=at("2026-01-01 09:00"),
    )


def test_leak_email_from_key_account_is_urgent_and_goes_to_engineering(
    desk_manager: User, engineering_team: Team, service_team: Team
) -> None:
    key_account_contact()
    rule = trigger(
        desk_manager,
        events=["case_opened"],
        rules=LEAK_RULES,
        actions=[
            {"type": "set_field", "field": "priority", "value": "urgent"},
            {"type": "add_tags", "tags": ["漏水"]},
            {"type": "assign_team", "team": engineering_team.pk},
        ],
    )

    email_receive(
        raw=raw_email(
            sender="李经理 <li@huarun.example.cn>",
            subject="三号楼地下室",
            body="地下室又漏水了，请马上派人。".encode(),
        ),
        at=at("2026-03-02 10:00"),
    )

    case = Case.objects.get()
    assert case.priority == "urgent"
    assert case.tags == ["漏水"]
    assert case.team == engineering_team
    assert case.department.name == "工程部"
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == "done"
    assert CaseEvent.objects.filter(case=case, kind="automation_team").exists()
    rule.refresh_from_db()
    assert rule.run_count == 1


def test_same_email_from_a_standard_account_is_left_alone(
    desk_manager: User, engineering_team: Team, service_team: Team
) -> None:
    trigger(
        desk_manager,
        events=["case_opened"],
        rules=LEAK_RULES,
        actions=[{"type": "set_field", "field": "priority", "value": "urgent"}],
    )

    email_receive(
        raw=raw_email(sender="王五 <wang@example.cn>", body="厨房漏水".encode()),
        at=at("2026-03-02 10:00"),
    )

    assert Case.objects.get().priority != "urgent"
    assert not RuleRun.objects.exists()


def test_any_group_matches_on_one_condition(desk_manager: User, service_team: Team) -> None:
    trigger(
        desk_manager,
        events=["case_opened"],
        match="any",
        rules=[
            {"field": "message.text", "op": "contains", "value": "停水"},
            {"field": "message.text", "op": "contains", "value": "渗水"},
        ],
        actions=[{"type": "add_tags", "tags": ["水"]}],
    )

    case = open_case(when="2026-03-02 10:00", team=service_team)

    case.refresh_from_db()
    assert case.tags == ["水"]


def test_two_rules_answering_each_other_stop(desk_manager: User, service_team: Team) -> None:
    """A sets 'waiting on customer' when a case opens, B sets it open again: each runs
    once per event, and the ping-pong ends instead of looping."""
    a = trigger(
        desk_manager,
        name="A",
        events=["status_changed"],
        rules=[{"field": "case.status", "op": "eq", "value": "open"}],
        actions=[{"type": "set_field", "field": "status", "value": "waiting_customer"}],
    )
    b = trigger(
        desk_manager,
        name="B",
        events=["status_changed"],
        rules=[{"field": "case.status", "op": "eq", "value": "waiting_customer"}],
        actions=[{"type": "set_field", "field": "status", "value": "open"}],
    )
    case = open_case(when="2026-03-02 10:00", team=service_team)

    case_services.case_set_status(
        actor=desk_manager, case=case, status="open", at=at("2026-03-02 10:05")
    )

    changes = CaseEvent.objects.filter(case=case, kind="status_changed").count()
    assert 2 <= changes <= 4
    assert RuleRun.objects.filter(rule=a).count() <= 2
    assert RuleRun.objects.filter(rule=b).count() <= 2
    assert RuleRun.objects.filter(outcome="failed").count() == 0


def test_failing_rule_is_disabled_after_repeated_errors_and_intake_goes_on(
    admin: User, desk_agent: User, service_team: Team, settings: Settings
) -> None:
    settings.KEFU_AUTOMATION_MAX_ERRORS = 3
    rule = trigger(
        admin,
        events=["case_opened"],
        actions=[{"type": "assign_person", "user": desk_agent.pk}],
    )
    # The person the rule names leaves: each run now fails.
    User.objects.filter(pk=desk_agent.pk).update(is_active=False)

    cases = [open_case(when=f"2026-03-02 10:0{n}", team=service_team) for n in range(4)]

    assert Case.objects.count() == 4
    rule.refresh_from_db()
    assert not rule.is_active
    assert rule.error_count == 3
    assert str(desk_agent.pk) in rule.last_error  # names the person who left
    assert RuleRun.objects.filter(rule=rule, outcome="failed").count() == 3
    assert not RuleRun.objects.filter(rule=rule, case=cases[3]).exists()
    assert Notification.objects.filter(code="automation.rule_disabled").count() == 1


def test_routing_action_without_routing_fails_with_a_clear_error(
    desk_manager: User, service_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def no_routing(name: str, package: str | None = None) -> object:
        if name == "kefu.routing.services":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", no_routing)
    trigger(desk_manager, events=["case_opened"], actions=[{"type": "assign_routing"}])

    open_case(when="2026-03-02 10:00", team=service_team)

    run = RuleRun.objects.get()
    assert run.outcome == "failed"
    assert "Routing is not available" in run.error or "路由" in run.error


def test_routing_action_hands_the_case_to_routing(desk_manager: User, service_team: Team) -> None:
    trigger(desk_manager, events=["case_opened"], actions=[{"type": "assign_routing"}])

    open_case(when="2026-03-02 10:00", team=service_team)

    run = RuleRun.objects.get()
    assert (run.outcome, run.detail) == ("done", ["routed"])
