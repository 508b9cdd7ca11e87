"""Refusals in words: each capability's sentence names exactly the roles that hold
it, and a 403 page and the API's 403 say it in the reader's language, never the
internal permission code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from kefu.core.models import User
from kefu.core.roles import PERM_REFUSALS, ROLE_PERMISSIONS, Perm, Role
from tests.core.factories import make_staff

PLURALS = {
    Role.AGENT: "agents",
    Role.TEAM_LEAD: "team leads",
    Role.QA_INSPECTOR: "QA inspectors",
    Role.REALTIME_ANALYST: "real-time analysts",
    Role.DEPARTMENT_MANAGER: "department managers",
}


def test_every_perm_has_a_sentence_naming_exactly_its_roles() -> None:
    assert set(PERM_REFUSALS) == set(Perm)
    with translation.override("en"):
        for perm, sentence in PERM_REFUSALS.items():
            text = str(sentence)
            for role, plural in PLURALS.items():
                assert (plural in text) == (perm in ROLE_PERMISSIONS[role]), (perm, role)
            if not any(perm in ROLE_PERMISSIONS[role] for role in PLURALS):
                assert "administrators" in text, perm


@pytest.fixture
def agent(db: None) -> User:
    return make_staff(role="agent", username="r.agent")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            "The audit log is for department managers and administrators. "
            "Ask your team lead or an administrator if you need it.",
        ),
        ("zh-hans", None),
    ],
)
def test_403_page_says_in_words_what_and_whom_to_ask(
    agent: User, language: str, words: str | None
) -> None:
    agent.language = language
    agent.save(update_fields=["language"])
    client = Client()
    client.force_login(agent)
    response = client.get("/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "view_audit" not in html
    assert "not_allowed" not in html
    assert "(%" not in html
    with translation.override(language):
        expected = str(PERM_REFUSALS[Perm.VIEW_AUDIT])
    assert expected in html
    if words:
        assert words in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_api_403_message_in_words_code_kept(
    agent: User, bearer_for: Callable[[User], dict[str, str]], language: str
) -> None:
    agent.language = language
    agent.save(update_fields=["language"])
    response = Client().get("/api/v1/audit", headers=bearer_for(agent))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_allowed"
    assert "view_audit" not in body["message"]
    with translation.override(language):
        assert body["message"].startswith(str(PERM_REFUSALS[Perm.VIEW_AUDIT]))
