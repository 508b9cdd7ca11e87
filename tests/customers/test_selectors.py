"""Reads: search, filters, and a fixed number of queries whatever the list length."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from kefu.core.errors import NotFoundError, PermissionDeniedError
from kefu.core.models import User
from kefu.customers import selectors
from kefu.customers.models import Organisation
from tests.customers.builders import make_contact, make_organisation, make_project

pytestmark = pytest.mark.django_db


def _many(count: int) -> None:
    for n in range(count):
        organisation = make_organisation(name=f"客户{n:02d}", tier="key" if n % 2 else "standard")
        make_contact(organisation=organisation, name=f"联系人{n}", phone=f"1380000{n:04d}")
        make_contact(organisation=organisation, name=f"离职{n}", is_active=False)
        make_project(organisation=organisation)


@pytest.mark.parametrize("count", [1, 12])
def test_organisation_page_costs_two_queries_whatever_its_length(
    agent: User, django_assert_num_queries: DjangoAssertNumQueries, count: int
) -> None:
    _many(count)

    with django_assert_num_queries(2):  # count + rows with counts
        page = selectors.organisation_list_page(actor=agent, query="客户", tier="")
        rows = [(o.name, o.contact_count, o.project_count) for o in page]  # type: ignore[attr-defined]

    assert len(rows) == count
    assert rows[0][1:] == (1, 1)


@pytest.mark.parametrize("count", [1, 12])
def test_contact_list_costs_one_query_whatever_its_length(
    agent: User, django_assert_num_queries: DjangoAssertNumQueries, count: int
) -> None:
    _many(count)

    with django_assert_num_queries(1):
        names = [
            (c.name, c.organisation.name if c.organisation else "")
            for c in selectors.contact_list(actor=agent)
        ]

    assert len(names) == count


def test_organisation_get_prefetches_contacts_and_projects(
    agent: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _many(1)
    organisation_id = Organisation.objects.get().pk

    with django_assert_num_queries(3):
        organisation = selectors.organisation_get(actor=agent, organisation_id=organisation_id)
        contacts = [c.name for c in organisation.contacts.all()]
        managers = [p.project_manager for p in organisation.projects.all()]

    assert contacts == ["联系人0", "离职0"]  # active first
    assert managers == [None]


def test_project_list_costs_one_query(
    agent: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _many(5)

    with django_assert_num_queries(1):
        rows = [
            (p.organisation.name, p.project_manager) for p in selectors.project_list(actor=agent)
        ]

    assert len(rows) == 5


def test_contact_search_by_a_lead_matches_name_organisation_email_and_phone_digits(
    lead: User,
) -> None:
    organisation = make_organisation(name="华东物业")
    make_contact(
        organisation=organisation, name="王芳", email="wang@huadong.cn", phone="13812345678"
    )
    make_contact(name="李强", phone="13999990000")

    def names(query: str) -> list[str]:
        return [c.name for c in selectors.contact_list(actor=lead, query=query)]

    assert names("王") == ["王芳"]
    assert names("华东") == ["王芳"]
    assert names("HUADONG") == ["王芳"]
    assert names("wang@") == ["王芳"]
    assert names("138 1234") == ["王芳"]
    assert names("9999") == ["李强"]
    assert names("13") == []  # too few digits to search phones, and no name matches


def test_contact_search_by_an_agent_matches_only_whole_numbers_and_addresses(
    agent: User,
) -> None:
    organisation = make_organisation(name="华东物业")
    make_contact(
        organisation=organisation, name="王芳", email="wang@huadong.cn", phone="13812345678"
    )
    make_contact(name="李强", phone="+8613999990000")

    def names(query: str) -> list[str]:
        return [c.name for c in selectors.contact_list(actor=agent, query=query)]

    assert names("王") == ["王芳"]
    assert names("华东") == ["王芳"]
    assert names("HUADONG") == ["王芳"]  # the domain, which the mask shows
    assert names("@huadong.cn") == ["王芳"]
    assert names("WANG@huadong.cn") == ["王芳"]
    assert names("138 1234 5678") == ["王芳"]
    assert names("139-9999-0000") == ["李强"]  # stored with +86
    assert names("0086 13999990000") == ["李强"]
    assert names("138 1234") == []
    assert names("12345678") == []
    assert names("9999") == []
    assert names("wang@") == []
    assert names("wan") == []
    assert names("ng@huadong.cn") == []


def test_organisation_search_by_an_agent_matches_contacts_only_by_whole_numbers(
    agent: User, lead: User
) -> None:
    organisation = make_organisation(name="华东物业")
    make_contact(organisation=organisation, email="wang@huadong.cn", phone="13812345678")

    def names(actor: User, query: str) -> list[str]:
        return [o.name for o in selectors.organisation_list(actor=actor, query=query)]

    assert names(agent, "13812345678") == ["华东物业"]
    assert names(agent, "wang@huadong.cn") == ["华东物业"]
    assert names(agent, "5678") == []
    assert names(agent, "wang") == []
    assert names(lead, "5678") == ["华东物业"]
    assert names(lead, "wang") == ["华东物业"]


def test_tier_filter_and_unknown_tier(agent: User) -> None:
    make_organisation(name="甲", tier="key")
    make_organisation(name="乙", tier="standard")

    assert [o.name for o in selectors.organisation_list(actor=agent, tier="key")] == ["甲"]
    assert list(selectors.organisation_list(actor=agent, tier="gold")) == []


def test_inactive_staff_cannot_read(agent: User) -> None:
    agent.is_active = False

    with pytest.raises(PermissionDeniedError):
        selectors.organisation_list(actor=agent)


def test_unknown_contact_is_not_found(agent: User) -> None:
    with pytest.raises(NotFoundError):
        selectors.contact_get(actor=agent, contact_id=404)
