"""The customer timeline: cases and messages merged newest first, notes for staff only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import DjangoAssertNumQueries

from kefu.cases.models import Message
from kefu.core.models import User
from kefu.customers import timeline
from kefu.customers.models import Contact, Organisation
from kefu.customers.timeline import Audience, TimelineItem, TimelineKind, customer_timeline
from tests.customers.builders import at, make_case, make_contact, make_message, make_organisation

pytestmark = pytest.mark.django_db


def _history() -> tuple[Organisation, Contact]:
    organisation = make_organisation(name="华东物业")
    wang = make_contact(organisation=organisation, name="王芳")
    li = make_contact(organisation=organisation, name="李强")
    first = make_case(contact=wang, created_at=at("2026-02-01 09:00"), subject="渗水")
    make_message(
        case=first,
        direction=Message.Direction.INBOUND,
        body="楼下说天花板有水渍",
        created_at=at("2026-02-01 09:00"),
    )
    make_message(
        case=first,
        direction=Message.Direction.NOTE,
        body="客户情绪激动，先安抚",
        created_at=at("2026-02-01 09:05"),
    )
    make_message(
        case=first,
        direction=Message.Direction.OUTBOUND,
        body="我们今天下午派师傅上门查看。",
        created_at=at("2026-02-01 09:10"),
    )
    make_case(
        contact=li, organisation=organisation, created_at=at("2026-02-03 14:00"), subject="验收"
    )
    return organisation, wang


def test_organisation_timeline_merges_cases_and_messages_newest_first(agent: User) -> None:
    organisation, _wang = _history()

    items = customer_timeline(actor=agent, organisation=organisation)

    assert [item.kind for item in items] == [
        TimelineKind.CASE_OPENED,  # 02-03 验收
        TimelineKind.MESSAGE_OUT,  # 02-01 09:10
        TimelineKind.NOTE,  # 02-01 09:05
        TimelineKind.CASE_OPENED,  # 02-01 09:00 渗水 (sources keep registration order)
        TimelineKind.MESSAGE_IN,  # 02-01 09:00
    ]
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)
    assert "验收" in items[0].title
    assert items[1].body_excerpt == "我们今天下午派师傅上门查看。"
    assert items[0].link.startswith("/cases/")


def test_customer_facing_timeline_hides_internal_notes(agent: User) -> None:
    organisation, _wang = _history()

    items = customer_timeline(
        actor=agent,
        organisation=organisation,
        audience=Audience.CUSTOMER,
    )

    assert TimelineKind.NOTE not in {item.kind for item in items}
    assert "客户情绪激动" not in str(items)
    assert len(items) == 4


def test_contact_timeline_holds_only_that_contact(agent: User) -> None:
    _organisation, wang = _history()

    items = customer_timeline(actor=agent, contact=wang)

    assert all("验收" not in item.title for item in items)
    assert len(items) == 4


def test_confidential_case_of_another_department_is_left_out(agent: User) -> None:
    contact = make_contact()
    make_case(
        contact=contact,
        created_at=at("2026-02-01 09:00"),
        is_confidential=True,
        department_code="legal",
    )

    assert customer_timeline(actor=agent, contact=contact) == []


def test_limit_keeps_the_newest(agent: User) -> None:
    organisation, _wang = _history()

    items = customer_timeline(actor=agent, organisation=organisation, limit=2)

    assert [item.at for item in items] == [at("2026-02-03 14:00"), at("2026-02-01 09:10")]


@pytest.fixture
def notice_source() -> Iterator[None]:
    @timeline.register_timeline_source("test.notices")
    def notices(scope: timeline.TimelineScope) -> list[TimelineItem]:
        return [
            TimelineItem(
                at=at("2026-02-02 08:00"),
                kind="notice",
                title="停工通知",
                body_excerpt="",
                link="",
            )
        ]

    yield
    timeline._SOURCES.pop("test.notices")


@pytest.mark.usefixtures("notice_source")
def test_more_sources_can_be_registered(agent: User) -> None:
    organisation, _wang = _history()

    items = customer_timeline(actor=agent, organisation=organisation)

    assert [item.kind for item in items][:2] == [TimelineKind.CASE_OPENED, "notice"]


def test_timeline_needs_exactly_one_customer(agent: User) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        customer_timeline(actor=agent)


def test_timeline_costs_one_query_per_source(
    agent: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    organisation, _wang = _history()

    with django_assert_num_queries(len(timeline.timeline_sources())):
        customer_timeline(actor=agent, organisation=organisation)
