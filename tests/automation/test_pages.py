"""The rule builder pages and the API: build, refuse with the field named, dry-run, runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.automation.models import Rule
from kefu.core.models import Team, User
from tests.automation.builders import trigger
from tests.cases.builders import open_case

pytestmark = pytest.mark.django_db


def test_manager_builds_a_trigger_from_form_rows(
    desk_manager: User, service_team: Team, client_for: Callable[[User], Client]
) -> None:
    client = client_for(desk_manager)
    assert client.get("/automation/rules/new/?kind=trigger").status_code == 200

    response = client.post(
        "/automation/rules/new/?kind=trigger",
        {
            "name": "漏水加急",
            "events": ["case_opened"],
            "match": "all",
            "cond_field": ["message.text"],
            "cond_op": ["contains"],
            "cond_value": ["漏水"],
            "action_type": ["set_field", "add_tags"],
            "action_field": ["priority", ""],
            "action_value": ["urgent", "漏水, 加急"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    rule = Rule.objects.get()
    assert rule.conditions == {
        "match": "all",
        "rules": [{"field": "message.text", "op": "contains", "value": "漏水"}],
    }
    assert rule.actions[1] == {"type": "add_tags", "tags": ["漏水", "加急"]}
    assert rule.department == desk_manager.department
    assert "漏水加急" in client.get("/automation/").content.decode()


def test_unknown_field_is_refused_with_the_field_named(
    desk_manager: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(desk_manager).post(
        "/automation/rules/new/?kind=trigger",
        {
            "name": "坏规则",
            "events": ["case_opened"],
            "cond_field": ["case.secret"],
            "cond_op": ["eq"],
            "cond_value": ["x"],
            "action_type": ["add_tags"],
            "action_field": [""],
            "action_value": ["x"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert "conditions.rules[0].field" in response.content.decode()
    assert not Rule.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"conditions": {"rules": [{"field": "case.priority", "op": "eq", "value": "hot"}]}},
            "conditions.rules[0].value",
        ),
        (
            {"conditions": {"rules": [{"field": "case.breach_count", "op": "gt", "value": "2"}]}},
            "conditions.rules[0].value",
        ),
        ({"actions": [{"type": "set_field", "field": "owner", "value": "x"}]}, "actions[0].field"),
        ({"actions": [{"type": "run_python", "code": "1"}]}, "actions[0].type"),
        ({"actions": [{"type": "assign_team", "team": 99999}]}, "actions[0].team"),
        ({"events": ["case_deleted"]}, "events[0]"),
    ],
)
def test_api_refuses_bad_rules_naming_the_field(
    admin: User,
    bearer_for: Callable[[User], dict[str, str]],
    body: dict[str, object],
    field: str,
) -> None:
    rule = {
        "name": "坏",
        "kind": "trigger",
        "events": ["case_opened"],
        "conditions": {},
        "actions": [{"type": "add_tags", "tags": ["x"]}],
        **body,
    }
    response = Client().post(
        "/api/v1/automation/rules",
        rule,
        content_type="application/json",
        headers=bearer_for(admin),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rule"
    assert field in response.json()["message"]
    assert not Rule.objects.exists()


def test_dry_run_lists_matching_recent_cases_and_writes_nothing(
    desk_manager: User, service_team: Team, client_for: Callable[[User], Client]
) -> None:
    leak = open_case(when="2026-03-02 10:00", team=service_team, body="楼上漏水了")
    open_case(when="2026-03-02 11:00", team=service_team, body="发票问题")

    import time_machine

    with time_machine.travel("2026-03-03 10:00 +0800"):
        response = client_for(desk_manager).post(
            "/automation/rules/dry-run/",
            {"cond_field": ["message.text"], "cond_op": ["contains"], "cond_value": ["漏水"]},
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert leak.reference in page
    assert page.count("KF-") == 1
    assert not Rule.objects.exists()


def test_run_log_lists_the_rule_runs(
    desk_manager: User, service_team: Team, client_for: Callable[[User], Client]
) -> None:
    rule = trigger(
        desk_manager, events=["case_opened"], actions=[{"type": "add_tags", "tags": ["新"]}]
    )
    case = open_case(when="2026-03-02 10:00", team=service_team)

    page = client_for(desk_manager).get(f"/automation/rules/{rule.pk}/runs/").content.decode()

    assert case.reference in page
    assert "tags=新" in page


def test_agent_cannot_open_the_rule_pages(
    desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(desk_agent).get("/automation/").status_code == 403
