"""Internal customers (内部客户): staff of another department raise cases as requesters,
by the page or by e-mail, with internal SLA policies, reported apart, and follow and reply
on them without seeing internal notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from kefu.cases import services
from kefu.cases.models import Case, Message
from kefu.cases.services.internal import internal_case_open
from kefu.channels.email_in import email_ingest
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.quality.metrics import insights
from tests.cases.builders import at, open_case
from tests.channels.builders import raw_email
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

NOW = at("2026-11-02 10:00")  # a Monday


@pytest.fixture
def engineering_manager() -> User:
    return make_staff(
        username="gongcheng.zhou",
        role=Role.DEPARTMENT_MANAGER,
        department=make_department(name="工程部", code="engineering"),
    )


def test_a_manager_of_another_department_raises_a_request_on_the_page(
    team: Team, engineering_manager: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(engineering_manager)
    assert client.get("/cases/requests/").status_code == 200

    response = client.post(
        "/cases/requests/",
        {
            "department": team.department.pk,
            "category": Case.Category.INTERNAL_REQUEST,
            "subject": "三号楼业主投诉需要客服回访",
            "body": "请客服中心今天回访 3 号楼 1201 业主。",
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/requests/{case.pk}/"
    assert case.contact.user == engineering_manager
    assert case.department == team.department
    assert case.category == Case.Category.INTERNAL_REQUEST
    listing = client.get("/cases/requests/").content.decode()
    assert case.reference in listing


def test_an_internal_case_runs_on_the_internal_sla_policy(
    team: Team, engineering_manager: User
) -> None:
    case = internal_case_open(
        actor=engineering_manager,
        department=team.department,
        category=Case.Category.INTERNAL_REQUEST,
        subject="设备借用",
        body="借用两台测漏仪。",
        at=NOW,
    )

    # Normal internal requests: first response within 8 working hours (not 4).
    assert case.first_response_due_at is not None
    assert case.first_response_due_at >= NOW + timedelta(hours=8)


def test_the_requester_sees_replies_never_internal_notes_and_replies_back(
    team: Team,
    desk_agent: User,
    engineering_manager: User,
    client_for: Callable[[User], Client],
) -> None:
    case = internal_case_open(
        actor=engineering_manager,
        department=team.department,
        category=Case.Category.INTERNAL_SUPPORT,
        subject="回访",
        body="请回访业主。",
        at=NOW,
    )
    services.case_note(actor=desk_agent, case=case, body="内部：这位经理上周也催过", at=NOW)
    services.case_reply(actor=desk_agent, case=case, body="已安排今天下午回访。", at=NOW)
    client = client_for(engineering_manager)

    page = client.get(f"/cases/requests/{case.pk}/").content.decode()
    assert "已安排今天下午回访。" in page
    assert "这位经理上周也催过" not in page

    client.post(f"/cases/requests/{case.pk}/", {"body": "好的，谢谢，请回访后告诉我结果。"})
    latest = case.messages.filter(direction=Message.Direction.INBOUND).order_by("-pk").first()
    assert latest is not None
    assert latest.body == "好的，谢谢，请回访后告诉我结果。"
    assert latest.reading  # the coach reads it like any customer message


def test_nobody_else_reaches_a_request_page(
    team: Team, engineering_manager: User, client_for: Callable[[User], Client]
) -> None:
    case = internal_case_open(
        actor=engineering_manager,
        department=team.department,
        category=Case.Category.INTERNAL_REQUEST,
        subject="回访",
        body="请回访。",
        at=NOW,
    )
    customer_case = open_case(when="2026-11-02 09:00", team=team)
    other = make_staff(role=Role.AGENT)

    assert client_for(other).get(f"/cases/requests/{case.pk}/").status_code == 404
    assert (
        client_for(engineering_manager).get(f"/cases/requests/{customer_case.pk}/").status_code
        == 404
    )


def test_an_email_from_a_colleagues_address_is_an_internal_request(
    team: Team, engineering_manager: User
) -> None:
    result = email_ingest(
        raw=raw_email(sender=f"周经理 <{engineering_manager.email}>", subject="需要支援"),
        at=NOW,
    )

    assert result.case.contact.user == engineering_manager


def test_an_external_category_or_an_empty_request_is_refused_in_words(
    team: Team, engineering_manager: User
) -> None:
    with pytest.raises(DomainError) as refused:
        internal_case_open(
            actor=engineering_manager,
            department=team.department,
            category=Case.Category.ENQUIRY,
            subject="x",
            body="y",
            at=NOW,
        )
    with translation.override("en"):
        assert "internal category" in refused.value.text()
    with pytest.raises(DomainError):
        internal_case_open(
            actor=engineering_manager,
            department=team.department,
            category=Case.Category.INTERNAL_REQUEST,
            subject="x",
            body="  ",
            at=NOW,
        )


def test_internal_cases_are_reported_apart(
    team: Team, engineering_manager: User, client_for: Callable[[User], Client], desk_lead: User
) -> None:
    open_case(when="2026-11-02 09:00", team=team)
    internal_case_open(
        actor=engineering_manager,
        department=team.department,
        category=Case.Category.INTERNAL_REQUEST,
        subject="借用",
        body="借用设备。",
        at=NOW,
    )
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=1)

    assert insights(start=start, end=end).cases == 1
    assert insights(start=start, end=end, audience="internal").cases == 1
    assert insights(start=start, end=end, audience="all").cases == 2
    page = client_for(desk_lead).get("/quality/insights/?audience=internal")
    assert page.status_code == 200
    assert 'data-testid="audience-tabs"' in page.content.decode()


def test_the_api_raises_lists_reads_and_replies_on_a_request(
    team: Team,
    desk_agent: User,
    engineering_manager: User,
    bearer_for: Callable[[User], dict[str, str]],
) -> None:
    client = Client(headers=bearer_for(engineering_manager))

    created = client.post(
        "/api/v1/requests",
        {
            "department": team.department.code,
            "category": "internal_request",
            "subject": "借用测漏仪",
            "body": "明天上午借两台。",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    case = Case.objects.get(pk=case_id)
    services.case_note(actor=desk_agent, case=case, body="内部备注", at=NOW)

    assert [c["id"] for c in client.get("/api/v1/requests").json()] == [case_id]
    thread = client.get(f"/api/v1/requests/{case_id}/messages").json()
    assert [m["body"] for m in thread] == ["明天上午借两台。"]
    reply = client.post(
        f"/api/v1/requests/{case_id}/messages",
        {"body": "改到下午"},
        content_type="application/json",
    )
    assert reply.status_code == 201
    refused = client.post(
        "/api/v1/requests",
        {"department": team.department.code, "category": "enquiry", "subject": "x", "body": "y"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    stranger = Client(headers=bearer_for(make_staff(role=Role.AGENT)))
    assert stranger.get(f"/api/v1/requests/{case_id}/messages").status_code == 404
