"""Server errors schemathesis found, each pinned: now a 4xx with ``{"code", "message"}``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.schemas import StrictInput

Bearer = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User], bearer_for: Bearer) -> dict[str, str]:
    return bearer_for(make_user(Role.ADMINISTRATOR, username="reg.admin"))


@pytest.mark.parametrize(
    "query", ["limit=12252538902235860057456640", "offset=4404186361000000000000", "limit=1001"]
)
def test_huge_page_bounds_are_a_422_not_an_overflow(query: str, admin: dict[str, str]) -> None:
    for path in ("/api/v1/audit", "/api/v1/contacts", "/api/v1/organisations", "/api/v1/users"):
        response = Client().get(f"{path}?{query}", headers=admin)
        assert response.status_code == 422, path
        assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "a\x00b", "filters": {}},  # PostgreSQL refuses NUL in text
        {"name": "view", "filters": {"q\x00": "x"}},  # ... and in JSON keys
    ],
)
def test_nul_characters_are_refused(payload: dict[str, object], admin: dict[str, str]) -> None:
    response = Client().post(
        "/api/v1/saved-views", payload, content_type="application/json", headers=admin
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_integers_past_32_bits_are_refused(admin: dict[str, str]) -> None:
    payload = {"name": "p", "first_response_minutes": 60, "resolution_minutes": 10**17}
    response = Client().post(
        "/api/v1/sla-policies", payload, content_type="application/json", headers=admin
    )
    assert response.status_code == 422


def test_utc_offsets_past_fourteen_hours_are_refused(admin: dict[str, str]) -> None:
    call = {"queue": "hotline", "arrived_at": "2026-11-03T17:26:17+20:30"}
    response = Client().post(
        "/api/v1/floor/calls", {"calls": [call]}, content_type="application/json", headers=admin
    )
    assert response.status_code == 422


def test_strict_input_checks_nested_values() -> None:
    class Sample(StrictInput):
        tags: list[str]
        counts: dict[str, int]

    Sample(tags=["a"], counts={"a": 2**31 - 1})
    with pytest.raises(ValueError, match="NUL"):
        Sample(tags=["a\x00"], counts={})
    with pytest.raises(ValueError, match="integers"):
        Sample(tags=[], counts={"a": 2**31})
