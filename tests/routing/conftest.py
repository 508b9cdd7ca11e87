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
def team_lead(team: Team) -> User:
    return make_staff(
        username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=team.department
    )
