"""The QA inspector reads the cases it scores: the case page opens from the
scorecard in read-only form, and every action on it is refused in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case, Message
from kefu.core.models import User
from kefu.core.roles import Role
from tests.cases.builders import nine_to_six_team, open_case
from tests.core.factories import make_department, make_staff

NOW = "2026-03-10 10:00+08:00"


@pytest.fixture
def world(db: None) -> tuple[User, Case]:
    department = make_department()
    team = nine_to_six_team(department)
    agent = make_staff(role=Role.AGENT, team=team, department=department)
    with time_machine.travel(NOW, tick=False):
        case = open_case(when=NOW, owner=agent, team=team, body="楼下说天花板有水渍，请尽快处理。")
    qa = make_staff(role=Role.QA_INSPECTOR, team=team, department=department, language="en")
    return qa, case


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_qa_inspector_opens_the_case_from_the_scorecard_read_only(
    world: tuple[User, Case], language: str
) -> None:
    qa, case = world
    qa.language = language
    qa.save(update_fields=["language"])
    client = _client(qa)
    scorecard = client.get(reverse("quality:qa_case", args=[case.pk]))
    assert scorecard.status_code == 200
    link = reverse("cases:case", args=[case.pk])
    assert f'href="{link}"' in scorecard.content.decode()

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="thread"' in html
    assert "楼下说天花板有水渍" in html
    assert 'data-testid="read-only"' in html
    for action in ("reply", "note", "status", "take", "commit", "escalate", "compensate"):
        assert reverse(f"cases:{action}", args=[case.pk]) not in html, action
    assert 'name="body"' not in html


def test_agent_still_sees_the_reply_form(world: tuple[User, Case]) -> None:
    _qa, case = world
    page = _client(case.owner).get(reverse("cases:case", args=[case.pk]))  # type: ignore[arg-type]
    html = page.content.decode()
    assert reverse("cases:reply", args=[case.pk]) in html
    assert 'data-testid="read-only"' not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Working cases (replies, notes, status changes) is for agents"), ("zh-hans", None)],
)
def test_qa_inspector_reply_is_refused_in_words(
    world: tuple[User, Case], language: str, words: str | None
) -> None:
    qa, case = world
    qa.language = language
    qa.save(update_fields=["language"])
    client = _client(qa)
    before = Message.objects.filter(case=case).count()
    for action in ("reply", "note", "status"):
        response = client.post(
            reverse(f"cases:{action}", args=[case.pk]),
            {"body": "我来回复", "status": "resolved", "version": case.version},
        )
        assert response.status_code == 403, action
        html = response.content.decode()
        assert "work_cases" not in html
        assert "not_allowed" not in html
        assert "Ask an administrator if you need it." in html or language != "en"
        if words:
            assert words in html
    assert Message.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert case.status != "resolved"


def test_qa_inspector_api_reply_refused_with_code_and_words(
    world: tuple[User, Case], bearer_for: Callable[[User], dict[str, str]]
) -> None:
    qa, case = world
    response = Client().post(
        f"/api/v1/cases/{case.pk}/replies",
        {"body": "我来回复", "version": case.version},
        content_type="application/json",
        headers=bearer_for(qa),
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_allowed"
    assert body["message"].startswith("Working cases (replies, notes, status changes)")
    assert "work_cases" not in body["message"]


def test_real_time_analyst_still_refused_the_case_page(world: tuple[User, Case]) -> None:
    _qa, case = world
    analyst = make_staff(role=Role.REALTIME_ANALYST, language="en")
    response = _client(analyst).get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 403
    assert "Working cases" in response.content.decode()


def test_confidential_case_stays_hidden_from_an_inspector_elsewhere(
    world: tuple[User, Case],
) -> None:
    _qa, case = world
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    outsider = make_staff(
        role=Role.QA_INSPECTOR, department=make_department(name="工程部", code="eng")
    )
    assert _client(outsider).get(reverse("cases:case", args=[case.pk])).status_code == 404
