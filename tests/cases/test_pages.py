"""The desk's pages: queue with filters and saved views, the case page and its actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case, Commitment, SavedView
from kefu.core.models import Team, User
from tests.cases.builders import open_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def test_queue_lists_my_cases_with_live_due_times(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    page = client_for(desk_agent).get(reverse("cases:queue")).content.decode()

    assert case.reference in page
    assert 'class="due"' in page
    assert "/static/kefu/due.js" in page


def test_queue_search_as_htmx_returns_only_rows(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    open_case(when="2026-11-02 10:00", team=team, subject="卫生间渗水")
    open_case(when="2026-11-02 10:00", team=team, subject="发票问题")

    response = client_for(desk_agent).get(
        reverse("cases:queue"), {"scope": "all", "q": "渗水"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "<html" not in body
    assert "卫生间渗水" in body
    assert "发票问题" not in body


def test_saving_a_view_keeps_the_filters(client_for: ClientFor, desk_agent: User) -> None:
    response = client_for(desk_agent).post(
        reverse("cases:saved_view_save"), {"name": "紧急", "query": "scope=all&priority=urgent"}
    )

    view = SavedView.objects.get(owner=desk_agent)
    assert response.status_code == 302
    assert view.filters == {"scope": "all", "priority": "urgent"}


def test_case_page_shows_thread_and_actions(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    page = client_for(desk_agent).get(reverse("cases:case", args=[case.pk])).content.decode()

    assert case.subject in page
    assert "楼下说天花板有水渍" in page
    assert reverse("cases:transfer", args=[case.pk]) in page


def test_recording_a_promise_from_the_page(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    response = client_for(desk_agent).post(
        reverse("cases:commit", args=[case.pk]),
        {"what": "明天回电", "due_at": "2099-01-02T10:00"},
    )

    assert response.status_code == 302
    assert Commitment.objects.get(case=case).what == "明天回电"


def test_a_refused_action_comes_back_as_a_message_not_an_error(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    client = client_for(desk_agent)

    response = client.post(
        reverse("cases:status", args=[case.pk]),
        {"status": "open", "version": case.version + 5},
        follow=True,
    )

    assert response.status_code == 200
    assert "刷新" in response.content.decode() or "Reload" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW


def test_confidential_case_page_is_404_for_other_departments(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    from tests.core.factories import make_department, make_staff

    case = open_case(when="2026-11-02 10:00", team=team)
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    outsider = make_staff(department=make_department(name="财务部", code="finance"))

    response = client_for(outsider).get(reverse("cases:case", args=[case.pk]))

    assert response.status_code == 404


def test_overview_panel_shows_overdue_promises_and_kept_rates_to_leads(
    client_for: ClientFor, team: Team, desk_agent: User, desk_lead: User
) -> None:
    from kefu.cases import services
    from tests.cases.builders import at

    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="回电确认",
        due_at=at("2026-11-02 12:00"),
        at=at("2026-11-02 10:30"),
    )
    Commitment.objects.filter(pk=promise.pk).update(is_overdue=True)

    agent_panel = client_for(desk_agent).get(reverse("cases:summary")).content.decode()
    lead_panel = client_for(desk_lead).get(reverse("cases:summary")).content.decode()

    assert "回电确认" in agent_panel
    assert "agent.wang" not in agent_panel
    assert "agent.wang" in lead_panel
    assert "回电确认" in lead_panel


def test_saved_view_link_keeps_every_chosen_value(client_for: ClientFor, desk_agent: User) -> None:
    client = client_for(desk_agent)
    client.post(
        reverse("cases:saved_view_save"),
        {"name": "急件", "query": "scope=all&priority=urgent&priority=high"},
    )

    page = client.get(reverse("cases:queue")).content.decode()

    assert "?scope=all&amp;priority=urgent&amp;priority=high" in page
