"""Commitments are reminded, flagged when overdue, and counted kept or broken;
compensation respects each step's authority limit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kefu.cases import selectors, services
from kefu.cases.models import Case, CompensationOffer, Message
from kefu.core.errors import DomainError
from kefu.core.models import Notification, Team, User
from kefu.core.roles import Role
from tests.cases.builders import at, make_contact, open_case
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db


def clocks_at(instant: str) -> None:
    call_command("clocks", "--once", "--now", f"{instant}+08:00", stdout=StringIO())


def test_overdue_commitment_is_flagged_on_the_case_and_the_queue(
    team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="明天下午五点前回电说明维修方案",
        due_at=at("2026-11-03 17:00"),
        at=at("2026-11-02 10:30"),
    )

    clocks_at("2026-11-03T16:00")
    reminded = Notification.objects.filter(recipient=desk_agent).count()
    clocks_at("2026-11-03T17:00")

    case.refresh_from_db()
    promise.refresh_from_db()
    overdue_queue = selectors.case_list_for(
        desk_agent, selectors.CaseFilter(scope="mine", flags=("overdue",))
    )
    assert reminded == 1
    assert promise.is_overdue
    assert case.has_overdue_commitment
    assert list(overdue_queue) == [case]
    assert list(selectors.commitments_overdue_for(desk_agent)) == [promise]


def test_keeping_the_promise_clears_the_flag_and_counts_in_the_kept_rate(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    late = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="回电",
        due_at=at("2026-11-02 12:00"),
        at=at("2026-11-02 10:30"),
    )
    other = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="寄送样品",
        due_at=at("2026-11-05 12:00"),
        at=at("2026-11-02 10:30"),
    )
    clocks_at("2026-11-02T12:00")

    services.commitment_close(
        actor=desk_agent, commitment=late, status="kept", at=at("2026-11-02 13:00")
    )
    services.commitment_close(
        actor=desk_agent, commitment=other, status="broken", at=at("2026-11-05 13:00")
    )

    case.refresh_from_db()
    rates = selectors.commitment_kept_rates(actor=desk_lead, by="owner")
    assert not case.has_overdue_commitment
    assert [(r.key, r.kept, r.broken, r.rate) for r in rates] == [
        ("agent.wang", 1, 1, Decimal("50.0"))
    ]


def test_compensation_within_the_agents_limit_is_approved_at_once(
    team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    offer = services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="voucher",
        amount=Decimal(100),
        reason="工期延误",
        at=at("2026-11-02 11:00"),
    )

    assert offer.status == CompensationOffer.Status.APPROVED
    assert offer.decided_by == desk_agent


def test_compensation_above_the_limit_waits_for_the_lead_who_may_approve(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    offer = services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="refund",
        amount=Decimal(1500),
        reason="材料错发",
        at=at("2026-11-02 11:00"),
    )
    assert offer.status == CompensationOffer.Status.PENDING
    assert Notification.objects.filter(recipient=desk_lead).exists()

    with pytest.raises(DomainError):
        services.compensation_decide(
            actor=desk_agent, offer=offer, approve=True, at=at("2026-11-02 12:00")
        )
    decided = services.compensation_decide(
        actor=desk_lead, offer=offer, approve=True, at=at("2026-11-02 12:00")
    )

    assert decided.status == CompensationOffer.Status.APPROVED
    assert decided.decided_by == desk_lead


def test_lead_cannot_approve_above_their_own_limit(
    team: Team, desk_agent: User, desk_lead: User, desk_manager: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    offer = services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="refund",
        amount=Decimal(8000),
        reason="返工",
        at=at("2026-11-02 11:00"),
    )

    with pytest.raises(DomainError) as refused:
        services.compensation_decide(
            actor=desk_lead, offer=offer, approve=True, at=at("2026-11-02 12:00")
        )
    services.compensation_decide(
        actor=desk_manager, offer=offer, approve=True, at=at("2026-11-02 12:30")
    )

    offer.refresh_from_db()
    assert refused.value.code == "beyond_authority"
    assert offer.decided_by == desk_manager
    assert Case.objects.get(pk=case.pk).events.filter(kind="compensation_decided").exists()


def test_only_the_promises_owner_or_a_lead_records_it_kept(
    team: Team,
    desk_agent: User,
    desk_lead: User,
    bearer_for: Callable[[User], dict[str, str]],
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="回电",
        due_at=at("2026-11-03 12:00"),
        at=at("2026-11-02 10:30"),
    )
    colleague = make_staff(
        username="agent.sun", role=Role.AGENT, team=team, department=team.department, language="en"
    )
    refused = Client().post(
        f"/api/v1/commitments/{promise.pk}/close",
        {"status": "kept"},
        content_type="application/json",
        headers=bearer_for(colleague),
    )
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "commitment_not_yours"
    assert "Only the agent who owns this promise" in refused.json()["message"]
    promise.refresh_from_db()
    assert promise.status == "open"

    kept = Client().post(
        f"/api/v1/commitments/{promise.pk}/close",
        {"status": "kept"},
        content_type="application/json",
        headers=bearer_for(desk_lead),
    )
    assert kept.status_code == 200, kept.content
    promise.refresh_from_db()
    assert promise.status == "kept"


def test_an_approved_compensation_is_told_to_the_customer_in_their_language(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    contact = make_contact(name="Alice Chen", language="en", channels=["email"])
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent, contact=contact)
    offer = services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="refund",
        amount=Decimal(1500),
        reason="Wrong tiles delivered",
        at=at("2026-11-02 11:00"),
    )
    assert not case.messages.filter(direction=Message.Direction.OUTBOUND).exists()

    services.compensation_decide(
        actor=desk_lead, offer=offer, approve=True, at=at("2026-11-02 12:00")
    )

    told = case.messages.get(direction=Message.Direction.OUTBOUND)
    assert told.channel == "email"
    assert "approved compensation" in told.body
    assert "Refund, 1500.00 yuan" in told.body
    assert "Wrong tiles delivered" in told.body
    assert case.events.filter(kind="compensation_told").exists()


def test_a_compensation_within_the_limit_is_told_at_once_and_a_rejection_is_not(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="voucher",
        amount=Decimal(100),
        reason="工期延误",
        at=at("2026-11-02 11:00"),
    )
    (told,) = case.messages.filter(direction=Message.Direction.OUTBOUND)
    assert "代金券" in told.body
    assert "100.00" in told.body

    pending = services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind="refund",
        amount=Decimal(1500),
        reason="材料错发",
        at=at("2026-11-02 11:30"),
    )
    services.compensation_decide(
        actor=desk_lead, offer=pending, approve=False, at=at("2026-11-02 12:00")
    )
    assert case.messages.filter(direction=Message.Direction.OUTBOUND).count() == 1
