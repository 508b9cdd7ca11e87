from __future__ import annotations

import pytest

from kefu.cases import services as desk
from kefu.cases.models import Case
from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.cases.builders import at, make_contact, nine_to_six_team, open_case
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
def inspector(team: Team) -> User:
    return make_staff(
        username="qa.sun", role=Role.QA_INSPECTOR, team=team, department=team.department
    )


@pytest.fixture
def desk_manager(team: Team) -> User:
    return make_staff(
        username="manager.chen",
        role=Role.DEPARTMENT_MANAGER,
        team=team,
        department=team.department,
    )


def resolved_case(
    agent: User, *, when: str = "2026-11-16 10:00", language: str = "zh-hans"
) -> Case:
    """A case opened, answered by ``agent`` and resolved an hour later."""
    case = open_case(when=when, owner=agent, contact=make_contact(language=language))
    desk.case_reply(actor=agent, case=case, body="您好，非常抱歉，师傅明天上门。", at=at(when))
    case.refresh_from_db()
    later = at(when).replace(hour=at(when).hour + 1)
    desk.case_set_status(actor=agent, case=case, status=Case.Status.RESOLVED, at=later)
    case.refresh_from_db()
    return case
