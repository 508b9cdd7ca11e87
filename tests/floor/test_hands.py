"""Raise a hand: one open hand per agent, the lead acknowledges and closes, time to help."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.roles import Role
from kefu.floor import selectors, services
from kefu.floor.models import RaisedHand
from tests.core.factories import make_staff
from tests.floor.builders import Floor, at, make_floor


def test_raise_acknowledge_close_measures_time_to_help(floor: Floor) -> None:
    agent = floor.agents[0]
    hand = services.hand_raise(actor=agent, note="客户要求退款超权限", at=at("10:00"))
    assert list(selectors.hands_open_for(floor.lead)) == [hand]

    services.hand_acknowledge(actor=floor.lead, hand=hand, at=at("10:01"))
    closed = services.hand_close(actor=floor.lead, hand=hand, at=at("10:05"))

    assert closed.seconds_to_help == 60
    assert closed.closed_by == floor.lead
    assert not selectors.hands_open_for(floor.lead).exists()


def test_second_open_hand_is_refused_with_one_row(floor: Floor) -> None:
    agent = floor.agents[0]
    services.hand_raise(actor=agent, at=at("10:00"))
    with pytest.raises(ConflictError) as refused:
        services.hand_raise(actor=agent, at=at("10:00"))
    assert refused.value.code == "hand_already_raised"
    assert refused.value.code == "hand_already_raised"
    assert "举手" in refused.value.text()
    assert RaisedHand.objects.filter(agent=agent).count() == 1


def test_database_refuses_a_second_open_hand(floor: Floor) -> None:
    agent = floor.agents[0]
    RaisedHand.objects.create(agent=agent, raised_at=at("10:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RaisedHand.objects.create(agent=agent, raised_at=at("10:00"))


def test_a_closed_hand_lets_the_agent_raise_again(floor: Floor) -> None:
    agent = floor.agents[0]
    first = services.hand_raise(actor=agent, at=at("10:00"))
    services.hand_close(actor=agent, hand=first, at=at("10:02"))
    second = services.hand_raise(actor=agent, at=at("10:03"))
    assert second.pk != first.pk
    assert first.seconds_to_help is None  # lowered by the agent: nobody came


def test_lead_closing_without_acknowledging_counts_the_close_as_help(floor: Floor) -> None:
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    closed = services.hand_close(actor=floor.lead, hand=hand, at=at("10:03"))
    assert closed.seconds_to_help == 180


def test_lead_of_another_team_cannot_acknowledge(floor: Floor) -> None:
    other = make_floor(team_name="热线二组")
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    with pytest.raises(PermissionDeniedError):
        services.hand_acknowledge(actor=other.lead, hand=hand, at=at("10:01"))
    hand.refresh_from_db()
    assert hand.acknowledged_at is None
    assert not selectors.hands_open_for(other.lead).exists()


def test_agent_cannot_acknowledge_a_colleague(floor: Floor) -> None:
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    with pytest.raises(PermissionDeniedError):
        services.hand_acknowledge(actor=floor.agents[1], hand=hand, at=at("10:01"))


def test_closing_twice_is_refused(floor: Floor) -> None:
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    services.hand_close(actor=floor.lead, hand=hand, at=at("10:01"))
    with pytest.raises(ConflictError):
        services.hand_close(actor=floor.lead, hand=hand, at=at("10:02"))


def test_floor_watcher_sees_every_team(floor: Floor) -> None:
    analyst = make_staff(role=Role.REALTIME_ANALYST)
    other = make_floor(team_name="热线二组")
    services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    services.hand_raise(actor=other.agents[0], at=at("10:01"))
    assert selectors.hands_open_for(analyst).count() == 2
    assert selectors.hands_open_for(floor.lead).count() == 1
