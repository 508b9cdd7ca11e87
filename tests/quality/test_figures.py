"""Figures a manager can trust: a QA score goes to the agent who wrote the scored
replies, and a period with nothing to measure reads "—", never 0 %."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases import services as desk
from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.quality.charts import bars
from kefu.quality.models import QaScore
from tests.cases.builders import at, open_case
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
VALUES = {
    "listening": 4,
    "empathy": 4,
    "clarity": 4,
    "positive_language": 4,
    "commitments_kept": 4,
    "resolution": 4,
}


def _score_on_the_page(client: Client, case: Case) -> QaScore:
    data = {f"c_{code}": str(value) for code, value in VALUES.items()}
    data["feedback"] = "答复清楚。"
    response = client.post(reverse("quality:qa_case", args=[case.pk]), data)
    assert response.status_code == 302
    return QaScore.objects.get(case=case)


def test_a_qa_score_goes_to_the_author_of_the_scored_replies_not_the_owner_now(
    desk_agent: User, desk_lead: User, inspector: User, client_for: ClientFor
) -> None:
    colleague = make_staff(
        username="agent.li", role=Role.AGENT, team=desk_agent.team, department=desk_agent.department
    )
    case = open_case(when="2026-11-16 10:00", owner=desk_agent)
    desk.case_reply(actor=desk_agent, case=case, body="您好，已收到。", at=at("2026-11-16 10:05"))
    desk.case_reply(actor=desk_agent, case=case, body="师傅明天上门。", at=at("2026-11-16 10:30"))
    case.refresh_from_db()
    # The lead hands the case on; the colleague only adds a note.
    desk.case_assign(actor=desk_lead, case=case, owner=colleague, at=at("2026-11-16 11:00"))
    case.refresh_from_db()
    desk.case_note(actor=colleague, case=case, body="已接手。", at=at("2026-11-16 11:05"))

    score = _score_on_the_page(client_for(inspector), case)

    assert case.owner == colleague
    assert score.agent == desk_agent
    assert case.reference in client_for(desk_agent).get(reverse("quality:qa_mine")).content.decode()
    assert (
        case.reference not in client_for(colleague).get(reverse("quality:qa_mine")).content.decode()
    )


def test_a_shared_case_goes_to_who_wrote_most_of_the_scored_replies(
    desk_agent: User, desk_lead: User, inspector: User, client_for: ClientFor
) -> None:
    colleague = make_staff(
        username="agent.li", role=Role.AGENT, team=desk_agent.team, department=desk_agent.department
    )
    case = open_case(when="2026-11-16 10:00", owner=desk_agent)
    desk.case_reply(actor=desk_agent, case=case, body="您好，已收到。", at=at("2026-11-16 10:05"))
    case.refresh_from_db()
    for minute, body in ((20, "我来跟进。"), (40, "师傅已出发。")):
        desk.case_reply(actor=colleague, case=case, body=body, at=at(f"2026-11-16 10:{minute}"))
        case.refresh_from_db()

    assert _score_on_the_page(client_for(inspector), case).agent == colleague


def test_an_empty_period_reads_a_dash_not_zero_percent(
    desk_manager: User, client_for: ClientFor
) -> None:
    with time_machine.travel(at("2026-11-20 12:00"), tick=False):
        page = client_for(desk_manager).get(reverse("quality:insights") + "?days=7")
        api = client_for(desk_manager).get("/api/v1/quality/insights?days=7").json()

    assert page.status_code == 200
    html = page.content.decode()
    figures = html.split('data-testid="figures"')[1].split("</ul>")[0]
    rates = html.split('id="chart-rates"')[1].split("</svg>")[0]
    assert "0%" not in figures
    assert "—" in figures
    assert re.search(r">0(\.0)?%<", rates) is None
    assert rates.count(">—<") == 4  # service level, answer rate, commitments, CSAT 4-5
    assert api["cases"] == 0
    assert api["calls"] == 0
    assert api["service_level"] is None
    assert api["answer_rate"] is None


def test_the_bar_chart_writes_a_dash_for_nothing_measured() -> None:
    svg = bars(["a", "b"], [None, 50.0], title="t", desc="d", unit="%")

    assert ">—<" in svg
    assert ">50%<" in svg
    assert 'width="0.0"' in svg  # no bar where nothing was measured
