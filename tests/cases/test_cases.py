"""Opening, replying, concurrency, merge, search and visibility."""

from __future__ import annotations

import pytest

from kefu.cases import selectors, services
from kefu.cases.models import Case, Message
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.cases.builders import at, open_case
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db


def test_open_case_gets_a_reference_and_lands_in_the_intake_team(team: Team) -> None:
    case = open_case(when="2026-11-02 10:00")

    assert case.reference == f"KF-2026-{case.pk:06d}"
    assert case.status == Case.Status.NEW
    assert case.department.code == "service"
    assert case.messages.get().direction == Message.Direction.INBOUND
    assert case.events.filter(kind="opened").exists()


def test_two_agents_saving_at_once_one_wins_the_other_is_told(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    first_copy = Case.objects.get(pk=case.pk)
    second_copy = Case.objects.get(pk=case.pk)

    services.case_update(
        actor=desk_agent,
        case=first_copy,
        at=at("2026-11-02 10:05"),
        version=first_copy.version,
        changes={"priority": "high"},
    )
    with pytest.raises(ConflictError) as lost:
        services.case_update(
            actor=desk_lead,
            case=second_copy,
            at=at("2026-11-02 10:05"),
            version=second_copy.version,
            changes={"category": "contract_dispute"},
        )

    case.refresh_from_db()
    assert lost.value.code == "case_changed_concurrently"
    assert case.priority == "high"
    assert case.category == "enquiry"


def test_merge_moves_messages_and_closes_the_duplicate(team: Team, desk_agent: User) -> None:
    first = open_case(when="2026-11-02 10:00", team=team)
    duplicate = open_case(
        when="2026-11-02 10:05", team=team, contact=first.contact, body="又来问一次"
    )

    services.case_merge(actor=desk_agent, source=duplicate, target=first, at=at("2026-11-02 11:00"))

    duplicate.refresh_from_db()
    assert duplicate.status == Case.Status.CLOSED
    assert duplicate.merged_into == first
    assert first.messages.count() == 2


def test_chinese_substring_search_finds_the_case(team: Team, desk_agent: User) -> None:
    wanted = open_case(when="2026-11-02 10:00", team=team, subject="卫生间渗水到楼下")
    in_body = open_case(when="2026-11-02 10:05", team=team, subject="报修", body="阳台窗户渗水严重")
    open_case(when="2026-11-02 10:10", team=team, subject="发票抬头错误", body="请重开发票")

    found = selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="all", q="渗水"))
    single = selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="all", q="卫生间渗水"))
    none = selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="all", q="水渗"))

    assert {c.pk for c in found} == {wanted.pk, in_body.pk}
    assert [c.pk for c in single] == [wanted.pk]
    assert list(none) == []


def test_search_finds_words_added_by_later_replies(team: Team, desk_agent: User) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, subject="咨询")
    services.case_note(
        actor=desk_agent, case=case, body="客户提到防水层", at=at("2026-11-02 10:30")
    )

    found = selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="all", q="防水"))

    assert [c.pk for c in found] == [case.pk]


def test_confidential_case_is_invisible_outside_its_department(
    team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team)
    case.is_confidential = True
    case.save(update_fields=["is_confidential"])
    finance = make_staff(role=Role.AGENT, department=make_department(name="财务部", code="finance"))

    with pytest.raises(NotFoundError):
        selectors.access_case(finance, case.pk)

    assert selectors.access_case(desk_agent, case.pk) == case


def test_queue_is_ordered_by_sla_urgency(team: Team, desk_agent: User) -> None:
    later = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent, priority="low")
    sooner = open_case(when="2026-11-02 10:05", team=team, owner=desk_agent, priority="urgent")

    queue = list(selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="mine")))

    assert queue == [sooner, later]


def test_queue_costs_a_fixed_number_of_queries(
    team: Team, desk_agent: User, django_assert_num_queries: object
) -> None:
    for n in range(5):
        open_case(when=f"2026-11-02 1{n}:00", team=team, owner=desk_agent)

    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = list(selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="mine")))
        for row in rows:
            _ = (row.owner, row.contact.name, row.organisation, row.team)


def test_status_change_that_makes_no_sense_is_refused(team: Team, desk_agent: User) -> None:
    case = open_case(when="2026-11-02 10:00", team=team)
    services.case_set_status(
        actor=desk_agent, case=case, status="resolved", at=at("2026-11-02 11:00")
    )

    with pytest.raises(DomainError) as refused:
        services.case_set_status(
            actor=desk_agent, case=case, status="waiting_customer", at=at("2026-11-02 12:00")
        )

    assert refused.value.code == "invalid_status_change"


def test_customer_reply_reopens_a_resolved_case(team: Team, desk_agent: User) -> None:
    case = open_case(when="2026-11-02 10:00", team=team)
    services.case_set_status(
        actor=desk_agent, case=case, status="resolved", at=at("2026-11-02 11:00")
    )

    services.message_receive(
        case=case, contact=case.contact, body="还是漏水", channel="email", at=at("2026-11-03 09:00")
    )

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_search_by_reference_and_by_latin_word_prefix(team: Team, desk_agent: User) -> None:
    invoice = open_case(when="2026-11-02 10:00", team=team, subject="Invoice title is wrong")
    other = open_case(when="2026-11-02 10:05", team=team, subject="ERP login fails")

    by_reference = selectors.case_list_for(
        desk_agent, selectors.CaseFilter(scope="all", q=other.reference.lower())
    )
    by_prefix = selectors.case_list_for(desk_agent, selectors.CaseFilter(scope="all", q="invo"))

    assert [c.pk for c in by_reference] == [other.pk]
    assert [c.pk for c in by_prefix] == [invoice.pk]
