"""Leave: sick leave self-declared, clear refusals, absence patterns suggest a talk."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import FieldDoesNotExist

from kefu.core.errors import ConflictError, DomainError, PermissionDeniedError
from kefu.core.models import Notification
from kefu.floor import plan, services
from kefu.floor.models import CheckInSuggestion, Leave
from tests.floor.builders import Floor, at, make_floor


def test_sick_leave_is_approved_as_entered_and_has_no_certificate_field(floor: Floor) -> None:
    leave = services.leave_request(
        actor=floor.agents[0],
        kind="sick",
        start_date=date(2026, 11, 24),
        end_date=date(2026, 11, 24),
        at=at("07:30"),
    )
    assert leave.status == Leave.Status.APPROVED
    names = {field.name for field in Leave._meta.get_fields()}
    assert not {name for name in names if "certif" in name or "proof" in name}
    certificate = "certificate"
    with pytest.raises(FieldDoesNotExist):
        Leave._meta.get_field(certificate)


def test_annual_leave_waits_for_the_lead(floor: Floor) -> None:
    leave = services.leave_request(
        actor=floor.agents[0],
        kind="annual",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 3),
        at=at("09:00"),
    )
    assert leave.status == Leave.Status.REQUESTED
    services.leave_decide(actor=floor.lead, leave=leave, approve=True, at=at("09:05"))
    leave.refresh_from_db()
    assert leave.status == Leave.Status.APPROVED
    with pytest.raises(ConflictError):
        services.leave_decide(actor=floor.lead, leave=leave, approve=False, at=at("09:06"))


def test_leave_ending_before_it_starts_is_refused(floor: Floor) -> None:
    with pytest.raises(DomainError) as refused:
        services.leave_request(
            actor=floor.agents[0],
            kind="sick",
            start_date=date(2026, 11, 25),
            end_date=date(2026, 11, 24),
            at=at("07:30"),
        )
    assert refused.value.code == "leave_ends_before_start"
    assert "2026-11-24" in refused.value.text()
    assert not Leave.objects.exists()


def test_overlapping_leave_is_refused(floor: Floor) -> None:
    agent, first = floor.agents[0], date(2026, 11, 24)
    services.leave_request(
        actor=agent, kind="sick", start_date=first, end_date=date(2026, 11, 25), at=at("07:30")
    )
    with pytest.raises(ConflictError):
        services.leave_request(
            actor=agent,
            kind="sick",
            start_date=date(2026, 11, 25),
            end_date=date(2026, 11, 26),
            at=at("07:30"),
        )
    assert Leave.objects.count() == 1


def test_agent_cannot_decide_their_own_leave(floor: Floor) -> None:
    leave = services.leave_request(
        actor=floor.agents[0],
        kind="personal",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 1),
        at=at("09:00"),
    )
    with pytest.raises(PermissionDeniedError):
        services.leave_decide(actor=floor.agents[0], leave=leave, approve=True, at=at("09:01"))


def test_lead_of_another_team_cannot_enter_leave_for_an_agent(floor: Floor) -> None:
    other = make_floor(team_name="热线二组")
    with pytest.raises(PermissionDeniedError):
        services.leave_request(
            actor=other.lead,
            agent=floor.agents[0],
            kind="sick",
            start_date=date(2026, 11, 24),
            end_date=date(2026, 11, 24),
            at=at("07:30"),
        )


def test_three_sick_days_in_sixty_days_suggest_a_check_in_not_a_penalty(floor: Floor) -> None:
    agent = floor.agents[0]
    for day in (date(2026, 10, 6), date(2026, 10, 28), date(2026, 11, 18)):
        services.leave_request(
            actor=agent, kind="sick", start_date=day, end_date=day, at=at("2026-11-18 08:00")
        )
    suggestion = CheckInSuggestion.objects.get(agent=agent)
    assert suggestion.pattern == CheckInSuggestion.Pattern.FREQUENT_SICK
    note = Notification.objects.get(recipient=floor.lead)
    assert str(agent) in note.subject
    assert "不是处罚" in note.body or "not a penalty" in note.body
    # A fourth sick day does not repeat the suggestion while it is open.
    services.leave_request(
        actor=agent,
        kind="sick",
        start_date=date(2026, 11, 20),
        end_date=date(2026, 11, 20),
        at=at("2026-11-20 08:00"),
    )
    assert CheckInSuggestion.objects.filter(agent=agent).count() == 1
    # Nothing about the agent changed: still active, same role.
    agent.refresh_from_db()
    assert agent.is_active


def test_repeated_mondays_and_fridays_suggest_a_check_in(floor: Floor) -> None:
    agent = floor.agents[0]
    for day in (date(2026, 11, 2), date(2026, 11, 13)):  # a Monday, a Friday
        services.leave_request(
            actor=agent, kind="sick", start_date=day, end_date=day, at=at("2026-11-13 08:00")
        )
    patterns = set(CheckInSuggestion.objects.values_list("pattern", flat=True))
    assert patterns == {CheckInSuggestion.Pattern.WEEKEND_ADJACENT}


def test_closing_a_suggestion(floor: Floor) -> None:
    suggestion = CheckInSuggestion.objects.create(
        agent=floor.agents[0], pattern="frequent_sick", created_at=at("09:00")
    )
    services.suggestion_close(actor=floor.lead, suggestion=suggestion, done=True, at=at("10:00"))
    assert suggestion.status == CheckInSuggestion.Status.DONE


def test_approved_leave_takes_the_agent_off_the_days_plan(floor: Floor) -> None:
    from tests.floor.builders import publish_shifts

    a, b = floor.agents
    publish_shifts(floor.team, [(a, "09:00", "18:00", []), (b, "09:00", "18:00", [])])
    assert {d.agent_id for d in plan.agent_days(date(2026, 11, 24))} == {a.pk, b.pk}
    services.leave_request(
        actor=a,
        kind="sick",
        start_date=date(2026, 11, 24),
        end_date=date(2026, 11, 24),
        at=at("07:00"),
    )
    assert {d.agent_id for d in plan.agent_days(date(2026, 11, 24))} == {b.pk}
