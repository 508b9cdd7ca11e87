"""PII that stays masked: no search oracle, emails masked for agents, exports without PII.

Issue 23, weakness 6: contact search inside phone digits recovered a masked
number in about 22 searches; email addresses were never masked; any agent's
export carried every address.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.models import AuditEntry, User
from kefu.customers import services
from kefu.customers.models import Contact
from tests.customers.builders import at, make_contact, make_organisation

Bearer = Callable[[User], dict[str, str]]
ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db

PHONE = "13812345678"
EMAIL = "wang.fang@huadong.cn"
NOW = at("2026-11-23 10:00")


def _recover(search: Callable[[str], bool], masked: str) -> tuple[str | None, int]:
    """The digit-search oracle: from "138****5678", guess each hidden digit in turn by
    searching for the known head plus one digit. Returns (number or None, searches)."""
    head, tail = masked.split("*", 1)[0], masked.rsplit("*", 1)[-1]
    hidden = masked.count("*")
    searches = 0
    for _position in range(hidden):
        for digit in "0123456789":
            searches += 1
            if search(head + digit):
                head += digit
                break
        else:
            return None, searches
    return head + tail, searches


def _api_search(client: Client, headers: dict[str, str], contact: Contact) -> Callable[[str], bool]:
    def search(query: str) -> bool:
        response = client.get("/api/v1/contacts", {"q": query}, headers=headers)
        assert response.status_code == 200
        return contact.pk in [item["id"] for item in response.json()["items"]]

    return search


def test_digit_search_oracle_no_longer_recovers_a_number_for_an_agent(
    client: Client, bearer_for: Bearer, agent: User, lead: User
) -> None:
    contact = make_contact(organisation=make_organisation(), name="王芳", phone=PHONE)
    make_contact(organisation=make_organisation(), name="李强", phone="13900001111")
    listed = client.get("/api/v1/contacts", headers=bearer_for(agent)).json()["items"]
    masked = next(item["phone_masked"] for item in listed if item["id"] == contact.pk)
    assert masked == "138****5678"

    by_agent = _recover(_api_search(client, bearer_for(agent), contact), masked)
    by_lead = _recover(_api_search(client, bearer_for(lead), contact), masked)

    assert by_agent == (None, 10)  # not one digit confirmed
    # The same oracle against a search inside numbers (leads may reveal anyway):
    # Hidden digits 1, 2, 3, 4 cost digit + 1 searches each (random digits: 22 on average).
    assert by_lead == (PHONE, 2 + 3 + 4 + 5)


def test_agent_finds_a_contact_by_the_whole_number_in_any_spelling(
    client: Client, bearer_for: Bearer, agent: User
) -> None:
    contact = make_contact(organisation=make_organisation(), phone="+86" + PHONE)
    search = _api_search(client, bearer_for(agent), contact)

    assert search("138 1234 5678")
    assert search("+86 138-1234-5678")
    assert search("0086" + PHONE)
    assert not search("1381234567")
    assert not search("38123456789")


def test_email_search_oracle_is_closed_for_an_agent(
    client: Client, bearer_for: Bearer, agent: User
) -> None:
    contact = make_contact(organisation=make_organisation(), email=EMAIL)
    search = _api_search(client, bearer_for(agent), contact)

    assert search(EMAIL)
    assert search("huadong")  # the domain, which the mask shows anyway
    assert not search("wang")
    assert not search("wang.f")
    assert not search("fang@huadong.cn")


def test_api_masks_emails_for_agents_but_not_for_who_may_reveal(
    client: Client, bearer_for: Bearer, agent: User, lead: User
) -> None:
    contact = make_contact(organisation=make_organisation(), email=EMAIL)
    url = f"/api/v1/contacts/{contact.pk}"

    for_agent = client.get(url, headers=bearer_for(agent)).json()
    for_lead = client.get(url, headers=bearer_for(lead)).json()
    listed = client.get("/api/v1/contacts", headers=bearer_for(agent)).json()["items"]

    assert for_agent["email"] == "w***@huadong.cn"
    assert [item["email"] for item in listed] == ["w***@huadong.cn"]
    assert for_lead["email"] == EMAIL


@pytest.mark.parametrize(
    "url_name", ["customers:contact_list", "customers:organisation", "customers:contact"]
)
def test_pages_mask_emails_for_agents_but_not_for_who_may_reveal(
    client_for: ClientFor, agent: User, lead: User, url_name: str
) -> None:
    organisation = make_organisation()
    contact = make_contact(organisation=organisation, email=EMAIL)
    args = {
        "customers:contact_list": [],
        "customers:organisation": [organisation.pk],
        "customers:contact": [contact.pk],
    }[url_name]

    for_agent = client_for(agent).get(reverse(url_name, args=args)).content.decode()
    for_lead = client_for(lead).get(reverse(url_name, args=args)).content.decode()

    assert EMAIL not in for_agent
    assert "w***@huadong.cn" in for_agent
    assert EMAIL in for_lead


def test_agent_export_masks_phones_and_emails_and_is_not_audited(agent: User) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone=PHONE, email=EMAIL)

    data = services.customers_export_csv(actor=agent, at=NOW).decode("utf-8-sig")

    assert PHONE not in data
    assert EMAIL not in data
    assert "138****5678,w***@huadong.cn" in data
    assert not AuditEntry.objects.exists()


def test_agent_export_page_masks_emails(client_for: ClientFor, agent: User) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone=PHONE, email=EMAIL)

    response = client_for(agent).get(reverse("customers:export"))

    data = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert EMAIL not in data
    assert PHONE not in data


def test_lead_export_has_full_emails_and_is_audited_with_them(lead: User) -> None:
    make_contact(organisation=make_organisation(), phone=PHONE, email=EMAIL)

    data = services.customers_export_csv(actor=lead, at=NOW).decode("utf-8-sig")

    assert f"{PHONE},{EMAIL}" in data
    entry = AuditEntry.objects.get(action="customers.exported_with_pii")
    assert entry.after == {"rows": 1, "fields": ["phone", "email"]}


def test_a_masked_export_imported_again_keeps_the_stored_addresses(lead: User) -> None:
    contact = make_contact(
        organisation=make_organisation(name="华东物业"), name="王芳", phone=PHONE, email=EMAIL
    )
    data = services.customers_export_csv(actor=lead, masked=True, at=NOW)
    assert EMAIL not in data.decode("utf-8-sig")

    result = services.customers_import_csv(actor=lead, data=data, at=NOW)

    contact.refresh_from_db()
    assert (contact.phone, contact.email) == (PHONE, EMAIL)
    assert result.contacts_unchanged == 1
    assert Contact.objects.count() == 1
