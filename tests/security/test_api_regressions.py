"""Server errors schemathesis found, each pinned: now a 4xx with ``{"code", "message"}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.models import SlaPolicy
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.schemas import StrictInput
from kefu.customers import csv_io
from kefu.customers.models import Organisation
from kefu.openapi import ANSWERS, OPEN_TO_STAFF, operation_keys
from tests.cases.builders import open_case

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


# --- Round two (issue 23): the four causes of 500 on PostgreSQL, and the document. ---


def _case_json(case_id: int, admin: dict[str, str]) -> dict[str, object]:
    response = Client().get(f"/api/v1/cases/{case_id}", headers=admin)
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("field", ["subject", "priority", "category", "tags", "is_confidential"])
def test_case_patch_refuses_an_explicit_null_naming_the_field(
    field: str, admin: dict[str, str]
) -> None:
    case = open_case(when="2026-03-02 10:00")
    before = _case_json(case.pk, admin)

    response = Client().patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, field: None},
        content_type="application/json",
        headers=admin,
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [item["loc"] for item in body["details"]] == [["body", "payload", field]]
    assert f"{field} may not be null" in body["details"][0]["msg"]
    assert _case_json(case.pk, admin) == before


def test_case_patch_still_changes_a_field_sent_with_a_value(admin: dict[str, str]) -> None:
    case = open_case(when="2026-03-02 10:00")
    response = Client().patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "subject": "新标题"},
        content_type="application/json",
        headers=admin,
    )
    assert response.status_code == 200
    assert response.json()["subject"] == "新标题"


def _candidate(admin: dict[str, str]) -> int:
    response = Client().post(
        "/api/v1/people/candidates",
        {"name": "周敏", "expected_pay": 6000},
        content_type="application/json",
        headers=admin,
    )
    assert response.status_code == 201
    candidate_id: int = response.json()["id"]
    return candidate_id


@pytest.mark.parametrize("field", ["name", "email", "phone", "self_introduction", "national_id"])
def test_candidate_patch_refuses_an_explicit_null_naming_the_field(
    field: str, admin: dict[str, str]
) -> None:
    candidate_id = _candidate(admin)
    response = Client().patch(
        f"/api/v1/people/candidates/{candidate_id}",
        {field: None},
        content_type="application/json",
        headers=admin,
    )
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["details"]] == [["body", "payload", field]]
    detail = Client().get(f"/api/v1/people/candidates/{candidate_id}", headers=admin).json()
    assert detail["name"] == "周敏"


def test_candidate_patch_null_clears_the_expected_pay(admin: dict[str, str]) -> None:
    candidate_id = _candidate(admin)
    response = Client().patch(
        f"/api/v1/people/candidates/{candidate_id}",
        {"expected_pay": None},
        content_type="application/json",
        headers=admin,
    )
    assert response.status_code == 200
    assert response.json()["expected_pay"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/commitments/kept-rates?by=owner%00",  # a plain str argument
        "/api/v1/people/candidates?stage=%00",
        "/api/v1/cases?q=%00",  # a StrictInput query schema
        "/api/v1/cases?x%00=1",  # ... and in a parameter's name
    ],
)
def test_nul_in_a_query_parameter_is_a_422(path: str, admin: dict[str, str]) -> None:
    response = Client().get(path, headers=admin)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["details"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "c" * 17), ("category", "c" * 40), ("priority", "p" * 17), ("tier", "gold")],
)
def test_sla_policy_choices_are_checked_before_the_database(
    field: str, value: str, admin: dict[str, str]
) -> None:
    payload = {"name": "p", "first_response_minutes": 60, "resolution_minutes": 600, field: value}
    response = Client().post(
        "/api/v1/sla-policies", payload, content_type="application/json", headers=admin
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "payload", field]
    assert not SlaPolicy.objects.filter(name="p").exists()


def test_sla_policy_with_known_choices_is_saved(admin: dict[str, str]) -> None:
    payload = {
        "name": "urgent emergencies",
        "priority": "urgent",
        "category": "requirement_change",  # 18 characters: within the column's 32
        "tier": "strategic",
        "first_response_minutes": 15,
        "resolution_minutes": 240,
    }
    response = Client().post(
        "/api/v1/sla-policies", payload, content_type="application/json", headers=admin
    )
    assert response.status_code == 201
    assert SlaPolicy.objects.get(name="urgent emergencies").category == "requirement_change"


def _customers_csv(*rows: str) -> dict[str, SimpleUploadedFile]:
    text = "\r\n".join([",".join(csv_io.COLUMNS), *rows]) + "\r\n"
    return {"file": SimpleUploadedFile("customers.csv", text.encode("utf-8"), "text/csv")}


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("x" * 1_000_000, "longer than 1000 characters"),  # past Python's reader limit
        ("x" * 5_000, "longer than 1000 characters"),
        ("王\x00芳", "NUL character"),
    ],
)
def test_customer_csv_with_a_huge_cell_or_nul_names_the_line(
    cell: str, reason: str, make_user: Callable[..., User], bearer_for: Bearer
) -> None:
    upload = _customers_csv("华东物业,standard,李强,,,,,,,", f"东方,standard,{cell},,,,,,,")
    english = make_user(Role.ADMINISTRATOR, username="reg.admin.en")
    english.language = "en"  # the API answers in the user's saved language
    english.save(update_fields=["language"])
    response = Client().post("/api/v1/customers/import", upload, headers=bearer_for(english))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_csv"
    assert [error["line"] for error in body["errors"]] == [3]
    assert reason in body["errors"][0]["reason"]
    assert not Organisation.objects.exists()


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _codes(document: dict[str, Any], key: str) -> set[str]:
    method, path = key.split(" ", 1)
    return set(document["paths"][f"/api/v1{path}"][method.lower()]["responses"])


def test_the_document_lists_the_errors_each_operation_answers() -> None:
    document = _document()
    assert _codes(document, "GET /me") == {"200", "401"}  # no role check
    assert _codes(document, "PATCH /cases/{case_id}") == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "422",
    }
    assert _codes(document, "POST /channels/chat/messages") >= {"401", "422"}
    assert "403" not in _codes(document, "POST /channels/chat/messages")  # a signature, no role
    error = document["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]["404"]
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert document["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    # An import's own 422 (its line errors) or the schema's: either shape.
    own = document["paths"]["/api/v1/customers/import"]["post"]["responses"]["422"]
    assert len(own["content"]["application/json"]["schema"]["anyOf"]) == 2


def test_every_operation_named_in_the_error_tables_exists() -> None:
    keys = operation_keys(_document(), prefix="/api/v1")
    assert set(ANSWERS) - keys == set()
    assert set(OPEN_TO_STAFF) - keys == set()


def test_the_document_declares_the_bounds_the_api_enforces() -> None:
    document = _document()
    schemas = document["components"]["schemas"]
    assert schemas["CasePatchIn"]["properties"]["version"]["maximum"] == 2**31 - 1
    assert "anyOf" not in schemas["CasePatchIn"]["properties"]["subject"]  # null refused
    pay = schemas["CandidatePatch"]["properties"]["expected_pay"]["anyOf"]
    assert {"type": "null"} in pay  # null clears it
    limits = {
        parameter["name"]: parameter["schema"]
        for parameter in document["paths"]["/api/v1/cases"]["get"]["parameters"]
    }
    assert (limits["limit"]["minimum"], limits["limit"]["maximum"]) == (1, 1000)
    assert (limits["offset"]["minimum"], limits["offset"]["maximum"]) == (0, 10**9)


def test_intraday_before_1970_is_refused_not_answered_in_local_mean_time(
    admin: dict[str, str],
) -> None:
    # Shanghai kept +08:05:43 before 1901: the answer's times were no ISO 8601.
    response = Client().get("/api/v1/floor/intraday?day=0198-09-13", headers=admin)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["query", "day"]
    assert Client().get("/api/v1/floor/intraday?day=2026-03-02", headers=admin).status_code == 200


def test_a_phone_call_for_an_unknown_case_is_a_documented_404(admin: dict[str, str]) -> None:
    """Once the document showed the phone channel's own body (it showed the floor's
    queue call under the same name), the fuzzer reached the case lookup: 404, documented."""
    payload = {
        "case": "KF-0000-000000",
        "direction": "in",
        "from_number": "13800138000",
        "to_number": "4008123123",
        "started_at": "2026-03-10T10:00:00+08:00",
        "duration_seconds": 60,
    }
    response = Client().post(
        "/api/v1/channels/phone/calls", payload, content_type="application/json", headers=admin
    )
    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"
    document = Client().get("/api/v1/openapi.json").json()
    assert "404" in document["paths"]["/api/v1/channels/phone/calls"]["post"]["responses"]
