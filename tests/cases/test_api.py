"""The desk's API: same services as the pages, JSON errors with codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.cases.models import Case
from kefu.core.models import Team, User
from tests.cases.builders import make_contact, open_case

pytestmark = pytest.mark.django_db

BearerFor = Callable[[User], dict[str, str]]


def test_anonymous_gets_401(client: Client) -> None:
    response = client.get("/api/v1/cases")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_agent_opens_a_case_and_lists_it(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    contact = make_contact()
    headers = bearer_for(desk_agent)

    created = client.post(
        "/api/v1/cases",
        {
            "contact_id": contact.pk,
            "subject": "墙面开裂",
            "body": "客厅墙面出现裂缝",
            "channel": "phone",
        },
        content_type="application/json",
        headers=headers,
    )
    listed = client.get("/api/v1/cases", {"scope": "all", "q": "开裂"}, headers=headers)

    assert created.status_code == 201
    assert created.json()["reference"].startswith("KF-")
    assert [row["reference"] for row in listed.json()["items"]] == [created.json()["reference"]]


@pytest.mark.parametrize(
    "body",
    [
        {"contact_id": 1, "subject": "x", "body": "y", "channel": "fax"},
        {"contact_id": "one", "subject": "x", "body": "y", "channel": "email"},
        {"contact_id": 1, "subject": "x", "body": "y", "channel": "email", "owner": "me"},
        {"subject": "x"},
    ],
)
def test_bad_case_input_is_422_and_stores_nothing(
    client: Client, desk_agent: User, bearer_for: BearerFor, body: dict[str, object]
) -> None:
    response = client.post(
        "/api/v1/cases", body, content_type="application/json", headers=bearer_for(desk_agent)
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not Case.objects.exists()


def test_stale_version_gets_409_with_a_code(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    headers = bearer_for(desk_agent)
    stale = case.version

    first = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": stale, "priority": "high"},
        content_type="application/json",
        headers=headers,
    )
    second = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": stale, "priority": "low"},
        content_type="application/json",
        headers=headers,
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "case_changed_concurrently"
    assert Case.objects.get(pk=case.pk).priority == "high"


def test_unknown_case_is_404_with_a_code(
    client: Client, desk_agent: User, bearer_for: BearerFor
) -> None:
    response = client.get("/api/v1/cases/999999", headers=bearer_for(desk_agent))

    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"


@pytest.mark.parametrize(("who", "status"), [("desk_agent", 403), ("desk_lead", 200)])
def test_kept_rates_are_for_leads(
    client: Client, bearer_for: BearerFor, request: pytest.FixtureRequest, who: str, status: int
) -> None:
    user: User = request.getfixturevalue(who)

    response = client.get("/api/v1/commitments/kept-rates", headers=bearer_for(user))

    assert response.status_code == status


def test_commitment_and_escalation_through_the_api(
    client: Client, team: Team, desk_agent: User, desk_lead: User, bearer_for: BearerFor
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    headers = bearer_for(desk_agent)

    promise = client.post(
        f"/api/v1/cases/{case.pk}/commitments",
        {"what": "周五前寄回样品", "due_at": "2099-01-02T17:00:00+08:00"},
        content_type="application/json",
        headers=headers,
    )
    escalated = client.post(
        f"/api/v1/cases/{case.pk}/escalate",
        {"reason": "customer_request", "explanation": "客户要求主管处理"},
        content_type="application/json",
        headers=headers,
    )
    at_top = client.post(
        f"/api/v1/cases/{case.pk}/escalate",
        {"reason": "other", "explanation": ""},
        content_type="application/json",
        headers=headers,
    )

    assert promise.status_code == 201
    assert escalated.status_code == 201
    assert escalated.json()["to_owner"] == desk_lead.username
    assert at_top.status_code == 422


def test_openapi_documents_the_desk(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/transfer",
        "/api/v1/cases/{case_id}/commitments",
        "/api/v1/cases/{case_id}/compensations",
    ):
        assert path in paths


def test_watching_a_case(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team)
    headers = bearer_for(desk_agent)

    on = client.post(
        f"/api/v1/cases/{case.pk}/watch",
        {"watching": True},
        content_type="application/json",
        headers=headers,
    )
    off = client.post(
        f"/api/v1/cases/{case.pk}/watch",
        {"watching": False},
        content_type="application/json",
        headers=headers,
    )

    assert on.json() == {"watchers": ["agent.wang"]}
    assert off.json() == {"watchers": []}
