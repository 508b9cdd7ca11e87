"""Agent states and breaks: every change is a row; a break outside the plan is never refused."""

from __future__ import annotations

import pytest

from kefu.core.errors import ConflictError, DomainError
from kefu.floor import selectors, services
from kefu.floor.models import AgentState
from tests.floor.builders import DAY, Floor, at, publish_shifts

State = AgentState.State


def test_every_change_is_logged_with_start_and_end(floor: Floor) -> None:
    agent = floor.agents[0]
    services.state_change(actor=agent, state=State.AVAILABLE, at=at("09:00"))
    services.state_change(actor=agent, state=State.ON_CONTACT, at=at("09:05"))
    services.state_change(actor=agent, state=State.AFTER_CONTACT, at=at("09:12"))
    rows = list(selectors.states_for_agent(agent, day=DAY))
    assert [(r.state, r.started_at, r.ended_at) for r in rows] == [
        (State.AVAILABLE, at("09:00"), at("09:05")),
        (State.ON_CONTACT, at("09:05"), at("09:12")),
        (State.AFTER_CONTACT, at("09:12"), None),
    ]


def test_same_state_again_adds_no_row(floor: Floor) -> None:
    agent = floor.agents[0]
    services.state_change(actor=agent, state=State.AVAILABLE, at=at("09:00"))
    services.state_change(actor=agent, state=State.AVAILABLE, at=at("09:01"))
    assert AgentState.objects.filter(agent=agent).count() == 1


def test_break_states_cannot_be_set_as_working_states(floor: Floor) -> None:
    with pytest.raises(DomainError):
        services.state_change(actor=floor.agents[0], state=State.MEAL, at=at("09:00"))
    assert not AgentState.objects.exists()


def test_special_break_needs_no_approval_and_keeps_the_reason(floor: Floor) -> None:
    agent = floor.agents[0]
    services.state_change(actor=agent, state=State.AVAILABLE, at=at("09:00"))
    row = services.break_start(actor=agent, kind="special", reason="身体不适", at=at("09:30"))
    assert row.state == State.SPECIAL_BREAK
    assert row.reason == "身体不适"
    assert list(selectors.special_breaks_for(floor.lead, day=DAY)) == [row]
    assert list(selectors.special_breaks_for(agent, day=DAY)) == [row]
    assert not selectors.special_breaks_for(floor.agents[1], day=DAY).exists()


def test_break_while_on_break_is_refused_without_a_new_row(floor: Floor) -> None:
    agent = floor.agents[0]
    services.break_start(actor=agent, kind="special", at=at("09:30"))
    with pytest.raises(ConflictError) as refused:
        services.break_start(actor=agent, kind="meal", at=at("09:35"))
    assert refused.value.code == "already_on_break"
    assert refused.value.code == "already_on_break"
    assert "您已在休息中" in refused.value.text()
    assert AgentState.objects.filter(agent=agent).count() == 1


def test_ending_a_break_when_not_on_one_is_refused(floor: Floor) -> None:
    with pytest.raises(ConflictError) as refused:
        services.break_end(actor=floor.agents[0], at=at("09:00"))
    assert refused.value.code == "not_on_break"


def test_scheduled_break_comes_from_the_published_schedule(floor: Floor) -> None:
    agent = floor.agents[0]
    publish_shifts(floor.team, [(agent, "09:00", "18:00", [("break", "10:30", "10:45")])])
    row = services.break_start(actor=agent, kind="scheduled", at=at("10:25"))
    assert row.state == State.SCHEDULED_BREAK
    assert row.planned_start == at("10:30")
    back = services.break_end(actor=agent, at=at("10:45"))
    assert back.state == State.AVAILABLE


def test_scheduled_break_with_nothing_planned_becomes_a_special_break(floor: Floor) -> None:
    agent = floor.agents[0]
    publish_shifts(floor.team, [(agent, "09:00", "18:00", [("break", "15:30", "15:45")])])
    row = services.break_start(actor=agent, kind="scheduled", at=at("10:25"))
    assert row.state == State.SPECIAL_BREAK


def test_meal_is_linked_to_the_planned_meal(floor: Floor) -> None:
    agent = floor.agents[0]
    publish_shifts(floor.team, [(agent, "09:00", "18:00", [("meal", "12:00", "12:30")])])
    row = services.break_start(actor=agent, kind="meal", at=at("12:02"))
    assert row.state == State.MEAL
    assert row.planned_activity_id is not None
