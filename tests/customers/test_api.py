"""The customers API: permission matrix, strict inputs, masked outputs, CSV upload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.core.models import AuditEntry, User
from kefu.customers import csv_io
from kefu.customers.models import Contact, Organisation, Project
from tests.customers.builders import at, make_case, make_contact, make_organisation, make_project

pytestmark = pytest.mark.django_db

BearerFor = Callable[[User], dict[str, str]]
PHONE = "13812345678"
ID_NUMBER = "110101199003071234"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/organisations"),
        ("get", "/api/v1/contacts"),
        ("get", "/api/v1/projects"),
        ("post", "/api/v1/contacts/1/reveal"),
        ("get", "/api/v1/customers/export"),
        ("post", "/api/v1/customers/import"),
    ],
)
def test_anonymous_is_401(client: Client, method: str, path: str) -> None:
    response = getattr(client, method)(path)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("role_fixture", "status"), [("agent", 403), ("lead", 200)])
def test_reveal_permission_matrix(
    client: Client,
    bearer_for: BearerFor,
    request: pytest.FixtureRequest,
    role_fixture: str,
    status: int,
) -> None:
    user: User = request.getfixturevalue(role_fixture)
    contact = make_contact(phone=PHONE, id_number=ID_NUMBER)

    response = client.post(
        f"/api/v1/contacts/{contact.pk}/reveal",
        data={},
        content_type="application/json",
        headers=bearer_for(user),
    )

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "not_allowed"
        assert not AuditEntry.objects.filter(action="contact.pii_revealed").exists()
    else:
        assert response.json() == {"id": contact.pk, "phone": PHONE, "id_number": ID_NUMBER}
        assert AuditEntry.objects.get(action="contact.pii_revealed").actor == user


def test_reveal_of_one_field_returns_only_that_field(
    client: Client, lead: User, bearer_for: BearerFor
) -> None:
    contact = make_contact(phone=PHONE, id_number=ID_NUMBER)

    response = client.post(
        f"/api/v1/contacts/{contact.pk}/reveal",
        data={"fields": ["phone"]},
        content_type="application/json",
        headers=bearer_for(lead),
    )

    assert response.json() == {"id": contact.pk, "phone": PHONE, "id_number": None}


def test_lists_are_paginated_and_masked(client: Client, agent: User, bearer_for: BearerFor) -> None:
    organisation = make_organisation(name="华东物业", tier="key")
    make_contact(organisation=organisation, phone=PHONE, id_number=ID_NUMBER)

    organisations = client.get(
        "/api/v1/organisations", {"tier": "key", "limit": "10"}, headers=bearer_for(agent)
    ).json()
    contacts = client.get("/api/v1/contacts", {"q": "华东"}, headers=bearer_for(agent)).json()

    assert organisations["count"] == 1
    assert organisations["items"][0]["contact_count"] == 1
    assert contacts["count"] == 1
    item = contacts["items"][0]
    assert item["phone_masked"] == "138****5678"
    assert item["id_number_masked"] == "110***********1234"
    assert item["organisation_name"] == "华东物业"
    assert "phone" not in item
    assert "id_number" not in item


def test_organisation_detail_lists_masked_contacts_and_projects(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    organisation = make_organisation(name="华东物业")
    make_contact(organisation=organisation, phone=PHONE)
    make_project(organisation=organisation, name="外立面翻新")

    body = client.get(f"/api/v1/organisations/{organisation.pk}", headers=bearer_for(agent)).json()

    assert body["contacts"][0]["phone_masked"] == "138****5678"
    assert body["projects"][0]["name"] == "外立面翻新"
    assert PHONE not in str(body)


def test_agent_creates_and_patches_a_contact(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    organisation = make_organisation()
    headers = bearer_for(agent)

    created = client.post(
        "/api/v1/contacts",
        data={
            "organisation_id": organisation.pk,
            "name": "王芳",
            "phone": PHONE,
            "preferred_channels": ["phone", "email"],
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "08:00",
        },
        content_type="application/json",
        headers=headers,
    )
    contact_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/contacts/{contact_id}",
        data={"title": "项目经理", "quiet_hours_start": None, "quiet_hours_end": None},
        content_type="application/json",
        headers=headers,
    )

    contact = Contact.objects.get(pk=contact_id)
    assert created.status_code == 201
    assert created.json()["phone_masked"] == "138****5678"
    assert patched.status_code == 200
    assert contact.title == "项目经理"
    assert contact.quiet_hours_start is None
    assert contact.phone == "+86" + PHONE


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/organisations", {"name": "华东物业", "colour": "red"}),
        ("patch", "/api/v1/organisations/{org}", {"owner": "me"}),
        ("post", "/api/v1/contacts", {"name": "王芳", "mobile": PHONE}),
        ("post", "/api/v1/projects", {"organisation_id": 1, "name": "x", "budget": 1}),
        ("post", "/api/v1/contacts/{contact}/reveal", {"fields": ["email"]}),
    ],
)
def test_unknown_fields_and_values_are_422(
    client: Client,
    lead: User,
    bearer_for: BearerFor,
    method: str,
    path: str,
    body: dict[str, object],
) -> None:
    organisation = make_organisation()
    contact = make_contact(organisation=organisation)

    response = getattr(client, method)(
        path.format(org=organisation.pk, contact=contact.pk),
        data=body,
        content_type="application/json",
        headers=bearer_for(lead),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert PHONE not in response.content.decode()


def test_domain_validation_error_carries_its_code(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = client.post(
        "/api/v1/contacts",
        data={"name": "王芳", "preferred_channels": ["fax"]},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_channel"
    assert not Contact.objects.exists()


def test_project_status_patch_is_audited(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    project = make_project(organisation=make_organisation())

    response = client.patch(
        f"/api/v1/projects/{project.pk}",
        data={"status": "stopped"},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert response.status_code == 200
    assert response.json()["status"] == "stopped"
    assert AuditEntry.objects.filter(action="project.status_changed").exists()


def test_project_create_and_list(client: Client, agent: User, bearer_for: BearerFor) -> None:
    organisation = make_organisation(name="华东物业")
    headers = bearer_for(agent)

    created = client.post(
        "/api/v1/projects",
        data={"organisation_id": organisation.pk, "name": "外立面翻新", "status": "planned"},
        content_type="application/json",
        headers=headers,
    )
    listed = client.get(
        "/api/v1/projects", {"organisation_id": organisation.pk}, headers=headers
    ).json()

    assert created.status_code == 201
    assert created.json()["organisation_name"] == "华东物业"
    assert listed["count"] == 1
    assert Project.objects.get().status == "planned"


def test_organisation_create_patch_and_unknown_id(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    headers = bearer_for(agent)

    created = client.post(
        "/api/v1/organisations",
        data={"name": "华东物业", "tier": "key"},
        content_type="application/json",
        headers=headers,
    )
    organisation_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/organisations/{organisation_id}",
        data={"notes": "只接受邮件通知"},
        content_type="application/json",
        headers=headers,
    )
    missing = client.get("/api/v1/organisations/99999", headers=headers)

    assert created.status_code == 201
    assert patched.json()["notes"] == "只接受邮件通知"
    assert Organisation.objects.get().tier == "key"
    assert missing.status_code == 404
    assert missing.json()["code"] == "organisation_not_found"


def test_timeline_endpoints_list_newest_first(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    organisation = make_organisation()
    contact = make_contact(organisation=organisation)
    make_case(contact=contact, created_at=at("2026-02-01 09:00"), subject="旧工单")
    make_case(contact=contact, created_at=at("2026-02-03 09:00"), subject="新工单")
    headers = bearer_for(agent)

    by_organisation = client.get(
        f"/api/v1/organisations/{organisation.pk}/timeline", headers=headers
    ).json()
    by_contact = client.get(f"/api/v1/contacts/{contact.pk}/timeline", headers=headers).json()

    assert [item["kind"] for item in by_organisation] == ["case_opened", "case_opened"]
    assert "新工单" in by_organisation[0]["title"]
    assert by_contact == by_organisation


def _upload(text: str) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile("customers.csv", text.encode("utf-8"), "text/csv")}


def test_csv_import_errors_are_422_with_every_line(
    client: Client, lead: User, bearer_for: BearerFor
) -> None:
    text = "\r\n".join(
        [",".join(csv_io.COLUMNS), "华东物业,gold,王芳,,,,,,,", "东方,,李强,,1,,,,,"]
    )

    response = client.post("/api/v1/customers/import", _upload(text), headers=bearer_for(lead))

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid_csv"
    assert body["message"]
    assert [error["line"] for error in body["errors"]] == [2, 3]
    assert all(error["reason"] for error in body["errors"])
    assert not Organisation.objects.exists()


def test_csv_import_returns_counts(client: Client, lead: User, bearer_for: BearerFor) -> None:
    text = "\r\n".join([",".join(csv_io.COLUMNS), "华东物业,key,王芳,,13812345678,,,,,"])

    response = client.post("/api/v1/customers/import", _upload(text), headers=bearer_for(lead))

    assert response.status_code == 200
    assert response.json()["contacts_created"] == 1


def test_csv_import_is_refused_to_agents(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    text = "\r\n".join([",".join(csv_io.COLUMNS), "华东物业,,,,,,,,,"])

    response = client.post("/api/v1/customers/import", _upload(text), headers=bearer_for(agent))

    assert response.status_code == 403
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("role_fixture", "full"), [("agent", False), ("lead", True)])
def test_csv_export_masks_phones_unless_the_role_may_reveal(
    client: Client,
    bearer_for: BearerFor,
    request: pytest.FixtureRequest,
    role_fixture: str,
    full: bool,
) -> None:
    user: User = request.getfixturevalue(role_fixture)
    make_contact(organisation=make_organisation(), phone=PHONE)

    response = client.get("/api/v1/customers/export", headers=bearer_for(user))

    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (PHONE in text) is full
    assert AuditEntry.objects.filter(action="customers.exported_with_pii").exists() is full
