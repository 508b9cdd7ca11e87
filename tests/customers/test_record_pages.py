"""Create and edit pages for organisations and contacts: the services' (and the CSV
import's) rules, refusals on the field in the user's language, nothing typed lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation
from tests.core.factories import make_staff
from tests.customers.builders import at, make_contact, make_organisation

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        yield


@pytest.fixture
def agent_en(db: None) -> User:
    return make_staff(username="agent.en", role=Role.AGENT, language="en")


@pytest.fixture
def lead_en(db: None) -> User:
    return make_staff(username="lead.en", role=Role.TEAM_LEAD, language="en")


def _contact_data(**extra: object) -> dict[str, object]:
    return {
        "organisation": "",
        "name": "陈静",
        "title": "行政主管",
        "phone": "139 1234 5678",
        "email": "chen.jing@example.com",
        "im_handle": "",
        "id_number": "",
        "language": "zh-hans",
        "preferred_channels": ["phone", "email"],
        "quiet_hours": "22:00-08:00",
        **extra,
    }


def test_agent_creates_an_organisation(client_for: ClientFor, agent_en: User) -> None:
    response = client_for(agent_en).post(
        reverse("customers:organisation_new"),
        {"name": "华东物业", "tier": "key", "region": "上海", "tags": "vip，二期"},
    )

    organisation = Organisation.objects.get(name="华东物业")
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:organisation", args=[organisation.pk])
    assert (organisation.tier, organisation.tags) == ("key", ["vip", "二期"])
    assert AuditEntry.objects.filter(action="organisation.created").count() == 1


def test_a_duplicate_organisation_name_is_shown_on_the_name_and_keeps_the_form(
    client_for: ClientFor, agent_en: User
) -> None:
    make_organisation(name="华东物业")

    response = client_for(agent_en).post(
        reverse("customers:organisation_new"),
        {"name": "华东物业", "tier": "standard", "notes": "新签约客户，月底前上线"},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "An organisation with this name already exists." in page
    assert "新签约客户，月底前上线" in page
    assert Organisation.objects.count() == 1


def test_editing_an_organisation_changes_only_what_changed(
    client_for: ClientFor, agent_en: User
) -> None:
    organisation = make_organisation(name="华东物业", industry="物业")

    response = client_for(agent_en).post(
        reverse("customers:organisation_edit", args=[organisation.pk]),
        {"name": "华东物业", "tier": "strategic", "industry": "物业"},
    )

    organisation.refresh_from_db()
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert response.status_code == 302
    assert organisation.tier == "strategic"
    assert entry.after == {"tier": "strategic"}


def test_contact_create_with_a_bad_phone_shows_the_error_on_the_phone_field(
    client_for: ClientFor, agent_en: User
) -> None:
    response = client_for(agent_en).post(
        reverse("customers:contact_new"), _contact_data(phone="12ab")
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert (
        "A phone number holds digits, spaces, dashes and brackets, "
        "with + or 00 only in front of a country code."
    ) in page
    assert 'value="chen.jing@example.com"' in page
    assert 'value="行政主管"' in page
    assert not Contact.objects.exists()


def test_organisation_create_with_a_bad_tag_shows_the_error(
    client_for: ClientFor, agent_en: User
) -> None:
    response = client_for(agent_en).post(
        reverse("customers:organisation_new"),
        {"name": "东方电子", "tier": "standard", "tags": "x" * 41},
    )

    assert response.status_code == 422
    assert "A tag is at most 40 characters" in response.content.decode()


def test_contact_create_is_normalised_as_the_import_does(
    client_for: ClientFor, agent_en: User
) -> None:
    organisation = make_organisation(name="华东物业")

    response = client_for(agent_en).post(
        reverse("customers:contact_new"),
        _contact_data(organisation=str(organisation.pk), email="Chen.Jing@Example.com"),
    )

    contact = Contact.objects.get(name="陈静")
    assert response.status_code == 302
    assert (contact.phone, contact.email) == ("+8613912345678", "chen.jing@example.com")
    assert contact.organisation == organisation
    assert contact.preferred_channels == ["phone", "email"]
    assert f"{contact.quiet_hours_start:%H:%M}-{contact.quiet_hours_end:%H:%M}" == "22:00-08:00"


def test_bad_quiet_hours_are_shown_on_the_field(client_for: ClientFor, agent_en: User) -> None:
    response = client_for(agent_en).post(
        reverse("customers:contact_new"), _contact_data(quiet_hours="22点到8点")
    )

    assert response.status_code == 422
    assert "Write quiet hours as HH:MM-HH:MM" in response.content.decode()


def test_chinese_user_reads_the_phone_refusal_in_chinese_structure(
    client_for: ClientFor, db: None
) -> None:
    user = make_staff(username="agent.zh", role=Role.AGENT, language="zh-hans")

    response = client_for(user).post(reverse("customers:contact_new"), _contact_data(phone="1"))

    page = response.content.decode()
    assert response.status_code == 422
    assert 'class="field-error" role="alert"' in page
    assert 'lang="zh-hans"' in page


def test_agent_edits_a_contact_without_seeing_the_full_phone(
    client_for: ClientFor, agent_en: User
) -> None:
    contact = make_contact(name="王芳", phone="13812345678", email="wang@example.com")
    client = client_for(agent_en)

    form = client.get(reverse("customers:contact_edit", args=[contact.pk])).content.decode()
    response = client.post(
        reverse("customers:contact_edit", args=[contact.pk]),
        _contact_data(name="王芳", phone="", email="", title="财务", is_active="on"),
    )

    contact.refresh_from_db()
    assert "13812345678" not in form
    assert "138****5678" in form
    assert response.status_code == 302
    assert (contact.phone, contact.email, contact.title) == (
        "13812345678",
        "wang@example.com",
        "财务",
    )


def test_lead_sees_and_changes_the_full_phone(client_for: ClientFor, lead_en: User) -> None:
    contact = make_contact(name="王芳", phone="13812345678")
    client = client_for(lead_en)

    form = client.get(reverse("customers:contact_edit", args=[contact.pk])).content.decode()
    client.post(
        reverse("customers:contact_edit", args=[contact.pk]),
        _contact_data(name="王芳", phone="13900001111", email="", is_active="on"),
    )

    contact.refresh_from_db()
    assert 'value="138 1234 5678"' in form
    assert contact.phone == "+8613900001111"
    assert "13900001111" not in str(AuditEntry.objects.get(action="contact.updated").after)


def test_contact_page_links_to_a_new_case_and_the_edit_page(
    client_for: ClientFor, agent_en: User
) -> None:
    contact = make_contact(name="王芳")

    page = (
        client_for(agent_en).get(reverse("customers:contact", args=[contact.pk])).content.decode()
    )

    assert f"{reverse('cases:new')}?contact={contact.pk}" in page
    assert reverse("customers:contact_edit", args=[contact.pk]) in page


def test_qa_inspector_cannot_create_a_contact(client_for: ClientFor, db: None) -> None:
    inspector = make_staff(username="qa.en", role=Role.QA_INSPECTOR, language="en")

    response = client_for(inspector).post(reverse("customers:contact_new"), _contact_data())

    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_qa_inspector_is_not_offered_create_or_edit_links(client_for: ClientFor, db: None) -> None:
    inspector = make_staff(username="qa.en", role=Role.QA_INSPECTOR, language="en")
    contact = make_contact(name="王芳", organisation=make_organisation(name="华东物业"))
    client = client_for(inspector)

    pages = [
        client.get(reverse("customers:contact_list")).content.decode(),
        client.get(reverse("customers:contact", args=[contact.pk])).content.decode(),
        client.get(
            reverse("customers:organisation", args=[contact.organisation_id])
        ).content.decode(),
    ]

    for page in pages:
        assert reverse("customers:contact_new") not in page
        assert reverse("cases:new") not in page
        assert "/edit/" not in page
