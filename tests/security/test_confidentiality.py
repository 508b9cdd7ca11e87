"""Confidentiality that holds: merges, the confidential flag, raised hands, lookups by id.

Issue 23, weakness 7: an agent merged a confidential case into another
department's case (its messages then showed to that department), switched
confidentiality off, and a raised hand naming a case the agent could not open
told them the case existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kefu.cases import services
from kefu.cases.models import Case
from kefu.core.errors import PermissionDeniedError
from kefu.core.models import AuditEntry, Team, User
from kefu.core.roles import Role
from kefu.floor.models import RaisedHand
from tests.cases.builders import at, make_contact, nine_to_six_team, open_case
from tests.core.factories import make_department, make_staff

Bearer = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kefu"


@pytest.fixture
def service() -> Team:
    return nine_to_six_team(make_department(name="客服中心", code="service"))


@pytest.fixture
def engineering() -> Team:
    return nine_to_six_team(make_department(name="工程部", code="engineering"))


@pytest.fixture
def agent(service: Team) -> User:
    return make_staff(role=Role.AGENT, team=service, department=service.department)


@pytest.fixture
def lead(service: Team) -> User:
    return make_staff(role=Role.TEAM_LEAD, team=service, department=service.department)


def _confidential(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    case.refresh_from_db()
    return case


def _merge(
    client: Client, headers: dict[str, str], source: Case, target: Case
) -> tuple[int, dict[str, Any]]:
    response = client.post(
        f"/api/v1/cases/{source.pk}/merge",
        {"into": target.reference},
        content_type="application/json",
        headers=headers,
    )
    return response.status_code, response.json()


# -- merge ---------------------------------------------------------------------------------


def test_agent_cannot_merge_a_confidential_case_into_another_departments_case(
    client: Client, bearer_for: Bearer, service: Team, engineering: Team, agent: User
) -> None:
    contact = make_contact()
    secret = _confidential(
        open_case(
            when="2026-11-02 10:00", team=service, contact=contact, body="内部评估 secretword"
        )
    )
    elsewhere = open_case(when="2026-11-02 10:05", team=engineering, contact=contact)

    status, body = _merge(client, bearer_for(agent), secret, elsewhere)

    assert (status, body["code"]) == (403, "merge_needs_lead")
    secret.refresh_from_db()
    assert secret.status == "new"
    assert secret.merged_into is None
    assert not elsewhere.messages.filter(body__contains="secretword").exists()
    assert not AuditEntry.objects.filter(action="case.merged").exists()


@pytest.mark.parametrize("differs_in", ["confidentiality", "department", "contact"])
def test_agent_merge_across_a_boundary_is_refused_and_names_it(
    client: Client,
    bearer_for: Bearer,
    service: Team,
    engineering: Team,
    agent: User,
    differs_in: str,
) -> None:
    contact = make_contact()
    source = open_case(when="2026-11-02 10:00", team=service, contact=contact)
    target = open_case(
        when="2026-11-02 10:05",
        team=engineering if differs_in == "department" else service,
        contact=make_contact() if differs_in == "contact" else contact,
    )
    if differs_in == "confidentiality":
        _confidential(target)

    status, body = _merge(client, bearer_for(agent), source, target)

    assert (status, body["code"]) == (403, "merge_needs_lead")
    with translation.override("zh-hans"):
        assert gettext(differs_in) in body["message"]
    assert Case.objects.get(pk=source.pk).merged_into is None


def test_lead_may_merge_across_departments_and_contacts(
    client: Client, bearer_for: Bearer, service: Team, engineering: Team, lead: User
) -> None:
    source = _confidential(open_case(when="2026-11-02 10:00", team=service, body="甲 kiwiword"))
    target = open_case(when="2026-11-02 10:05", team=engineering)

    status, _body = _merge(client, bearer_for(lead), source, target)

    assert status == 200
    assert Case.objects.get(pk=source.pk).merged_into_id == target.pk
    assert target.messages.filter(body__contains="kiwiword").exists()


def test_agent_may_still_merge_a_duplicate_of_the_same_contact_and_department(
    client: Client, bearer_for: Bearer, service: Team, agent: User
) -> None:
    contact = make_contact()
    first = open_case(when="2026-11-02 10:00", team=service, contact=contact)
    duplicate = open_case(when="2026-11-02 10:05", team=service, contact=contact)

    status, _body = _merge(client, bearer_for(agent), duplicate, first)

    assert status == 200
    assert Case.objects.get(pk=duplicate.pk).merged_into_id == first.pk


# -- the confidential flag -----------------------------------------------------------------


@pytest.mark.parametrize("start", [True, False])
def test_agent_cannot_change_confidentiality_either_way(
    client: Client, bearer_for: Bearer, service: Team, agent: User, start: bool
) -> None:
    case = open_case(when="2026-11-02 10:00", team=service, owner=agent)
    Case.objects.filter(pk=case.pk).update(is_confidential=start)
    case.refresh_from_db()

    response = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "is_confidential": not start},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "confidentiality_needs_lead"
    after = Case.objects.get(pk=case.pk)
    assert after.is_confidential is start
    assert after.version == case.version
    assert not AuditEntry.objects.filter(action="case.updated").exists()


def test_agent_may_change_other_details_and_lead_may_change_confidentiality(
    client: Client, bearer_for: Bearer, service: Team, agent: User, lead: User
) -> None:
    case = _confidential(open_case(when="2026-11-02 10:00", team=service, owner=agent))

    by_agent = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "priority": "high", "is_confidential": True},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    by_lead = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": by_agent.json()["version"], "is_confidential": False},
        content_type="application/json",
        headers=bearer_for(lead),
    )

    assert by_agent.status_code == 200
    assert by_lead.status_code == 200
    after = Case.objects.get(pk=case.pk)
    assert (after.priority, after.is_confidential) == ("high", False)
    entry = AuditEntry.objects.get(action="case.updated", actor=lead)
    assert (entry.before, entry.after) == ({"is_confidential": True}, {"is_confidential": False})


# -- raised hands --------------------------------------------------------------------------


def _hidden_case(engineering: Team) -> Case:
    """A confidential case of another department: the service agent may not open it."""
    return _confidential(open_case(when="2026-11-02 10:00", team=engineering))


def test_api_hand_naming_a_case_the_agent_cannot_open_answers_as_for_a_missing_case(
    client: Client, bearer_for: Bearer, engineering: Team, agent: User
) -> None:
    hidden = _hidden_case(engineering)
    missing_id = hidden.pk + 1000

    def raise_hand(case_id: int) -> tuple[int, dict[str, object]]:
        response = client.post(
            "/api/v1/floor/hands",
            {"case_id": case_id, "note": "帮忙"},
            content_type="application/json",
            headers=bearer_for(agent),
        )
        return response.status_code, response.json()

    assert raise_hand(hidden.pk) == raise_hand(missing_id)
    assert raise_hand(hidden.pk)[0] == 404
    assert raise_hand(hidden.pk)[1]["code"] == "case_not_found"
    assert not RaisedHand.objects.exists()


def test_page_hand_naming_a_case_the_agent_cannot_open_answers_as_for_a_missing_case(
    client_for: Callable[[User], Client], engineering: Team, agent: User
) -> None:
    hidden = _hidden_case(engineering)

    def raise_hand(reference: str) -> list[str]:
        response = client_for(agent).post(
            reverse("floor:hand_raise"), {"case": reference, "note": "帮忙"}
        )
        assert response.status_code == 302
        return [str(message) for message in get_messages(response.wsgi_request)]

    hidden_answer = raise_hand(hidden.reference)
    missing_answer = raise_hand("KF-2026-999999")

    assert hidden_answer == missing_answer == ["没有这个工单。"]
    assert not RaisedHand.objects.exists()


def test_page_hand_naming_a_case_the_agent_may_open_is_raised_with_it(
    client_for: Callable[[User], Client], service: Team, agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=service, owner=agent)

    client_for(agent).post(reverse("floor:hand_raise"), {"case": case.reference})

    assert RaisedHand.objects.get(agent=agent).case == case


# -- lookups by id -------------------------------------------------------------------------

# A case fetched by id in a view or API handler must come through the desk's
# access check (kefu.cases.selectors.access_case / access_case_by_reference).
DIRECT_LOOKUP = re.compile(
    r"(?<![\w.])Case\.(objects|_default_manager)\b|get_(object|list)_or_404\(\s*Case\b"
)


def _interface_modules() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("*.py")
        if path.name.startswith(("views", "api")) or "views" in path.parent.parts
    )


def test_views_and_apis_look_cases_up_only_through_the_access_check() -> None:
    modules = _interface_modules()
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in modules
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIRECT_LOOKUP.search(line)
    ]

    assert len(modules) > 20  # the glob still finds the interface layer
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        "case = Case.objects.get(pk=case_id)",
        "case = get_object_or_404(Case, pk=payload.case_id)",
        "Case.objects.filter(reference=reference).first()",
    ],
)
def test_the_lookup_pattern_catches_direct_case_lookups(line: str) -> None:
    assert DIRECT_LOOKUP.search(line)


def test_the_lookup_pattern_leaves_other_models_alone() -> None:
    assert not DIRECT_LOOKUP.search("IncidentCase.objects.filter(incident=incident)")
    assert not DIRECT_LOOKUP.search("selectors.access_case(actor, case_id)")


def test_merge_refusal_writes_nothing_even_through_the_service(
    service: Team, engineering: Team, agent: User
) -> None:
    source = open_case(when="2026-11-02 10:00", team=service)
    target = open_case(when="2026-11-02 10:05", team=engineering)

    with pytest.raises(PermissionDeniedError) as refused:
        services.case_merge(actor=agent, source=source, target=target, at=at("2026-11-02 11:00"))

    assert refused.value.code == "merge_needs_lead"
    assert source.messages.count() == 1
    assert Case.objects.get(pk=source.pk).status == "new"


def test_a_watcher_of_another_department_sees_the_hand_but_not_its_confidential_case(
    client: Client,
    client_for: Callable[[User], Client],
    bearer_for: Bearer,
    service: Team,
    engineering: Team,
) -> None:
    engineer = make_staff(role=Role.AGENT, team=engineering, department=engineering.department)
    hidden = _confidential(open_case(when="2026-11-02 10:00", team=engineering, owner=engineer))
    raised = client.post(
        "/api/v1/floor/hands",
        {"case_id": hidden.pk, "note": "帮忙"},
        content_type="application/json",
        headers=bearer_for(engineer),
    )
    assert raised.status_code == 201, raised.content
    outsider = make_staff(role=Role.DEPARTMENT_MANAGER, team=service, department=service.department)
    insider = make_staff(
        role=Role.DEPARTMENT_MANAGER, team=engineering, department=engineering.department
    )

    def listed(user: User) -> list[tuple[object, object]]:
        hands = client.get("/api/v1/floor/hands", headers=bearer_for(user)).json()
        return [(hand["case_id"], hand["case_reference"]) for hand in hands]

    assert listed(outsider) == [(None, None)]
    assert listed(insider) == [(hidden.pk, hidden.reference)]
    page = client_for(outsider).get(reverse("floor:index")).content.decode()
    assert "帮忙" in page or engineer.get_username() in page or str(engineer) in page
    assert hidden.reference not in page
    assert hidden.reference in client_for(insider).get(reverse("floor:index")).content.decode()
