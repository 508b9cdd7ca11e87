"""Routing through intake (the case hook) and the retry clock, clock pinned: a leak
e-mail from a key account goes to the least loaded agent on shift with the skill; with
nobody on shift it waits with a reason and goes when an agent starts; round robin
rotates; channel capacity holds; a returning customer goes back to their agent;
breaks and leave exclude; threats go to the lead."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.cases import services as case_services
from kefu.cases.events import event_text
from kefu.cases.models import Case, CaseEvent
from kefu.core import clock
from kefu.core.models import ScheduledJob, Team, User
from kefu.floor.models import AgentState
from kefu.routing.clocks import RETRY_JOB
from kefu.routing.models import CaseRouting
from kefu.routing.services import Outcome, route_case
from tests.cases.builders import at, make_contact
from tests.routing.builders import (
    DAY,
    agent_in,
    holding,
    in_state,
    key_account_contact,
    on_leave,
    on_shift,
    open_email,
    routed,
    skill,
    working,
)

pytestmark = pytest.mark.django_db


def _owner(case: Case) -> User | None:
    return Case.objects.get(pk=case.pk).owner


def _events(case: Case, kind: str) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("at", "pk"))


def _tick(when: str) -> None:
    """The clock loop at ``when`` (its recurring retry row made due first)."""
    now = at(f"{DAY} {when}")
    clock.ensure_recurring(now=now)
    ScheduledJob.objects.filter(key=RETRY_JOB).update(due_at=now)
    clock.tick(now=now)


def test_leak_email_from_key_account_goes_to_least_loaded_on_shift_agent_with_the_skill(
    team: Team,
) -> None:
    routed(team, method="skills_first")
    busy, free, unskilled, off = (agent_in(team, n) for n in ("wang", "li", "zhou", "sun"))
    for person in (busy, free, unskilled):
        working(person)
    for person in (busy, free, off):
        skill(person, "topic", "漏水")
    skill(free, "tier", "key")
    skill(busy, "tier", "key")
    holding(busy, team, 3)
    holding(free, team, 1)

    case = open_email(team, when="10:00", contact=key_account_contact())

    assert _owner(case) == free
    (event,) = _events(case, "routed")
    assert event.data["code"] == "skilled"
    assert event.data["count"] == 2
    assert sorted(map(tuple, event.data["skills"])) == [("tier", "key"), ("topic", "漏水")]
    with translation.override("zh-hans"):
        # Labels read in the reader's language: 重点客户 is the key-account tier.
        zh = event_text(event)
        assert "重点客户" in zh
        assert "漏水" in zh
        assert str(free) in zh
    with translation.override("en"):
        assert event_text(event) == (
            f"Routed: Least loaded among 2 with Key account, 漏水 skill: to {free}"
        )


def test_nobody_on_shift_waits_with_a_reason_and_is_routed_when_an_agent_starts(
    team: Team,
) -> None:
    routed(team, method="skills_first", fallback_minutes=120)
    english = agent_in(team, "amy")
    skill(english, "language", "en")
    on_shift(english, start="11:00", end="18:00")

    case = open_email(team, when="10:00", contact=make_contact(language="en"), subject="Leak")

    assert _owner(case) is None
    row = CaseRouting.objects.get(case=case)
    assert (row.status, row.reason) == ("waiting", "nobody_on_shift")
    (waiting,) = _events(case, "routing_waiting")
    with translation.override("en"):
        assert event_text(waiting) == "Waiting in the team queue: nobody on shift"

    _tick("10:01")  # still nobody: the reason is not repeated on the timeline
    assert _owner(case) is None
    assert len(_events(case, "routing_waiting")) == 1

    in_state(english, AgentState.State.AVAILABLE, since="11:00")
    _tick("11:01")

    assert _owner(case) == english
    assert CaseRouting.objects.get(case=case).status == "routed"
    assert _events(case, "routed")[0].data["code"] == "skilled"


def test_no_agent_with_the_language_waits_naming_it_then_falls_back_to_the_team(
    team: Team,
) -> None:
    routed(team, method="skills_first", fallback_minutes=10)
    amy, li = agent_in(team, "amy"), agent_in(team, "li")
    skill(amy, "language", "en")
    on_shift(amy)  # on shift but not signed in
    working(li)

    case = open_email(team, when="10:00", contact=make_contact(language="en"), subject="Leak")

    row = CaseRouting.objects.get(case=case)
    assert row.reason == "no_skill"
    with translation.override("zh-hans"):
        assert "英语" in event_text(_events(case, "routing_waiting")[0])
    with translation.override("en"):
        assert event_text(_events(case, "routing_waiting")[0]) == (
            "Waiting in the team queue: no agent with English on shift"
        )

    _tick("10:05")
    assert _owner(case) is None
    _tick("10:11")  # past the 10 minutes: the whole team

    assert _owner(case) == li
    event = _events(case, "routed")[0]
    assert (event.data["code"], event.data["minutes"]) == ("fallback", 10)


def test_round_robin_rotates_among_available_agents(team: Team) -> None:
    routed(team, method="round_robin")
    first, second, third = (working(agent_in(team, n)) for n in ("a1", "a2", "a3"))

    owners = [_owner(open_email(team, when=f"10:0{i}")) for i in range(4)]

    assert owners == [first, second, third, first]


def test_capacity_per_channel_is_respected(team: Team) -> None:
    routed(team, method="least_loaded", channel_capacity={"chat": 3, "email": 10})
    full, other = working(agent_in(team, "full")), working(agent_in(team, "other"))
    holding(full, team, 3, channel="chat")
    holding(other, team, 5, channel="email")  # more load, but room for chat

    chat = open_email(team, when="10:00", channel="chat", subject="在线咨询")
    assert _owner(chat) == other

    holding(other, team, 2, channel="chat")
    second = open_email(team, when="10:05", channel="chat", subject="在线咨询")
    assert _owner(second) is None
    row = CaseRouting.objects.get(case=second)
    assert row.reason == "at_capacity"
    with translation.override("en"):
        assert event_text(_events(second, "routing_waiting")[0]) == (
            "Waiting in the team queue: all 2 available agents are at capacity for Chat"
        )


def test_a_returning_customer_goes_back_to_the_agent_who_served_them_last(team: Team) -> None:
    routed(team, method="least_loaded", sticky_days=7)
    served, idle = working(agent_in(team, "served")), working(agent_in(team, "idle"))
    holding(served, team, 2)
    contact = make_contact()
    earlier = open_email(team, when="08:00", contact=contact)
    Case.objects.filter(pk=earlier.pk).update(owner=served, status="resolved")

    again = open_email(team, when="10:00", contact=contact)

    assert _owner(again) == served
    assert _events(again, "routed")[0].data["code"] == "sticky_last"
    assert idle != served


def test_a_reopened_case_without_owner_is_routed(team: Team) -> None:
    routed(team, method="least_loaded")
    agent = working(agent_in(team, "li"))
    case = open_email(team, when="08:00")  # nobody on shift at 08:00
    assert _owner(case) is None
    Case.objects.filter(pk=case.pk).update(status="resolved")
    CaseRouting.objects.filter(case=case).update(status="done")

    case_services.message_receive(
        case=Case.objects.get(pk=case.pk),
        contact=case.contact,
        body="还是漏水。",
        channel="email",
        at=at(f"{DAY} 10:00"),
    )

    assert _owner(case) == agent


def test_agents_on_a_break_or_on_leave_receive_nothing(team: Team) -> None:
    routed(team, method="least_loaded")
    resting, sick, signed_out = (agent_in(team, n) for n in ("rest", "sick", "out"))
    working(resting)
    in_state(resting, AgentState.State.MEAL, since="09:50")
    working(sick)
    on_leave(sick)
    on_shift(signed_out)

    case = open_email(team, when="10:00")

    assert _owner(case) is None
    row = CaseRouting.objects.get(case=case)
    assert row.reason == "nobody_available"
    with translation.override("en"):
        assert event_text(_events(case, "routing_waiting")[0]) == (
            "Waiting in the team queue: nobody on shift is free "
            "(1 on a break, 1 on leave, 1 signed out)"
        )

    in_state(resting, AgentState.State.AVAILABLE, since="10:30")
    _tick("10:31")
    assert _owner(case) == resting


def test_a_threatening_customer_goes_to_the_team_lead(team: Team, team_lead: User) -> None:
    routed(team, method="least_loaded")
    working(agent_in(team, "li"))

    case = open_email(
        team, when="10:00", subject="投诉", body="再不处理我就去12345投诉你们，还要找媒体曝光！"
    )

    assert _owner(case) == team_lead
    assert _events(case, "routed")[0].data["code"] == "lead"


def test_an_owned_case_or_an_unrouted_team_is_left_alone(team: Team) -> None:
    agent = working(agent_in(team, "li"))
    case = open_email(team, when="10:00")
    assert _owner(case) is None  # the team has no routing
    assert not CaseRouting.objects.filter(case=case).exists()

    routed(team)
    Case.objects.filter(pk=case.pk).update(owner=agent)
    assert route_case(case, at=at(f"{DAY} 10:05")).outcome == Outcome.SKIPPED
    assert not CaseEvent.objects.filter(case=case, kind="routed").exists()


def test_routing_a_new_case_costs_a_handful_of_queries(
    team: Team, django_assert_max_num_queries: object
) -> None:
    routed(team, method="skills_first")
    for n in range(5):
        skill(working(agent_in(team, f"a{n}")), "topic", "漏水")
    case = open_email(team, when="08:00")  # waits: nobody on shift before 09:00
    assert _owner(case) is None

    with django_assert_max_num_queries(11):  # type: ignore[operator]
        result = route_case(case, at=at(f"{DAY} 10:00"))

    assert result.is_routed
