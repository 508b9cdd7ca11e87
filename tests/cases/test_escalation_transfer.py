"""Escalation, over-heads complaints and transfers that never leave the customer adrift."""

from __future__ import annotations

import pytest
from django.core import mail

from kefu.cases import services
from kefu.cases.models import Case, Commitment, Message
from kefu.core.errors import DomainError
from kefu.core.models import AuditEntry, Notification, Team, User
from tests.cases.builders import at, make_contact, open_case

pytestmark = pytest.mark.django_db


def test_escalation_needs_a_reason_and_changes_nothing_without_one(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    with pytest.raises(DomainError) as refused:
        services.case_escalate(
            actor=desk_agent,
            case=case,
            reason="beyond_authority",
            explanation="  ",
            at=at("2026-11-02 11:00"),
        )

    case.refresh_from_db()
    assert refused.value.code == "reason_required"
    assert case.escalation_level == 0
    assert case.owner == desk_agent


def test_escalation_moves_to_lead_and_tells_the_customer_who_and_why(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    services.case_escalate(
        actor=desk_agent,
        case=case,
        reason="beyond_authority",
        explanation="赔偿金额超出我的权限",
        at=at("2026-11-02 11:00"),
    )

    case.refresh_from_db()
    notice = Message.objects.filter(case=case, direction="out").get()
    assert case.escalation_level == 1
    assert case.owner == desk_lead
    assert str(desk_lead) in notice.body
    assert "赔偿金额超出我的权限" in notice.body
    assert AuditEntry.objects.filter(action="case.escalated", target_id=str(case.pk)).exists()


def test_over_heads_goes_straight_to_the_manager(
    team: Team, desk_agent: User, desk_lead: User, desk_manager: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    services.case_flag_over_heads(
        actor=desk_agent, case=case, note="客户直接给总经理写信", at=at("2026-11-02 11:00")
    )

    case.refresh_from_db()
    assert case.is_over_heads
    assert case.escalation_level == 2
    assert case.owner == desk_manager
    assert case.priority == Case.Priority.URGENT
    assert Notification.objects.filter(recipient=desk_manager).exists()


def test_transfer_explains_to_customer_keeps_contact_and_sets_follow_up(
    team: Team, engineering: Team, desk_agent: User
) -> None:
    contact = make_contact(language="en", name="Emily Zhao")
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent, contact=contact)

    services.case_transfer(
        actor=desk_agent,
        case=case,
        to_department=engineering.department,
        why="the leak needs a site inspection",
        next_steps="an engineer visits on Wednesday",
        expected_by=at("2026-11-04 17:00"),
        at=at("2026-11-02 11:00"),
    )

    case.refresh_from_db()
    notice = Message.objects.filter(case=case, direction="out").get()
    follow_up = Commitment.objects.get(case=case)
    assert case.department == engineering.department
    assert case.owner == desk_agent
    assert case.status == Case.Status.WAITING_DEPARTMENT
    assert "site inspection" in notice.body
    assert "stays your contact" in notice.body
    assert "2026-11-04 17:00" in notice.body
    assert follow_up.is_follow_up
    assert follow_up.owner == desk_agent


def test_a_case_moved_more_than_twice_is_a_transfer_loop(
    team: Team, engineering: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    departments = [engineering.department, team.department, engineering.department]

    for n, department in enumerate(departments):
        case.refresh_from_db()
        services.case_transfer(
            actor=desk_agent,
            case=case,
            to_department=department,
            why="需要对方处理",
            next_steps="对方联系您",
            expected_by=at("2026-11-06 17:00"),
            at=at(f"2026-11-0{3 + n} 10:00"),
        )

    case.refresh_from_db()
    assert case.transfer_count == 3
    assert case.is_transfer_loop


def test_transfer_without_explanation_is_refused(
    team: Team, engineering: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    with pytest.raises(DomainError):
        services.case_transfer(
            actor=desk_agent,
            case=case,
            to_department=engineering.department,
            why="",
            next_steps="x",
            expected_by=at("2026-11-04 17:00"),
            at=at("2026-11-02 11:00"),
        )

    case.refresh_from_db()
    assert case.department == team.department
    assert len(mail.outbox) == 0
