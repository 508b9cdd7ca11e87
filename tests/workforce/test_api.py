"""API: Erlang staffing, a schedule in the CLI's format, my published shifts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.core.models import User
from kefu.workforce.models import ScheduledShift
from tests.workforce.builders import solved_schedule

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]


def test_erlang_matches_the_issue_example(agent: User, bearer_for: Bearer) -> None:
    """100 calls in 1800 s, AHT 180 s, 80 % in 20 s: 14 agents, SL 0.8884, 20 at 30 % shrinkage."""
    response = Client().post(
        "/api/v1/workforce/erlang",
        {
            "calls": 100,
            "interval": 1800,
            "aht": 180,
            "sl": 0.8,
            "answer_time": 20,
            "shrinkage": 0.3,
        },
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["agents"] == 14
    assert body["scheduled"] == 20
    assert round(body["service_level"], 4) == 0.8884
    assert set(body) >= {
        "agents",
        "scheduled",
        "service_level",
        "asa",
        "p_wait",
        "occupancy",
        "abandon",
    }


def test_erlang_evaluates_given_agents(agent: User, bearer_for: Bearer) -> None:
    response = Client().post(
        "/api/v1/workforce/erlang",
        {"calls": 100, "interval": 1800, "aht": 180, "agents": 13},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert response.json()["agents"] == 13
    assert response.json()["service_level"] < 0.8


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"calls": 100, "aht": 0}, "aht_not_positive"),
        ({"calls": -1, "aht": 180}, "calls_negative"),
        ({"calls": 100, "aht": 180, "sl": 1.0}, "sl_out_of_range"),
    ],
)
def test_erlang_bad_input_is_a_clear_400(
    agent: User, bearer_for: Bearer, fields: dict[str, float], code: str
) -> None:
    response = Client().post(
        "/api/v1/workforce/erlang",
        fields,
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_erlang_missing_volume_is_a_422(agent: User, bearer_for: Bearer) -> None:
    response = Client().post(
        "/api/v1/workforce/erlang",
        {"aht": 180},
        content_type="application/json",
        headers=bearer_for(agent),
    )
    assert response.status_code == 422


@pytest.mark.usefixtures("before_the_week")
def test_schedule_in_cli_format_and_my_schedule_after_publishing(
    manager: User, agent: User, bearer_for: Bearer
) -> None:
    schedule = solved_schedule(manager)
    client = Client()
    response = client.get(f"/api/v1/workforce/schedules/{schedule.pk}", headers=bearer_for(manager))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["metrics"]["violations"] == []
    first = body["shifts"][0]
    assert set(first) == {"agent", "start", "end", "activities"}
    assert {activity["type"] for activity in first["activities"]} == {"break", "meal"}
    assert first["start"].endswith("+08:00")
    assert (
        client.get(
            f"/api/v1/workforce/schedules/{schedule.pk}", headers=bearer_for(agent)
        ).status_code
        == 403
    )
    shift = ScheduledShift.objects.filter(schedule=schedule).select_related("agent").first()
    assert shift is not None
    mine = client.get("/api/v1/workforce/my-schedule", headers=bearer_for(shift.agent))
    assert mine.json() == {"shifts": []}
    published = client.post(
        f"/api/v1/workforce/schedules/{schedule.pk}/publish", headers=bearer_for(manager)
    )
    assert published.json() == {"id": schedule.pk, "status": "published"}
    mine = client.get("/api/v1/workforce/my-schedule", headers=bearer_for(shift.agent))
    count = ScheduledShift.objects.filter(schedule=schedule, agent=shift.agent).count()
    assert len(mine.json()["shifts"]) == count
    assert {item["agent"] for item in mine.json()["shifts"]} == {shift.agent.username}


def test_unknown_schedule_is_404(manager: User, bearer_for: Bearer) -> None:
    response = Client().get("/api/v1/workforce/schedules/999", headers=bearer_for(manager))
    assert response.status_code == 404
