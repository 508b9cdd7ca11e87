"""Case search by who the customer is: name, organisation, phone, email, partial reference.

Issue 16, item 4. Phones and emails follow the contact search's masking rule
(``customers.selectors.contact_match``): without the reveal permission a phone
matches only whole and an email only whole or by its domain.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from kefu.cases import search, selectors
from kefu.cases.models import Case
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.customers.models import Organisation
from tests.cases.builders import at, make_contact, open_case
from tests.core.factories import make_staff

Bearer = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _found(actor: User, query: str) -> list[int]:
    cases = selectors.case_list_for(actor, selectors.CaseFilter(scope="all", q=query))
    return [case.pk for case in cases]


@pytest.fixture
def wang_case(team: Team) -> Case:
    organisation = Organisation.objects.create(
        name="华东置业有限公司", created_at=at("2026-01-01 09:00")
    )
    contact = make_contact(
        name="王芳", phone=PHONE, email="wang.fang@huadong.cn", organisation=organisation
    )
    case = open_case(when="2026-11-02 10:00", contact=contact, team=team, subject="发票抬头错误")
    return _numbered(case, "KF-2026-004321")


@pytest.fixture
def other_case(team: Team) -> Case:
    contact = make_contact(name="李强", phone="13900001111", email="li@example.com")
    case = open_case(when="2026-11-02 10:05", contact=contact, team=team, subject="登录失败")
    return _numbered(case, "KF-2026-004322")


def _numbered(case: Case, reference: str) -> Case:
    """Fixed references, so partial-reference searches do not depend on which ids
    the database handed out earlier in the run (a sequence of 1 or 12 is also in
    other numbers)."""
    Case.objects.filter(pk=case.pk).update(reference=reference)
    case.refresh_from_db()
    return case


# The pure parts: partial references.


@pytest.mark.parametrize(
    ("query", "expected"),
    [("000123", 123), ("123", 123), ("KF-000123", 123), ("kf123", 123), (" 7 ", 7)],
)
def test_a_digits_only_query_names_a_sequence(query: str, expected: int) -> None:
    assert search.reference_sequence(query) == expected


@pytest.mark.parametrize("query", ["0", "", "abc", "2026-0001", "1234567890", "12 34"])
def test_other_queries_name_no_sequence(query: str) -> None:
    assert search.reference_sequence(query) is None


def test_references_with_a_sequence_cover_every_year() -> None:
    assert search.references_with_sequence(123, range(2025, 2027)) == [
        "KF-2025-000123",
        "KF-2026-000123",
    ]
    assert search.references_with_sequence(1234567, range(2026, 2027)) == ["KF-2026-1234567"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2026-0001", ("KF-2026-0001", "KF-2026-0002")),
        ("KF-2026-0019", ("KF-2026-0019", "KF-2026-002")),
        ("kf-2026-99", ("KF-2026-99", "KF-2027-")),
        ("2026-", ("KF-2026-", "KF-2027-")),
    ],
)
def test_a_year_and_sequence_head_is_an_index_range(query: str, expected: tuple[str, str]) -> None:
    assert search.reference_range(query) == expected


def test_the_range_holds_exactly_the_references_with_that_head() -> None:
    low, high = search.reference_range("2026-0019") or ("", "")
    inside = ["KF-2026-001900", "KF-2026-001999", "KF-2026-0019000"]
    outside = ["KF-2026-002000", "KF-2026-001899", "KF-2025-001900", "KF-2027-001900"]
    assert all(low <= reference < high for reference in inside)
    assert not any(low <= reference < high for reference in outside)
    assert search.reference_range("渗水") is None
    assert search.reference_range("20-0001") is None


# Through the selector.


def test_finds_a_case_by_the_customers_name_and_organisation(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    assert _found(desk_agent, "王芳") == [wang_case.pk]
    assert _found(desk_agent, "华东置业") == [wang_case.pk]
    assert _found(desk_agent, "李强") == [other_case.pk]


@pytest.mark.parametrize(
    "spelling", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678"]
)
def test_an_agent_finds_a_case_by_the_whole_phone_in_any_spelling(
    desk_agent: User, wang_case: Case, other_case: Case, spelling: str
) -> None:
    assert _found(desk_agent, spelling) == [wang_case.pk]


@pytest.mark.parametrize("spelling", ["138 1234 5678", "+86 138-1234-5678", "5678"])
def test_a_lead_who_may_reveal_finds_it_inside_the_number_too(
    desk_lead: User, wang_case: Case, other_case: Case, spelling: str
) -> None:
    assert _found(desk_lead, spelling) == [wang_case.pk]


def test_search_is_no_oracle_for_a_masked_phone_or_email(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    # The masked phone reads 138****5678: four digits, or the head and a guess, find nothing.
    assert _found(desk_agent, "5678") == []
    assert _found(desk_agent, "1381") == []
    assert _found(desk_agent, "13812") == []
    assert _found(desk_agent, "wang.fang") == []
    assert _found(desk_agent, "wang") == []


def test_finds_a_case_by_the_whole_email_or_its_domain(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    assert _found(desk_agent, "WANG.FANG@huadong.cn") == [wang_case.pk]
    assert _found(desk_agent, "@huadong.cn") == [wang_case.pk]
    assert _found(desk_agent, "huadong.cn") == [wang_case.pk]


def test_finds_a_case_by_a_partial_reference(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    year, sequence = wang_case.reference.split("-")[1:]
    assert _found(desk_agent, sequence) == [wang_case.pk]
    assert _found(desk_agent, str(int(sequence))) == [wang_case.pk]
    assert _found(desk_agent, f"{year}-{sequence}") == [wang_case.pk]
    # The head both sequences share (their ids follow each other) finds both.
    other_sequence = other_case.reference.split("-")[2]
    shared = next(
        (
            n
            for n, pair in enumerate(zip(sequence, other_sequence, strict=True))
            if len(set(pair)) > 1
        ),
        len(sequence),
    )
    head = sequence[:shared]
    assert set(_found(desk_agent, f"{year}-{head}")) == {wang_case.pk, other_case.pk}
    assert _found(desk_agent, f"{int(year) - 1}-{head}") == []


def test_a_number_that_names_no_reference_finds_nothing(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    assert _found(desk_agent, "999999") == []
    assert _found(desk_agent, "1999-0") == []


def test_words_still_find_the_subject_alongside_the_customer(
    desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    by_subject = open_case(
        when="2026-11-02 10:10", contact=make_contact(name="赵敏"), subject="王芳来电投诉"
    )
    assert _found(desk_agent, "王芳") == [by_subject.pk, wang_case.pk]
    assert _found(desk_agent, "抬头") == [wang_case.pk]


def test_a_confidential_case_of_another_department_is_never_found(
    desk_agent: User, engineering: Team, wang_case: Case
) -> None:
    secret = open_case(
        when="2026-11-02 11:00", contact=wang_case.contact, team=engineering, subject="保密事项"
    )
    Case.objects.filter(pk=secret.pk).update(
        is_confidential=True, department=engineering.department
    )
    insider = make_staff(role=Role.AGENT, team=engineering, department=engineering.department)

    for query in (
        "王芳",
        "华东置业",
        PHONE,
        "wang.fang@huadong.cn",
        secret.reference.split("-")[2],
    ):
        assert secret.pk not in _found(desk_agent, query), query
        assert secret.pk in _found(insider, query), query


# Through the API and the queue page.


def test_the_case_list_api_finds_by_customer_phone_and_reference(
    client: Client, bearer_for: Bearer, desk_agent: User, wang_case: Case, other_case: Case
) -> None:
    headers = bearer_for(desk_agent)

    def ids(query: str) -> list[int]:
        response = client.get("/api/v1/cases", {"scope": "all", "q": query}, headers=headers)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert ids("华东置业") == [wang_case.pk]
    assert ids("+86 138 1234 5678") == [wang_case.pk]
    assert ids("wang.fang@huadong.cn") == [wang_case.pk]
    assert ids(other_case.reference.split("-")[2]) == [other_case.pk]
    assert ids("5678") == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_queue_page_finds_by_customer_name(
    wang_case: Case, other_case: Case, team: Team, language: str
) -> None:
    agent = make_staff(role=Role.AGENT, team=team, department=team.department, language=language)
    client = Client()
    client.force_login(agent)

    with time_machine.travel(at("2026-11-02 12:00"), tick=False):
        page = client.get("/cases/", {"scope": "all", "q": "王芳"}).content.decode()

    assert f'<html lang="{language}">' in page
    assert wang_case.reference in page
    assert other_case.reference not in page
