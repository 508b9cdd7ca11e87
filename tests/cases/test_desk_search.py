"""The header's search across the desk: one box, results for cases, customers and
organisations, each a link the user may open, with the masks and visibility of
the lists they come from (issue 16, item 4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case
from kefu.core.models import Team
from kefu.core.roles import Role
from kefu.customers.models import Organisation
from tests.cases.builders import at, make_contact, open_case
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
EMAIL = "wang.fang@huadong.cn"


@pytest.fixture
def wang_case(team: Team) -> Case:
    organisation = Organisation.objects.create(
        name="华东置业有限公司", created_at=at("2026-01-01 09:00")
    )
    contact = make_contact(name="王芳", phone=PHONE, email=EMAIL, organisation=organisation)
    return open_case(when="2026-11-02 10:00", contact=contact, team=team, subject="发票抬头错误")


def _signed_in(team: Team, *, role: str = Role.AGENT, language: str = "zh-hans") -> Client:
    user = make_staff(role=role, team=team, department=team.department, language=language)
    client = Client()
    client.force_login(user)
    return client


def _search(client: Client, query: str) -> str:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, kind: str) -> str:
    start = page.index(f'data-testid="search-{kind}"')
    return page[start : page.index("</section>", start)]


def test_the_header_has_the_search_box_for_staff_only(client: Client, team: Team) -> None:
    signed_in = _signed_in(team).get(reverse("core:home"), follow=True).content.decode()
    anonymous = client.get(reverse("core:login")).content.decode()

    assert 'data-testid="global-search"' in signed_in
    assert f'action="{reverse("search")}"' in signed_in
    assert 'data-testid="global-search"' not in anonymous


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("search"), {"q": "王芳"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "客户"), ("en", "Customers")])
def test_results_are_grouped_by_kind_each_a_link(
    team: Team, wang_case: Case, language: str, heading: str
) -> None:
    page = _search(_signed_in(team, language=language), "华东置业")

    assert f'<html lang="{language}">' in page
    assert f'<h2 id="found-contacts">{heading}</h2>' in page
    cases = _section(page, "cases")
    assert f'href="{reverse("cases:case", args=[wang_case.pk])}"' in cases
    assert wang_case.reference in cases
    contacts = _section(page, "contacts")
    assert f'href="{reverse("customers:contact", args=[wang_case.contact_id])}"' in contacts
    organisations = _section(page, "organisations")
    assert f'href="{reverse("customers:organisation", args=[wang_case.organisation_id])}"' in (
        organisations
    )
    # The box keeps the query on the results page.
    assert 'value="华东置业"' in page


@pytest.mark.parametrize("spelling", [PHONE, "138-1234-5678", "+86 138 1234 5678"])
def test_an_agent_finds_the_customer_by_the_whole_phone_and_sees_it_masked(
    team: Team, wang_case: Case, spelling: str
) -> None:
    page = _search(_signed_in(team), spelling)

    assert wang_case.reference in _section(page, "cases")
    contacts = _section(page, "contacts")
    assert "王芳" in contacts
    assert "138****5678" in contacts
    assert PHONE not in contacts
    assert "w***@huadong.cn" in contacts
    assert EMAIL not in page


def test_four_digits_of_a_phone_find_nothing_for_an_agent(team: Team, wang_case: Case) -> None:
    page = _search(_signed_in(team), "5678")

    assert wang_case.reference not in page
    assert "王芳" not in page
    assert "华东置业" not in page


def test_a_lead_who_may_reveal_sees_the_email_and_finds_inside_numbers(
    team: Team, wang_case: Case
) -> None:
    page = _search(_signed_in(team, role=Role.TEAM_LEAD), "5678")

    assert wang_case.reference in _section(page, "cases")
    assert EMAIL in _section(page, "contacts")


def test_a_confidential_case_of_another_department_is_never_found(
    team: Team, engineering: Team, wang_case: Case
) -> None:
    secret = open_case(
        when="2026-11-02 11:00", contact=wang_case.contact, team=engineering, subject="保密事项"
    )
    Case.objects.filter(pk=secret.pk).update(
        is_confidential=True, department=engineering.department
    )
    agent = _signed_in(team)
    insider = _signed_in(engineering)

    for query in ("王芳", PHONE, EMAIL, "保密事项", secret.reference):
        found = _section(_search(agent, query), "cases")
        assert f'href="{reverse("cases:case", args=[secret.pk])}"' not in found, query
    assert secret.reference in _section(_search(insider, "保密事项"), "cases")


def test_who_may_not_work_cases_gets_customers_and_organisations_only(
    team: Team, wang_case: Case
) -> None:
    page = _search(_signed_in(team, role=Role.QA_INSPECTOR), "王芳")

    assert 'data-testid="search-cases"' not in page
    assert wang_case.reference not in page
    assert "王芳" in _section(page, "contacts")


def test_a_long_group_links_to_its_full_list(team: Team) -> None:
    organisation = Organisation.objects.create(name="长江物业", created_at=at("2026-01-01 09:00"))
    for n in range(11):
        make_contact(name=f"客户{n:02d}", phone=f"139000000{n:02d}", organisation=organisation)

    contacts = _section(_search(_signed_in(team), "长江物业"), "contacts")

    assert contacts.count("<li>") == 10
    assert f'href="{reverse("customers:contact_list")}?q=%E9%95%BF%E6%B1%9F%E7%89%A9%E4%B8%9A"' in (
        contacts
    )


def test_an_empty_query_shows_the_box_and_no_results(team: Team, wang_case: Case) -> None:
    page = _search(_signed_in(team), "  ")

    assert 'data-testid="search-contacts"' not in page
    assert 'name="q"' in page


def test_a_query_too_long_says_what_to_fix(team: Team) -> None:
    page = _search(_signed_in(team, language="en"), "王" * 101)

    assert 'aria-invalid="true"' in page
    assert "at most 100 characters" in page
    assert 'data-testid="search-contacts"' not in page
