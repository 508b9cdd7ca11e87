"""Routing through its pages and API: a lead sets the team's routing and an agent's
skills, sees the waiting cases with their reason; the case panel shows what the case
needs and why it waits; requirements set by hand route the case; agents are refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case
from kefu.core.models import Team, User
from kefu.routing.models import AgentSkill, CaseRouting, TeamRouting
from tests.cases.builders import at, make_contact
from tests.routing.builders import DAY, agent_in, in_state, on_shift, open_email, routed, working

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
BearerFor = Callable[[User], dict[str, str]]


def english(user: User) -> User:
    """Pages read in the signed-in user's language."""
    User.objects.filter(pk=user.pk).update(language="en")
    user.language = "en"
    return user


def test_a_lead_saves_the_team_routing_on_the_page(
    team: Team, team_lead: User, client_for: ClientFor
) -> None:
    client = client_for(team_lead)
    url = reverse("routing:team", args=[team.pk])
    assert client.get(url).status_code == 200

    with time_machine.travel(at(f"{DAY} 09:00"), tick=False):
        response = client.post(
            url,
            {
                "is_enabled": "on",
                "method": "least_loaded",
                "fallback_minutes": "15",
                "require_shift": "on",
                "sticky_days": "3",
                "capacity": "12",
                "cap_chat": "3",
                "cap_email": "10",
            },
        )

    assert response.status_code == 302
    row = TeamRouting.objects.get(team=team)
    assert (row.method, row.fallback_minutes, row.sticky_days, row.capacity) == (
        "least_loaded",
        15,
        3,
        12,
    )
    assert row.channel_capacity == {"chat": 3, "email": 10}


def test_a_lead_gives_an_agent_a_skill_and_a_bad_one_is_refused_in_words(
    team: Team, team_lead: User, client_for: ClientFor
) -> None:
    agent = agent_in(team, "li")
    client = client_for(english(team_lead))
    url = reverse("routing:skill_add", args=[team.pk])

    ok = client.post(
        url, {"agent": agent.pk, "free_kind": "topic", "free_value": "漏水", "level": 2}
    )
    listed = client.post(url, {"agent": agent.pk, "skill": "language:en", "level": 3})
    refused = client.post(url, {"agent": agent.pk, "level": 1})

    assert (ok.status_code, listed.status_code) == (302, 302)
    assert set(AgentSkill.objects.values_list("kind", "value", "level")) == {
        ("topic", "漏水", 2),
        ("language", "en", 3),
    }
    assert refused.status_code == 422
    assert "Pick a skill from the list or type a region or topic." in refused.content.decode()
    page = client.get(reverse("routing:team", args=[team.pk])).content.decode()
    assert "漏水" in page
    assert "English" in page


def test_the_routing_page_lists_waiting_cases_with_their_reason(
    team: Team, team_lead: User, client_for: ClientFor
) -> None:
    routed(team, method="least_loaded")
    case = open_email(team, when="08:00")  # before anyone's shift

    page = client_for(english(team_lead)).get(reverse("routing:index")).content.decode()

    assert case.reference in page
    assert "Waiting in the team queue: the team has no agents" in page


def test_the_case_panel_shows_the_needs_and_why_the_case_waits(
    team: Team, team_lead: User, client_for: ClientFor
) -> None:
    routed(team, method="skills_first", fallback_minutes=60)
    amy = agent_in(team, "amy")
    AgentSkill.objects.create(agent=amy, kind="language", value="en", updated_at=at(f"{DAY} 08:00"))
    on_shift(amy, start="12:00")
    case = open_email(team, when="10:00", contact=make_contact(language="en"), subject="Leak")

    panel = client_for(english(team_lead)).get(reverse("routing:case_panel", args=[case.pk]))

    text = panel.content.decode()
    assert panel.status_code == 200
    assert "Language: English (level 1)" in text
    assert "Waiting in the team queue: nobody on shift" in text


