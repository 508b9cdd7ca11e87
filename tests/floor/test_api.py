"""The floor and people API: the same rules through HTTP, with a permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.floor.models import AgentState, Candidate, Leave, RaisedHand
from tests.core.factories import make_staff
from tests.floor.builders import Floor

Bearer = Callable[[User], dict[str, str]]


def _post(client: Client, url: str, body: object, headers: dict[str, str]) -> object:
    return client.post(url, body, content_type="application/json", headers=headers)


def test_raise_a_hand_twice_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client = Client()
    agent = bearer_for(floor.agents[0])
    first = client.post(
        "/api/v1/floor/hands", {"note": "帮忙"}, content_type="application/json", headers=agent
    )
    assert first.status_code == 201
    second = client.post("/api/v1/floor/hands", {}, content_type="application/json", headers=agent)
    assert second.status_code == 409
    assert second.json()["code"] == "hand_already_raised"
    assert RaisedHand.objects.count() == 1

    lead = bearer_for(floor.lead)
    listed = client.get("/api/v1/floor/hands", headers=lead).json()
    assert [row["agent_id"] for row in listed] == [floor.agents[0].pk]
    hand_id = listed[0]["id"]
    ack = client.post(f"/api/v1/floor/hands/{hand_id}/acknowledge", headers=lead)
    assert ack.status_code == 200
    assert ack.json()["seconds_to_help"] is not None
    assert client.post(f"/api/v1/floor/hands/{hand_id}/close", headers=lead).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.AGENT, 403),
        (Role.TEAM_LEAD, 200),
        (Role.REALTIME_ANALYST, 200),
        (Role.DEPARTMENT_MANAGER, 200),
    ],
)
def test_hand_queue_permissions(db: None, bearer_for: Bearer, role: str, status: int) -> None:
    user = make_staff(role=role)
    assert Client().get("/api/v1/floor/hands", headers=bearer_for(user)).status_code == status


def test_anonymous_is_refused(db: None) -> None:
    assert Client().get("/api/v1/floor/hands").status_code == 401


def test_breaks_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client, headers = Client(), bearer_for(floor.agents[0])
    started = client.post(
        "/api/v1/floor/breaks",
        {"kind": "special", "reason": "头疼"},
        content_type="application/json",
        headers=headers,
    )
    assert started.status_code == 201
    assert started.json()["state"] == "special_break"
    again = client.post(
        "/api/v1/floor/breaks",
        {"kind": "special"},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_on_break"
    assert AgentState.objects.count() == 1
    assert client.post("/api/v1/floor/breaks/end", headers=headers).json()["state"] == "available"
    assert client.get("/api/v1/floor/state", headers=headers).json()["state"] == "available"


def test_leave_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client, headers = Client(), bearer_for(floor.agents[0])
    bad = client.post(
        "/api/v1/floor/leave",
        {"kind": "sick", "start_date": "2026-11-25", "end_date": "2026-11-24"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "leave_ends_before_start"
    certificate = client.post(
        "/api/v1/floor/leave",
        {"kind": "sick", "start_date": "2026-11-24", "end_date": "2026-11-24", "certificate": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert certificate.status_code == 422  # no such field: nothing to upload
    ok = client.post(
        "/api/v1/floor/leave",
        {"kind": "sick", "start_date": "2026-11-24", "end_date": "2026-11-24"},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "approved"
    assert Leave.objects.get().start_date == date(2026, 11, 24)


def test_candidate_with_banned_fields_is_refused(floor: Floor, bearer_for: Bearer) -> None:
    client, headers = Client(), bearer_for(floor.lead)
    for banned in ("ethnicity", "height", "weight", "marital_status"):
        response = client.post(
            "/api/v1/people/candidates",
            {"name": "王芳", banned: "x"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422, banned
    assert not Candidate.objects.exists()


def test_candidate_reveal_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client, lead = Client(), bearer_for(floor.lead)
    created = client.post(
        "/api/v1/people/candidates",
        {"name": "王芳", "national_id": "110101199003071234", "expected_pay": 6000},
        content_type="application/json",
        headers=lead,
    ).json()
    assert created["national_id_masked"] == "110***********1234"
    assert "national_id" not in created
    qa = make_staff(role=Role.QA_INSPECTOR)
    refused = client.post(
        f"/api/v1/people/candidates/{created['id']}/reveal", headers=bearer_for(qa)
    )
    assert refused.status_code == 403
    revealed = client.post(f"/api/v1/people/candidates/{created['id']}/reveal", headers=lead)
    assert revealed.json() == {"national_id": "110101199003071234"}
    moved = client.post(
        f"/api/v1/people/candidates/{created['id']}/stage",
        {"stage": "interviewed"},
        content_type="application/json",
        headers=lead,
    )
    assert moved.json()["stage"] == "interviewed"


def test_coaching_then_discipline_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client, lead = Client(), bearer_for(floor.lead)
    agent_id = floor.agents[0].pk
    refused = client.post(
        "/api/v1/people/discipline",
        {"agent_id": agent_id, "text": "x"},
        content_type="application/json",
        headers=lead,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_coaching_on_file"
    talk = client.post(
        "/api/v1/people/coaching",
        {"agent_id": agent_id, "topic": "语速", "notes": "太快", "agreed_actions": "放慢"},
        content_type="application/json",
        headers=lead,
    ).json()
    note = client.post(
        "/api/v1/people/discipline",
        {"agent_id": agent_id, "coaching_id": talk["id"], "text": "仍然太快"},
        content_type="application/json",
        headers=lead,
    )
    assert note.status_code == 201
    history = client.get(f"/api/v1/people/{agent_id}/history", headers=lead).json()
    assert [c["topic"] for c in history["coaching"]] == ["语速"]
    assert (
        client.get(
            f"/api/v1/people/{agent_id}/history", headers=bearer_for(floor.agents[1])
        ).status_code
        == 403
    )


def test_retention_and_intraday_over_the_api(floor: Floor, bearer_for: Bearer) -> None:
    client = Client()
    manager = make_staff(role=Role.DEPARTMENT_MANAGER)
    body = client.get("/api/v1/people/retention", headers=bearer_for(manager)).json()
    assert set(body["bands"]) == {
        "under_3_months",
        "3_to_6_months",
        "6_to_12_months",
        "1_to_2_years",
        "over_2_years",
    }
    assert (
        client.get("/api/v1/people/retention", headers=bearer_for(floor.agents[0])).status_code
        == 403
    )
    intraday = client.get("/api/v1/floor/intraday?day=2026-11-24", headers=bearer_for(floor.lead))
    assert intraday.status_code == 200
    assert (
        client.get("/api/v1/floor/intraday", headers=bearer_for(floor.agents[0])).status_code == 403
    )


def test_calls_import_csv_and_json(floor: Floor, bearer_for: Bearer) -> None:
    analyst = make_staff(role=Role.REALTIME_ANALYST)
    client, headers = Client(), bearer_for(analyst)
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = (
        "queue,arrived_at,answered_at,abandoned_at,agent,handle_seconds,external_id\n"
        "热线,2026-11-24T09:00:00,2026-11-24T09:00:10,,agent.x,200,c1\n"
        "热线,2026-11-24T09:01:00,,2026-11-24T09:02:00,,0,c2\n"
    )
    upload = SimpleUploadedFile("calls.csv", csv_text.encode(), content_type="text/csv")
    response = client.post("/api/v1/floor/calls/import", {"file": upload}, headers=headers)
    assert response.status_code == 201
    assert response.json() == {"created": 2, "skipped": 0}
    again = SimpleUploadedFile("calls.csv", csv_text.encode(), content_type="text/csv")
    assert client.post("/api/v1/floor/calls/import", {"file": again}, headers=headers).json() == {
        "created": 0,
        "skipped": 2,
    }
    bad = client.post(
        "/api/v1/floor/calls",
        {
            "calls": [
                {
                    "queue": "热线",
                    "arrived_at": "2026-11-24T09:00:00+08:00",
                    "answered_at": "2026-11-24T09:01:00+08:00",
                    "abandoned_at": "2026-11-24T09:01:00+08:00",
                }
            ]
        },
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "calls_invalid"
    assert (
        client.post(
            "/api/v1/floor/calls",
            {"calls": []},
            content_type="application/json",
            headers=bearer_for(floor.agents[0]),
        ).status_code
        == 403
    )
