"""The rule builder offers teams and people by name; the stored rule keeps their ids."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.automation.models import Rule
from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db

NEW = "/automation/rules/new/?kind=trigger"


@pytest.fixture
def colleague(service_team: Team) -> User:
    person = make_staff(username="agent.li", team=service_team, department=service_team.department)
    person.display_name = "李娜"
    person.save(update_fields=["display_name"])
    return person


def test_builder_lists_team_names_and_active_people_by_name(
    desk_manager: User,
    service_team: Team,
    engineering_team: Team,
    colleague: User,
    client_for: Callable[[User], Client],
) -> None:
    gone = make_staff(username="agent.gone", team=service_team, department=service_team.department)
    gone.display_name = "已离职的人"
    gone.is_active = False
    gone.save(update_fields=["display_name", "is_active"])

    page = client_for(desk_manager).get(NEW).content.decode()

    assert f'<option value="{service_team.pk}">{service_team}</option>' in page
    assert f'<option value="{engineering_team.pk}">{engineering_team}</option>' in page
    assert f'<option value="{colleague.pk}">李娜 · {service_team.name}</option>' in page
    assert f'<option value="team:{service_team.pk}">' in page
    assert f'<option value="user:{colleague.pk}">' in page
    assert "已离职的人" not in page
    # Recipients and fields read as words, not codes.
    assert ">owner<" not in page
    assert ">team_lead<" not in page


def test_picked_names_are_stored_as_ids_and_shown_again_as_picked(
    desk_manager: User,
    service_team: Team,
    engineering_team: Team,
    colleague: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(desk_manager)

    response = client.post(
        NEW,
        {
            "name": "工程部接手",
            "events": ["case_opened"],
            "match": "all",
            "cond_field": ["case.team"],
            "cond_op": ["eq"],
            "cond_pick": [f"team:{service_team.pk}"],
            "cond_value": [""],
            "action_type": ["assign_team", "assign_person", "add_watchers", "add_watchers"],
            "action_field": ["", "", "", ""],
            "action_team": [str(engineering_team.pk), "", "", ""],
            "action_person": ["", str(colleague.pk), str(colleague.pk), str(desk_manager.pk)],
            "action_value": ["", "", "", ""],
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()
    rule = Rule.objects.get()
    assert rule.conditions == {
        "match": "all",
        "rules": [{"field": "case.team", "op": "eq", "value": service_team.pk}],
    }
    assert rule.actions == [
        {"type": "assign_team", "team": engineering_team.pk},
        {"type": "assign_person", "user": colleague.pk},
        {"type": "add_watchers", "users": [colleague.pk, desk_manager.pk]},
    ]
    page = client.get(f"/automation/rules/{rule.pk}/").content.decode()
    assert f'<option value="{engineering_team.pk}" selected>{engineering_team}</option>' in page
    assert f'<option value="{colleague.pk}" selected>李娜 · {service_team.name}</option>' in page
    assert f'<option value="team:{service_team.pk}" selected>{service_team}</option>' in page


def test_a_person_picked_for_a_team_condition_is_refused_naming_the_field(
    desk_manager: User, colleague: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(desk_manager).post(
        NEW,
        {
            "name": "错配",
            "events": ["case_opened"],
            "cond_field": ["case.team"],
            "cond_op": ["eq"],
            "cond_pick": [f"user:{colleague.pk}"],
            "cond_value": [""],
            "action_type": ["note"],
            "action_value": ["x"],
        },
    )

    assert response.status_code == 422
    assert "conditions.rules[0]" in response.content.decode()
    assert not Rule.objects.exists()


def test_a_typed_id_still_works_without_a_pick(
    desk_manager: User, engineering_team: Team, client_for: Callable[[User], Client]
) -> None:
    response = client_for(desk_manager).post(
        NEW,
        {
            "name": "按编号",
            "events": ["case_opened"],
            "action_type": ["assign_team"],
            "action_value": [str(engineering_team.pk)],
        },
    )

    assert response.status_code == 302
    assert Rule.objects.get().actions == [{"type": "assign_team", "team": engineering_team.pk}]


def test_administrator_sees_people_of_every_department(
    service_team: Team, engineering_team: Team, client_for: Callable[[User], Client]
) -> None:
    admin = make_staff(
        username="admin.zhou",
        role=Role.ADMINISTRATOR,
        team=service_team,
        department=service_team.department,
    )
    engineer = make_staff(
        username="eng.qian", team=engineering_team, department=engineering_team.department
    )

    page = client_for(admin).get(NEW).content.decode()

    assert f'<option value="{engineer.pk}">{engineer} · {engineering_team.name}</option>' in page
