"""The API: bearer tokens stored hashed, JSON errors with a code, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kefu.core.models import ApiToken, AuditEntry, User

pytestmark = pytest.mark.django_db

BearerFor = Callable[[User], dict[str, str]]


def test_openapi_document_is_served(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/me" in response.json()["paths"]


def test_cli_prints_a_token_once_and_stores_only_its_hash(client: Client, agent: User) -> None:
    out = StringIO()

    call_command("api_token", "create", "--user", agent.username, stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=agent)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert secret.startswith("kefu_")
    assert secret not in token.digest
    assert len(token.digest) == 64
    assert response.status_code == 200
    assert response.json()["username"] == agent.username
    assert AuditEntry.objects.filter(action="api_token.created").exists()


def test_cli_names_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "create", "--user", "nobody")


@pytest.mark.parametrize("header", ["", "Bearer nope", "Bearer kefu_abcd1234_wrong", "Basic x"])
def test_missing_or_wrong_token_is_401_with_a_code(client: Client, header: str) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/api/v1/me", **extra)  # type: ignore[arg-type]

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoked_or_inactive_owner_token_stops_working(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    headers = bearer_for(agent)
    agent.is_active = False
    agent.save()

    response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401


def test_malformed_json_is_400_malformed_json(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = client.patch(
        "/api/v1/me", data="{not json", content_type="application/json", headers=bearer_for(agent)
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    "body",
    [{"language": "fr"}, {"language": 3}, {"language": "en", "colour": "red"}, {}],
)
def test_wrong_types_and_unknown_fields_are_422(
    client: Client, agent: User, bearer_for: BearerFor, body: dict[str, object]
) -> None:
    response = client.patch(
        "/api/v1/me", data=body, content_type="application/json", headers=bearer_for(agent)
    )

    agent.refresh_from_db()
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["details"]
    assert agent.language == "zh-hans"


def test_user_changes_language_through_the_api(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = client.patch(
        "/api/v1/me",
        data={"language": "en"},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    agent.refresh_from_db()
    assert response.status_code == 200
    assert agent.language == "en"


@pytest.mark.parametrize(
    ("role_fixture", "status"), [("agent", 403), ("lead", 403), ("manager", 200)]
)
def test_audit_api_permission_matrix(
    client: Client,
    bearer_for: BearerFor,
    request: pytest.FixtureRequest,
    role_fixture: str,
    status: int,
) -> None:
    user: User = request.getfixturevalue(role_fixture)

    response = client.get("/api/v1/audit", headers=bearer_for(user))

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "not_allowed"
    else:
        assert {"items", "count"} <= set(response.json())


def test_users_api_hidden_from_agents_visible_to_leads(
    client: Client, agent: User, lead: User, bearer_for: BearerFor
) -> None:
    assert client.get("/api/v1/users", headers=bearer_for(agent)).status_code == 403

    response = client.get("/api/v1/users", headers=bearer_for(lead))

    assert response.status_code == 200
    assert {row["username"] for row in response.json()["items"]} == {"agent.li", "lead.zhao"}


def test_calendar_due_api_knows_national_day(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = client.get(
        "/api/v1/calendar/due",
        {"start": "2026-09-30T16:00:00+08:00", "working_minutes": "960", "day": "09:00-18:00"},
        headers=bearer_for(agent),
    )

    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-10-09T14:00:00+08:00"


@pytest.mark.parametrize(
    "query",
    [
        {"start": "yesterday", "working_minutes": 60},
        {"start": "2026-09-30T16:00", "working_minutes": -5},
        {"start": "2026-09-30T16:00", "working_minutes": 60, "day": "18:00-09:00"},
        {"start": "2026-09-30T16:00", "working_minutes": 60, "region": "mars"},
    ],
)
def test_calendar_due_api_bad_input_is_4xx_with_a_code(
    client: Client, agent: User, bearer_for: BearerFor, query: dict[str, str | int]
) -> None:
    response = client.get("/api/v1/calendar/due", query, headers=bearer_for(agent))

    assert response.status_code in {400, 422}
    assert response.json()["code"] in {"invalid_input", "invalid_calendar"}
    assert response.json()["message"]


def test_unknown_api_path_is_json_404(client: Client, agent: User, bearer_for: BearerFor) -> None:
    response = client.get("/api/v1/nothing-here", headers=bearer_for(agent))

    assert response.status_code == 404
