"""The queue shows a case nearing its SLA breach before it breaches (Zendesk / Zammad style).

A first-response target of 4 working hours, opened Monday 09:00 on a 9-to-6 team:
50 % at 11:00, the warning (75 %) at 12:00, the breach at 13:00 (Asia/Shanghai).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from kefu.cases import selectors
from kefu.cases.models import Case
from kefu.cases.services.sla import SLA_WARNING_JOB
from kefu.core.models import Team, User
from tests.cases.builders import at, only_policy, open_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
BearerFor = Callable[[User], dict[str, str]]


@contextmanager
def clock_at(text: str) -> Iterator[None]:
    with time_machine.travel(at(text), tick=False):
        yield


def clocks_once(text: str) -> None:
    call_command("clocks", "--once", "--now", at(text).isoformat(), stdout=StringIO())


def four_hour_case(team: Team, owner: User) -> Case:
    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)
    return open_case(when="2026-03-02 09:00", team=team, owner=owner)


def queue_page(client: Client, **query: str) -> str:
    with translation.override("en"):
        page = client.get(reverse("cases:queue"), query).content.decode()
    # Django writes "1 hour" with a no-break space.
    return page.replace("\xa0", " ")


def test_selector_warning_job_kind_is_the_scheduler_s() -> None:
    assert selectors.SLA_WARNING_JOB == SLA_WARNING_JOB


def test_queue_badge_appears_at_75_percent_not_at_50_and_turns_overdue_after_the_target(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    desk_agent.language = "en"
    desk_agent.save(update_fields=["language"])
    case = four_hour_case(team, desk_agent)
    client = client_for(desk_agent)

    with clock_at("2026-03-02 11:00"):
        half = queue_page(client)
    with clock_at("2026-03-02 12:00"):
        warned = queue_page(client)
    clocks_once("2026-03-02 12:01")
    with clock_at("2026-03-02 12:30"):
        warned_after_the_loop = queue_page(client)
    clocks_once("2026-03-02 13:01")
    with clock_at("2026-03-02 13:05"):
        breached = queue_page(client)

    assert case.reference in half
    assert 'data-testid="sla-due-soon"' not in half
    assert 'data-testid="sla-overdue"' not in half
    assert 'data-testid="sla-due-soon"' in warned
    assert "SLA due soon" in warned
    # The time left and the due time in the reader's zone (13:00 in Shanghai, 05:00 UTC).
    assert "1 hour left, due 03-02 13:00" in warned
    assert "30 minutes left, due 03-02 13:00" in warned_after_the_loop
    assert 'data-testid="sla-due-soon"' not in breached
    assert 'data-testid="sla-overdue"' in breached
    assert "SLA breached" in breached


def test_queue_due_soon_filter_keeps_only_the_warned_cases(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    warned = four_hour_case(team, desk_agent)
    later = open_case(when="2026-03-02 11:30", team=team, owner=desk_agent, subject="发票问题")
    client = client_for(desk_agent)

    with clock_at("2026-03-02 12:10"):
        page = queue_page(client, scope="mine", flag="due_soon")

    assert warned.reference in page
    assert later.reference not in page


def test_reply_stops_the_due_soon_badge(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    from kefu.cases import services

    case = four_hour_case(team, desk_agent)
    services.case_reply(
        actor=desk_agent, case=case, body="收到，马上处理。", at=at("2026-03-02 12:05")
    )

    with clock_at("2026-03-02 12:10"):
        page = queue_page(client_for(desk_agent))

    assert case.reference in page
    assert 'data-testid="sla-due-soon"' not in page


def test_api_case_list_says_due_soon_and_overdue(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    case = four_hour_case(team, desk_agent)
    headers = bearer_for(desk_agent)

    def row(when: str, **query: str) -> list[dict[str, object]]:
        with clock_at(when):
            response = client.get("/api/v1/cases", query, headers=headers)
        assert response.status_code == 200
        items: list[dict[str, object]] = response.json()["items"]
        return items

    half = row("2026-03-02 11:00")
    warned = row("2026-03-02 12:00")
    only_warned = row("2026-03-02 12:00", flag="due_soon")
    none_warned = row("2026-03-02 11:00", flag="due_soon")
    after = row("2026-03-02 13:05")

    assert [(r["reference"], r["sla_due_soon"], r["sla_overdue"]) for r in half] == [
        (case.reference, False, False)
    ]
    assert (warned[0]["sla_due_soon"], warned[0]["sla_overdue"]) == (True, False)
    assert warned[0]["sla_due_at"] is not None  # The existing fields stay.
    assert [r["reference"] for r in only_warned] == [case.reference]
    assert none_warned == []
    assert (after[0]["sla_due_soon"], after[0]["sla_overdue"]) == (False, True)


def test_queue_reads_the_sla_state_in_the_same_query(
    team: Team, desk_agent: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)
    for _n in range(3):
        open_case(when="2026-03-02 09:00", team=team, owner=desk_agent)
    cases = selectors.case_list_for(
        desk_agent, selectors.CaseFilter(scope="mine"), now=at("2026-03-02 12:00")
    )

    with django_assert_num_queries(1):
        states = [(c.sla_due_soon, c.sla_overdue, c.owner_id) for c in cases]  # type: ignore[attr-defined]

    assert states == [(True, False, desk_agent.pk)] * 3
