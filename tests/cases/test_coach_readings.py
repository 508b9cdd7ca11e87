"""The coach panel of a draft shows acknowledgement, restatement and order as suggestions."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from kefu.core.models import Team, User
from tests.cases.builders import open_case

CUSTOMER = "我的包裹显示已签收，但是我根本没收到包裹，快递员也联系不上"


def test_a_bare_draft_gets_suggestions_not_flags(
    team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-23 10:00", body=CUSTOMER, team=team)
    html = (
        client_for(desk_agent)
        .post(reverse("cases:coach", args=[case.pk]), {"body": "请稍等。"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'data-testid="coach-suggestions"' in html
    for code in ("acknowledgement", "restatement", "order"):
        assert f'<li data-reading="{code}">' in html
        # A suggestion is never a flag with a mark in the draft.
        assert f'data-code="{code}"' not in html
    assert "是的，我明白您的意思。" in html


def test_a_draft_that_listens_and_keeps_order_has_nothing_to_suggest(
    team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-23 10:00", body=CUSTOMER, team=team)
    draft = (
        "嗯，我明白您的意思。包裹显示签收但您没收到，快递员也联系不上，对吗？"
        "原因是快递员误点了签收。我们可以为您重新派送。步骤：第一步，我今天联系快递站。"
    )
    html = (
        client_for(desk_agent)
        .post(reverse("cases:coach", args=[case.pk]), {"body": draft})
        .content.decode()
    )
    assert 'data-testid="coach-readings"' in html
    assert 'data-testid="coach-suggestions"' not in html
    assert html.count('class="badge ok" data-reading=') == 3


def test_an_empty_draft_shows_no_readings(
    team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-23 10:00", body=CUSTOMER, team=team)
    html = client_for(desk_agent).post(reverse("cases:coach", args=[case.pk]), {"body": ""})
    assert 'data-testid="coach-readings"' not in html.content.decode()
