"""Pages: lists with live filtering, detail pages with masked PII, reveal, CSV import."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kefu.core.models import AuditEntry, User
from kefu.core.roles import PERM_REFUSALS, Perm
from kefu.customers import csv_io
from kefu.customers.models import Contact, Organisation
from tests.customers.builders import make_contact, make_organisation, make_project

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
PHONE = "13812345678"
ID_NUMBER = "110101199003071234"


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("customers:organisation_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_organisation_list_shows_organisations_with_counts(
    client_for: ClientFor, agent: User
) -> None:
    organisation = make_organisation(name="华东物业", tier="key")
    make_contact(organisation=organisation)
    make_project(organisation=organisation)

    response = client_for(agent).get(reverse("customers:organisation_list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "华东物业" in page
    assert 'aria-current="page"' in page
    assert response.context["active"] == "customers"
    assert '<th scope="col">' in page
    assert "<caption" in page


def test_filter_by_tier_as_htmx_returns_only_the_matching_rows(
    client_for: ClientFor, agent: User
) -> None:
    make_organisation(name="华东物业", tier="key")
    make_organisation(name="东方电子", tier="standard")

    response = client_for(agent).get(
        reverse("customers:organisation_list"), {"tier": "key"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "<table>" in page
    assert "华东物业" in page
    assert "东方电子" not in page


def test_search_finds_an_organisation_by_a_contact_phone(
    client_for: ClientFor, agent: User, lead: User
) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone=PHONE)
    make_organisation(name="东方电子")

    def page(user: User, query: str) -> str:
        return (
            client_for(user)
            .get(reverse("customers:organisation_list"), {"q": query}, HTTP_HX_REQUEST="true")
            .content.decode()
        )

    whole = page(agent, PHONE)
    assert "华东物业" in whole
    assert "东方电子" not in whole
    assert "华东物业" not in page(agent, "5678")  # part of a number: only for who may reveal
    assert "华东物业" in page(lead, "5678")


def test_organisation_page_shows_masked_pii_without_reveal_for_agents(
    client_for: ClientFor, agent: User
) -> None:
    organisation = make_organisation(name="华东物业")
    make_contact(organisation=organisation, name="王芳", phone=PHONE, id_number=ID_NUMBER)
    make_project(organisation=organisation, name="外立面翻新")

    page = (
        client_for(agent)
        .get(reverse("customers:organisation", args=[organisation.pk]))
        .content.decode()
    )

    assert "王芳" in page
    assert "138****5678" in page
    assert "110***********1234" in page
    assert PHONE not in page
    assert ID_NUMBER not in page
    assert "外立面翻新" in page
    assert "/reveal/" not in page


def test_organisation_page_offers_reveal_to_leads(client_for: ClientFor, lead: User) -> None:
    organisation = make_organisation()
    contact = make_contact(organisation=organisation, phone=PHONE)

    page = (
        client_for(lead)
        .get(reverse("customers:organisation", args=[organisation.pk]))
        .content.decode()
    )

    assert f'hx-post="{reverse("customers:contact_reveal", args=[contact.pk])}"' in page
    assert PHONE not in page


def test_reveal_as_lead_swaps_in_the_full_value_and_is_audited(
    client_for: ClientFor, lead: User
) -> None:
    contact = make_contact(phone=PHONE)

    response = client_for(lead).post(
        reverse("customers:contact_reveal", args=[contact.pk]),
        {"field": "phone"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    # Shown as people read it, whatever the stored spelling.
    assert "138 1234 5678" in page
    assert f'id="pii-{contact.pk}-phone"' in page
    assert "<html" not in page
    entry = AuditEntry.objects.get(action="contact.pii_revealed")
    assert entry.actor == lead
    assert entry.after == {"fields": ["phone"]}


def test_reveal_without_htmx_shows_the_contact_page_with_the_value(
    client_for: ClientFor, lead: User
) -> None:
    contact = make_contact(id_number=ID_NUMBER)

    response = client_for(lead).post(
        reverse("customers:contact_reveal", args=[contact.pk]), {"field": "id_number"}
    )

    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert "<html" in response.content.decode()


def test_reveal_as_agent_is_refused_with_a_403_page(client_for: ClientFor, agent: User) -> None:
    contact = make_contact(phone=PHONE)

    response = client_for(agent).post(
        reverse("customers:contact_reveal", args=[contact.pk]), {"field": "phone"}
    )

    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    # In words, what the role cannot do (tests/core/test_perm_refusals.py); no code.
    assert "not_allowed" not in response.content.decode()
    with translation.override(agent.language):
        assert str(PERM_REFUSALS[Perm.REVEAL_PII]) in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_reveal_needs_post(client_for: ClientFor, lead: User) -> None:
    contact = make_contact(phone=PHONE)

    response = client_for(lead).get(reverse("customers:contact_reveal", args=[contact.pk]))

    assert response.status_code == 405


def test_contact_page_shows_masked_phone(client_for: ClientFor, agent: User) -> None:
    contact = make_contact(name="李强", phone=PHONE, channels=["phone", "email"])

    page = client_for(agent).get(reverse("customers:contact", args=[contact.pk])).content.decode()

    assert "李强" in page
    assert "138****5678" in page
    assert PHONE not in page


def test_unknown_organisation_is_404(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).get(reverse("customers:organisation", args=[999]))

    assert response.status_code == 404


def test_contact_list_filters_as_htmx(client_for: ClientFor, agent: User) -> None:
    make_contact(name="王芳", email="wang@huadong.cn")
    make_contact(name="李强")

    page = (
        client_for(agent)
        .get(reverse("customers:contact_list"), {"q": "huadong"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "王芳" in page
    assert "李强" not in page
    assert "<html" not in page


def _upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("customers.csv", text.encode(encoding), content_type="text/csv")


def test_import_page_lists_every_line_error_and_imports_nothing(
    client_for: ClientFor, lead: User
) -> None:
    text = "\r\n".join([",".join(csv_io.COLUMNS), "华东物业,gold,王芳,,,,,,,", ",,,,12ab,,,,,"])
    lead.language = "en"
    lead.save(update_fields=["language"])

    response = client_for(lead).post(reverse("customers:import"), {"file": _upload(text)})

    page = response.content.decode()
    assert response.status_code == 422
    assert "line 2:" in page
    assert "line 3:" in page
    assert not Organisation.objects.exists()


def test_import_page_shows_the_counts(client_for: ClientFor, lead: User) -> None:
    text = "\r\n".join([",".join(csv_io.COLUMNS), "华东物业,key,王芳,,13812345678,,,,,"])
    lead.language = "en"
    lead.save(update_fields=["language"])

    response = client_for(lead).post(reverse("customers:import"), {"file": _upload(text, "gbk")})

    assert response.status_code == 200
    assert "Contacts created: 1" in response.content.decode()
    assert Contact.objects.get().name == "王芳"


def test_import_page_is_refused_to_agents(client_for: ClientFor, agent: User) -> None:
    assert client_for(agent).get(reverse("customers:import")).status_code == 403


def test_export_link_downloads_csv_masked_for_agents(client_for: ClientFor, agent: User) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone=PHONE)

    response = client_for(agent).get(reverse("customers:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "138****5678" in response.content.decode("utf-8-sig")
