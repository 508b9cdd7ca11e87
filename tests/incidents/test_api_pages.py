"""The API contract and the pages, with their permissions."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from kefu.core.models import User
from kefu.incidents.models import Incident
from tests.incidents.builders import make_contact, make_customer, make_project

Commits = Callable[..., AbstractContextManager[Any]]
Bearer = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db

NEW = {
    "title": "系统宕机",
    "kind": "system_outage",
    "cause": "机房断电",
    "started_at": "2026-11-23T08:30:00+08:00",
    "expected_from": "2026-11-24",
    "update_interval_hours": [3, 6, 12, 24],
}


def test_api_create_confirm_deliveries_updates_and_resume_contract(
    lead: User, bearer_for: Bearer, django_capture_on_commit_callbacks: Commits
) -> None:
    north = make_customer(region="华北", tags=["vip"])
    south = make_customer(region="华南")
    a = make_contact(north, email="a@example.com", phone="13800000011", channels=["email", "sms"])
    b = make_contact(south, email="b@example.com")
    project = make_project(south)
    client, headers = Client(), bearer_for(lead)

    created = client.post(
        "/api/v1/incidents",
        {**NEW, "affected": {"tags": ["vip"], "projects": [project.pk]}},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["affected_contacts"] == 2
    incident_id = body["id"]

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/incidents/{incident_id}/confirm", headers=headers)
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    again = client.post(f"/api/v1/incidents/{incident_id}/confirm", headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "incident_wrong_status"

    rows = client.get(f"/api/v1/incidents/{incident_id}/deliveries", headers=headers).json()
    grid = {(r["contact_id"], r["channel"]): r["status"] for r in rows}
    assert grid == {(a.pk, "email"): "sent", (a.pk, "sms"): "failed", (b.pk, "email"): "sent"}

    updates = client.get(f"/api/v1/incidents/{incident_id}/updates", headers=headers).json()
    assert [u["kind"] for u in updates] == ["first"]

    resumed = client.post(
        f"/api/v1/incidents/{incident_id}/resume",
        {
            "resume_on": "2026-11-24",
            "work_plan": "x",
            "risks": "x",
            "progress_plan": "x",
            "compensation": "x",
            "supervision": "x",
        },
        content_type="application/json",
        headers=headers,
    )
    assert resumed.status_code == 409
    assert resumed.json()["code"] == "incident_wrong_status"


def test_api_refusals_carry_a_code_and_a_message(
    lead: User, agent: User, bearer_for: Bearer
) -> None:
    client = Client()
    past = client.post(
        "/api/v1/incidents",
        {**NEW, "expected_from": "2026-11-01"},
        content_type="application/json",
        headers=bearer_for(lead),
    )
    assert past.status_code == 400
    assert past.json()["code"] == "incident_resumption_in_past"
    assert past.json()["message"]
    denied = client.post(
        "/api/v1/incidents", NEW, content_type="application/json", headers=bearer_for(agent)
    )
    assert denied.status_code == 403
    assert denied.json()["code"] == "not_allowed"
    created = client.post(
        "/api/v1/incidents", NEW, content_type="application/json", headers=bearer_for(lead)
    ).json()
    empty = client.post(f"/api/v1/incidents/{created['id']}/confirm", headers=bearer_for(lead))
    assert empty.status_code == 400
    assert empty.json()["code"] == "incident_no_affected_contacts"
    assert Client().get("/api/v1/incidents").status_code == 401
    assert client.get("/api/v1/incidents/9999", headers=bearer_for(agent)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("agent", 200), ("lead", 200), ("manager", 200)]
)
def test_incident_pages_by_role(
    who: str,
    status: int,
    agent: User,
    lead: User,
    manager: User,
    client_for: Callable[[User], Client],
) -> None:
    users = {"agent": agent, "lead": lead, "manager": manager}
    client = client_for(users[who]) if who in users else Client()
    assert client.get("/incidents/").status_code == status
    assert client.get("/incidents/measures/").status_code == status


def test_agent_sees_no_new_incident_form_and_cannot_confirm(
    agent: User, lead: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(agent).get("/incidents/").content.decode()
    assert 'data-testid="new-incident"' not in page
    org = make_customer()
    make_contact(org, email="x@example.com")
    response = client_for(lead).post(
        "/incidents/",
        {
            "title": "停电",
            "kind": "disaster",
            "cause": "台风",
            "started_at": "2026-11-23T08:00",
            "expected_from": "2026-11-25",
            "intervals": "3, 6",
            "auto_send_updates": "on",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.update_interval_hours == [3, 6]
    client_for(lead).post(f"/incidents/{incident.pk}/pick", {"organisations": [str(org.pk)]})
    refused = client_for(agent).post(f"/incidents/{incident.pk}/confirm", follow=True)
    assert Incident.objects.get().status == "draft"
    assert "not_allowed" in refused.content.decode() or refused.status_code == 200
