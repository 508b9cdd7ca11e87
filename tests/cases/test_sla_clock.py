"""The SLA clock, driven by `kefu clocks --once --now`, breaches and escalates exactly
when China's working calendar says: across 国庆 and on a make-up Saturday."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from kefu.cases import services
from kefu.cases.models import Case, Escalation, SlaBreach
from kefu.core.models import Notification, Team, User
from tests.cases.builders import at, only_policy, open_case

pytestmark = pytest.mark.django_db


def clocks_at(instant: str) -> None:
    call_command("clocks", "--once", "--now", f"{instant}+08:00", stdout=StringIO())


def test_first_response_due_skips_national_day(team: Team) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)

    case = open_case(when="2026-09-30 16:00", team=team)

    assert case.first_response_due_at == at("2026-10-09 14:00")
    assert case.sla_due_at == at("2026-10-09 14:00")


def test_breach_escalates_to_lead_exactly_at_due_then_manager_on_second(
    team: Team, desk_agent: User, desk_lead: User, desk_manager: User
) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=20 * 60)
    case = open_case(when="2026-09-30 16:00", team=team, owner=desk_agent)
    assert case.resolution_due_at == at("2026-10-09 18:00")

    clocks_at("2026-10-09T13:59")
    case.refresh_from_db()
    assert case.breach_count == 0
    assert case.escalation_level == 0

    clocks_at("2026-10-09T14:00")
    case.refresh_from_db()
    assert case.breach_count == 1
    assert case.escalation_level == 1
    assert case.owner == desk_lead
    assert Notification.objects.filter(recipient=desk_lead).exists()

    clocks_at("2026-10-09T18:00")
    case.refresh_from_db()
    assert case.breach_count == 2
    assert case.escalation_level == 2
    assert case.owner == desk_manager
    assert list(SlaBreach.objects.values_list("target", flat=True)) == [
        "first_response",
        "resolution",
    ]
    assert Escalation.objects.filter(case=case, reason="sla_breach").count() == 2


def test_running_the_clock_twice_breaches_once(team: Team, desk_lead: User) -> None:
    only_policy(first=60, cadence=None, resolution=40 * 60)
    case = open_case(when="2026-10-09 09:00", team=team)

    clocks_at("2026-10-09T10:00")
    clocks_at("2026-10-09T10:05")

    case.refresh_from_db()
    assert case.breach_count == 1
    assert SlaBreach.objects.count() == 1


def test_make_up_saturday_is_working_time(team: Team, desk_lead: User) -> None:
    only_policy(first=2 * 60, cadence=None, resolution=40 * 60)
    case = open_case(when="2026-10-09 17:00", team=team)
    assert case.first_response_due_at == at("2026-10-10 10:00")

    clocks_at("2026-10-10T09:59")
    case.refresh_from_db()
    assert case.breach_count == 0

    clocks_at("2026-10-10T10:00")
    case.refresh_from_db()
    assert case.breach_count == 1


def test_reply_meets_first_response_and_no_breach_follows(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    only_policy(first=60, cadence=4 * 60, resolution=40 * 60)
    case = open_case(when="2026-10-09 09:00", team=team)

    services.case_reply(
        actor=desk_agent, case=case, body="您好，已收到。", at=at("2026-10-09 09:30")
    )
    clocks_at("2026-10-09T10:30")

    case.refresh_from_db()
    assert case.first_response_at == at("2026-10-09 09:30")
    # The due time stays for the record (the service level compares the two).
    assert case.first_response_due_at == at("2026-10-09 10:00")
    assert case.next_update_due_at == at("2026-10-09 13:30")
    assert case.breach_count == 0
    assert case.owner == desk_agent


def test_waiting_on_customer_pauses_the_clock_and_resume_carries_the_rest(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    only_policy(first=60, cadence=None, resolution=4 * 60)
    case = open_case(when="2026-10-09 09:00", team=team)
    services.case_reply(actor=desk_agent, case=case, body="请提供照片。", at=at("2026-10-09 09:10"))
    case.refresh_from_db()
    assert case.resolution_due_at == at("2026-10-09 13:00")

    services.case_set_status(
        actor=desk_agent, case=case, status="waiting_customer", at=at("2026-10-09 10:00")
    )
    clocks_at("2026-10-09T14:00")
    case.refresh_from_db()
    assert case.breach_count == 0
    assert case.sla_due_at is None

    contact = case.contact
    services.message_receive(
        case=case, contact=contact, body="照片已发。", channel="email", at=at("2026-10-10 09:00")
    )
    case.refresh_from_db()
    # Three working hours were left at the pause: due three working hours after resuming.
    assert case.status == Case.Status.OPEN
    assert case.resolution_due_at == at("2026-10-10 12:00")
    assert case.sla_paused_at is None


def test_a_reopened_case_runs_its_clocks_again(team: Team, desk_agent: User) -> None:
    only_policy(first=60, cadence=None, resolution=4 * 60)
    case = open_case(when="2026-11-02 09:00", team=team)
    services.case_set_status(
        actor=desk_agent, case=case, status="resolved", at=at("2026-11-02 10:00")
    )
    case.refresh_from_db()
    assert case.sla_due_at is None

    services.message_receive(
        case=case, contact=case.contact, body="又漏了", channel="email", at=at("2026-11-03 09:00")
    )

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.next_update_due_at == at("2026-11-03 10:00")
    assert case.resolution_due_at == at("2026-11-03 13:00")
    assert case.sla_due_at == at("2026-11-03 10:00")


def test_undelivered_notices_are_queued_again_by_the_clock(
    team: Team, desk_agent: User, settings: object
) -> None:
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from kefu.cases.models import Message

    now = timezone.now()
    case = open_case(when="2026-11-02 09:00", team=team)
    stuck = Message.objects.create(
        case=case,
        direction="out",
        channel="email",
        contact=case.contact,
        body="您好",
        created_at=now - timedelta(minutes=20),
        delivery_status="sending",
    )
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }

    call_command(
        "clocks", "--once", "--now", (now + timedelta(minutes=1)).isoformat(), stdout=StringIO()
    )

    stuck.refresh_from_db()
    assert stuck.delivery_status == "sent"
    assert len(mail.outbox) == 1
