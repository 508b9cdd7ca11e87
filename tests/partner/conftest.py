"""Fixtures of the writing partner's tests: a fake OpenAI-compatible server the
settings point at (``llm``), and nothing configured by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from kefu.core.models import Team, User
from kefu.core.roles import Role
from tests.cases.builders import nine_to_six_team
from tests.core.factories import make_department, make_staff
from tests.partner.fake_llm import API_KEY, MODEL, FakeLLM, serve


@pytest.fixture(autouse=True)
def _partner_off(settings: Settings) -> None:
    settings.KEFU_LLM_BASE_URL = ""
    settings.KEFU_LLM_MODEL = ""
    settings.KEFU_LLM_API_KEY = ""


@pytest.fixture
def llm(settings: Settings) -> Iterator[FakeLLM]:
    with serve() as fake:
        settings.KEFU_LLM_BASE_URL = fake.base_url
        settings.KEFU_LLM_API_KEY = API_KEY
        settings.KEFU_LLM_MODEL = MODEL
        settings.KEFU_LLM_TIMEOUT_SECONDS = 2
        settings.KEFU_LLM_MONTHLY_TOKEN_BUDGET = 1_000_000
        yield fake


@pytest.fixture
def team(db: None) -> Team:
    return nine_to_six_team(make_department())


@pytest.fixture
def desk_agent(team: Team) -> User:
    # English: the partner's messages are read in English until the lead compiles
    # the Chinese catalogue (tests/partner read both languages where they can).
    return make_staff(
        username="agent.wang",
        role=Role.AGENT,
        team=team,
        department=team.department,
        language="en",
    )


@pytest.fixture
def desk_lead(team: Team) -> User:
    return make_staff(
        username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=team.department
    )


@pytest.fixture
def administrator(team: Team) -> User:
    return make_staff(
        username="admin.sun", role=Role.ADMINISTRATOR, team=team, department=team.department
    )
