"""A refusal stays flagged unless an alternative is offered in the same sentence
(docs/assist.md): a timed commitment in a later sentence does not excuse it, on
the case page's coach and in the QA pre-score of positive language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kefu.assist.engine import coach_draft
from kefu.cases import services
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.quality.services import qa_pre_scores
from tests.cases.builders import at, only_policy, open_case
from tests.core.factories import make_staff

REFUSAL_THEN_TIME = "这个我们做不到。我们会在明天下午5点前给您回复。"
REFUSAL_WITH_ALTERNATIVE = "这个我们做不到，但可以帮您申请补偿。"


def _codes(text: str) -> list[str]:
    return [flag.code for flag in coach_draft(text).flags]


@pytest.mark.parametrize(
    "text",
    [
        "这个我们做不到。",
        REFUSAL_THEN_TIME,
        "这个我们做不到。明天下午3点前给您答复。",
    ],
)
def test_a_refusal_is_flagged_whatever_time_a_later_sentence_promises(text: str) -> None:
    assert "negative_phrasing" in _codes(text)


def test_an_alternative_in_the_same_sentence_excuses_the_refusal() -> None:
    assert "negative_phrasing" not in _codes(REFUSAL_WITH_ALTERNATIVE)


@pytest.mark.django_db
def test_the_case_page_coach_flags_the_refusal_before_a_timed_promise(
    team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    only_policy(first=240, cadence=None, resolution=2400)
    case = open_case(when="2026-11-23 10:00", team=team)
    client = client_for(desk_agent)

    flagged = client.post(reverse("cases:coach", args=[case.pk]), {"body": REFUSAL_THEN_TIME})
    excused = client.post(
        reverse("cases:coach", args=[case.pk]), {"body": REFUSAL_WITH_ALTERNATIVE}
    )

    assert flagged.status_code == 200
    assert 'data-code="negative_phrasing"' in flagged.content.decode()
    assert 'data-code="negative_phrasing"' not in excused.content.decode()


@pytest.mark.django_db
def test_the_qa_pre_score_follows_the_coach_flags(
    team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    only_policy(first=240, cadence=None, resolution=2400)
    inspector = make_staff(
        username="qa.li", role=Role.QA_INSPECTOR, team=team, department=team.department
    )
    refused = open_case(when="2026-11-23 10:00", team=team, owner=desk_agent)
    services.case_reply(
        actor=desk_agent, case=refused, body=REFUSAL_THEN_TIME, at=at("2026-11-23 10:10")
    )
    offered = open_case(when="2026-11-23 10:00", team=team, owner=desk_agent)
    services.case_reply(
        actor=desk_agent, case=offered, body=REFUSAL_WITH_ALTERNATIVE, at=at("2026-11-23 10:10")
    )

    # One negative phrasing: 5 − 1.
    assert qa_pre_scores(refused)["positive_language"] == 4
    assert qa_pre_scores(offered)["positive_language"] == 5
    page = client_for(inspector).get(reverse("quality:qa_case", args=[refused.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="4" id="id_c_positive_language_3"' in html
    checked = html.split('value="4" id="id_c_positive_language_3"')[1].split(">")[0]
    assert "checked" in checked