def test_requirements_set_by_hand_route_the_case_at_once(
    team: Team, team_lead: User, client_for: ClientFor
) -> None:
    routed(team, method="skills_first", fallback_minutes=60)
    plumber, other = working(agent_in(team, "plumber")), working(agent_in(team, "other"))
    AgentSkill.objects.create(
        agent=plumber, kind="topic", value="管道", updated_at=at(f"{DAY} 08:00")
    )
    in_state(plumber, "meeting", since="09:30")
    case = open_email(team, when="10:00", subject="咨询", body="想问一下")
    assert Case.objects.get(pk=case.pk).owner == other  # no requirement: least loaded
    Case.objects.filter(pk=case.pk).update(owner=None)
    in_state(plumber, "available", since="10:10")

    with time_machine.travel(at(f"{DAY} 10:15"), tick=False):
        response = client_for(team_lead).post(
            reverse("routing:case_requirements", args=[case.pk]),
            {"op": "add", "free_kind": "topic", "free_value": "管道", "level": 1},
        )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).owner == plumber
    row = CaseRouting.objects.get(case=case)
    assert row.is_manual
    assert row.requirements == [{"kind": "topic", "value": "管道", "level": 1}]


def test_the_api_reads_and_changes_team_routing_and_skills(
    team: Team, team_lead: User, bearer_for: BearerFor
) -> None:
    agent = agent_in(team, "li")
    client = Client()
    headers = bearer_for(team_lead)

    saved = client.put(
        f"/api/v1/routing/teams/{team.pk}",
        {"method": "round_robin", "channel_capacity": {"chat": 2}},
        content_type="application/json",
        headers=headers,
    )
    skill = client.post(
        "/api/v1/routing/skills",
        {"agent": agent.username, "kind": "tier", "value": "key", "level": 2},
        content_type="application/json",
        headers=headers,
    )
    bad = client.post(
        "/api/v1/routing/skills",
        {"agent": agent.username, "kind": "tier", "value": "gold"},
        content_type="application/json",
        headers=headers,
    )
    listed = client.get(f"/api/v1/routing/teams/{team.pk}/skills", headers=headers)

    assert saved.status_code == 200
    assert saved.json()["method"] == "round_robin"
    assert saved.json()["channel_capacity"] == {"chat": 2}
    assert skill.status_code == 201
    assert bad.status_code == 400
    assert bad.json()["code"] == "unknown_skill_value"
    assert [(s["kind"], s["value"], s["level"]) for s in listed.json()] == [("tier", "key", 2)]


def test_the_api_shows_a_waiting_case_and_routes_it_on_request(
    team: Team, team_lead: User, bearer_for: BearerFor
) -> None:
    routed(team, method="least_loaded")
    case = open_email(team, when="08:00")
    agent = working(agent_in(team, "li"))
    client = Client()
    headers = bearer_for(team_lead)

    before = client.get(f"/api/v1/routing/cases/{case.pk}", headers=headers)
    with time_machine.travel(at(f"{DAY} 10:00"), tick=False):
        routed_now = client.post(f"/api/v1/routing/cases/{case.pk}/route", headers=headers)

    assert before.json()["status"] == "waiting"
    assert before.json()["reason_code"] == "no_agents"
    assert routed_now.json()["outcome"] == "routed"
    assert routed_now.json()["agent"] == agent.username


def test_an_agent_may_not_change_routing(
    team: Team, client_for: ClientFor, bearer_for: BearerFor
) -> None:
    agent = agent_in(team, "li")
    routed(team, method="least_loaded")

    page = client_for(agent).post(
        reverse("routing:team", args=[team.pk]), {"method": "round_robin", "capacity": "5"}
    )
    api = Client().put(
        f"/api/v1/routing/teams/{team.pk}",
        {"method": "round_robin"},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert page.status_code == 403
    assert api.status_code == 403
    assert TeamRouting.objects.get(team=team).method == "least_loaded"


def test_a_lead_of_another_team_does_not_see_this_team(team: Team, client_for: ClientFor) -> None:
    from kefu.core.roles import Role
    from tests.core.factories import make_staff, make_team

    other_team = make_team(department=team.department, name="热线二组")
    other_lead = make_staff(role=Role.TEAM_LEAD, team=other_team, department=team.department)

    response = client_for(other_lead).get(reverse("routing:team", args=[team.pk]))

    assert response.status_code == 404
