"""A search counts its results only to one past the end of the page asked for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kefu.core.models import Team, User
from tests.cases.builders import open_case

pytestmark = pytest.mark.django_db

BearerFor = Callable[[User], dict[str, str]]
ClientFor = Callable[[User], Client]


def _cases(team: Team, count: int, subject: str = "卫生间渗水") -> list[int]:
    return [open_case(when="2026-11-02 10:00", team=team, subject=subject).pk for _ in range(count)]


def test_search_api_counts_one_past_the_page_and_says_more_than(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    ids = _cases(team, 3)
    _cases(team, 1, subject="发票问题")

    body = client.get(
        "/api/v1/cases", {"scope": "all", "q": "渗水", "limit": "2"}, headers=bearer_for(desk_agent)
    ).json()

    assert [item["id"] for item in body["items"]] == [ids[2], ids[1]]
    assert body["count"] == 3
    assert body["more_than"] == 2


def test_search_api_last_page_has_the_exact_count(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    ids = _cases(team, 3)

    body = client.get(
        "/api/v1/cases",
        {"scope": "all", "q": "渗水", "limit": "2", "offset": "2"},
        headers=bearer_for(desk_agent),
    ).json()

    assert [item["id"] for item in body["items"]] == [ids[0]]
    assert body["count"] == 3
    assert body["more_than"] is None


def test_a_list_without_search_keeps_its_exact_count(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    _cases(team, 3)

    body = client.get(
        "/api/v1/cases", {"scope": "all", "limit": "2"}, headers=bearer_for(desk_agent)
    ).json()

    assert body["count"] == 3
    assert body["more_than"] is None


def test_the_search_count_walks_the_results_in_order_and_stops(
    client: Client, team: Team, desk_agent: User, bearer_for: BearerFor
) -> None:
    _cases(team, 2)

    with CaptureQueriesContext(connection) as captured:
        client.get(
            "/api/v1/cases",
            {"scope": "all", "q": "渗水", "limit": "5"},
            headers=bearer_for(desk_agent),
        )

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "ORDER BY" in counts[0]
    assert "LIMIT 6" in counts[0]
    if connection.vendor == "postgresql":
        assert any("SET LOCAL jit = off" in q["sql"] for q in captured.captured_queries)


def test_the_search_page_says_more_than_fifty_when_the_count_stopped(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    _cases(team, 51)
    desk_agent.language = "en"  # the page speaks the reader's language
    desk_agent.save(update_fields=["language"])

    page = client_for(desk_agent).get(
        reverse("cases:queue"), {"scope": "all", "q": "渗水"}, HTTP_HX_REQUEST="true"
    )
    body = page.content.decode()

    assert "More than 50 cases match." in body
    assert "page=2" in body


def test_the_search_page_without_more_says_nothing_of_a_cap(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    _cases(team, 2)

    with translation.override("en"):
        page = client_for(desk_agent).get(
            reverse("cases:queue"), {"scope": "all", "q": "渗水"}, HTTP_HX_REQUEST="true"
        )

    assert "cases match" not in page.content.decode()
