from __future__ import annotations

import pytest

from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.cases.builders import nine_to_six_team
from tests.core.factories import make_department, make_staff


@pytest.fixture
def team(db: None) -> Team:
    return nine_to_six_team(make_department())


@pytest.fixture
def desk_agent(team: Team) -> User:
    return make_staff(username="agent.wang", role=Role.AGENT, team=team, department=team.department)


@pytest.fixture
def desk_lead(team: Team) -> User:
    return make_staff(
        username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=team.department
    )


@pytest.fixture
def desk_manager(team: Team) -> User:
    return make_staff(
        username="manager.chen", role=Role.DEPARTMENT_MANAGER, team=team, department=team.department
    )


@pytest.fixture
def engineering(db: None) -> Team:
    department = make_department(name="工程部", code="engineering")
    return nine_to_six_team(department)
