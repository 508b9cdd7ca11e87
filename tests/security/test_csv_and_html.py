"""CSV formula injection defused in every export; HTML and template syntax typed into
free text rendered as text on the pages that show it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core import csv_safe
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.customers.models import Contact
from kefu.workforce import csv_io as workforce_csv
from tests.cases.builders import make_contact, open_case

Bearer = Callable[[User], dict[str, str]]
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_guard_prefixes_every_formula_start(cell: str) -> None:
    assert csv_safe.guard(cell) == "'" + cell
    assert csv_safe.unguard("'" + cell) == cell


def test_guard_keeps_numbers_and_plain_text() -> None:
    assert csv_safe.guard(-20) == -20
    assert csv_safe.guard("-20.00", keep_numbers=True) == "-20.00"
    assert csv_safe.guard("-20.00") == "'-20.00"
    assert csv_safe.guard("-2+3", keep_numbers=True) == "'-2+3"
    assert csv_safe.guard("张三") == "张三"


def test_workforce_exports_defuse_names() -> None:
    text = workforce_csv.write_rows(("agent", "required"), [("=cmd|' /C calc'!A0", 3), ("王", -1)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "3"]
    assert rows[2] == ["王", "-1"]


@pytest.mark.django_db
def test_customer_export_defuses_formulas(lead: User, bearer_for: Bearer) -> None:
    make_contact(name='=HYPERLINK("http://evil")', phone="13800000001")
    data = Client().get("/api/v1/customers/export", headers=bearer_for(lead)).content
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    assert "\n=HYPERLINK" not in data.decode("utf-8-sig")


@pytest.mark.django_db
def test_quality_insights_csv_is_guarded(lead: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(lead).get(reverse("quality:insights_csv"))
    assert response.status_code == 200
    for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "@", "\t", "\r")) or cell.startswith("'")


def _escaped(page: str) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "49" not in page.split(TEMPLATE)[0][-5:]  # {{7*7}} shown as typed, not evaluated
    assert TEMPLATE in page


@pytest.mark.django_db
def test_case_texts_are_escaped_on_the_case_and_queue_pages(
    lead: User, bearer_for: Bearer, client_for: Callable[[User], Client]
) -> None:
    contact = make_contact(name=HOSTILE + TEMPLATE)
    case = open_case(
        when="2026-11-16 09:00",
        contact=contact,
        subject=HOSTILE + TEMPLATE,
        body=HOSTILE + TEMPLATE,
        owner=lead,
    )
    headers = bearer_for(lead)
    for kind in ("notes", "replies"):
        response = Client().post(
            f"/api/v1/cases/{case.pk}/{kind}",
            {"body": HOSTILE + TEMPLATE},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code in (200, 201), response.content
    client = client_for(lead)
    _escaped(client.get(reverse("cases:case", args=[case.pk])).content.decode())
    _escaped(client.get(reverse("cases:queue")).content.decode())


@pytest.mark.django_db
def test_customer_texts_are_escaped(
    lead: User, bearer_for: Bearer, client_for: Callable[[User], Client]
) -> None:
    headers = bearer_for(lead)
    org = Client().post(
        "/api/v1/organisations",
        {"name": HOSTILE + TEMPLATE, "notes": HOSTILE + TEMPLATE},
        content_type="application/json",
        headers=headers,
    )
    assert org.status_code in (200, 201), org.content
    organisation_id = org.json()["id"]
    contact = Client().post(
        "/api/v1/contacts",
        {"organisation_id": organisation_id, "name": HOSTILE + TEMPLATE, "phone": "13800000002"},
        content_type="application/json",
        headers=headers,
    )
    assert contact.status_code in (200, 201), contact.content
    client = client_for(lead)
    _escaped(client.get(reverse("customers:organisation", args=[organisation_id])).content.decode())
    _escaped(client.get(reverse("customers:organisation_list")).content.decode())
    contact_id = Contact.objects.get(name=HOSTILE + TEMPLATE).pk
    _escaped(client.get(reverse("customers:contact", args=[contact_id])).content.decode())


@pytest.mark.django_db
def test_floor_and_incident_texts_are_escaped(
    make_user: Callable[..., User], bearer_for: Bearer, client_for: Callable[[User], Client]
) -> None:
    manager = make_user(Role.DEPARTMENT_MANAGER, username="x.mgr")
    headers = bearer_for(manager)
    candidate = Client().post(
        "/api/v1/people/candidates",
        {"name": HOSTILE + TEMPLATE, "expected_pay": 6000},
        content_type="application/json",
        headers=headers,
    )
    assert candidate.status_code in (200, 201), candidate.content
    incident = Client().post(
        "/api/v1/incidents",
        {
            "title": HOSTILE + TEMPLATE,
            "kind": "client_funding",
            "cause": HOSTILE + TEMPLATE,
            "next_steps": HOSTILE + TEMPLATE,
            "started_at": "2026-11-16T09:00:00+08:00",
            "expected_from": "2026-12-01",
        },
        content_type="application/json",
        headers=headers,
    )
    client = client_for(manager)
    _escaped(client.get(reverse("floor:candidate", args=[candidate.json()["id"]])).content.decode())
    _escaped(client.get(reverse("floor:candidates")).content.decode())
    if incident.status_code in (200, 201):
        _escaped(
            client.get(reverse("incidents:incident", args=[incident.json()["id"]])).content.decode()
        )
        _escaped(client.get(reverse("incidents:index")).content.decode())
