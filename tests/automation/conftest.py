from __future__ import annotations

import pytest

from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.cases.builders import nine_to_six_team
from tests.core.factories import make_department, make_staff


@pytest.fixture
def service_team(db: None) -> Team:
    return nine_to_six_team(make_department())


@pytest.fixture
def engineering_team(db: None) -> Team:
    department = make_department(name="工程部", code="engineering")
    team, _created = Team.objects.get_or_create(department=department, name="工程一组")
    return team


@pytest.fixture
def admin(service_team: Team) -> User:
    return make_staff(
        username="admin.sun",
        role=Role.ADMINISTRATOR,
        team=service_team,
        department=service_team.department,
    )


@pytest.fixture
def desk_manager(service_team: Team) -> User:
    return make_staff(
        username="manager.chen",
        role=Role.DEPARTMENT_MANAGER,
        team=service_team,
        department=service_team.department,
    )


@pytest.fixture
def desk_agent(service_team: Team) -> User:
    return make_staff(
        username="agent.wang",
        role=Role.AGENT,
        team=service_team,
        department=service_team.department,
    )
