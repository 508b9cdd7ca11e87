"""Pages: index, forecasts (chart, table), schedules (grid), publishing, my schedule, exports."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from icalendar import Calendar

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.workforce.labels import method_label
from kefu.workforce.models import Forecast, Schedule, ScheduledShift
from tests.workforce.builders import WEEK, queue_with_history, small_team, solved_schedule

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def test_index_links_by_role(manager: User, agent: User, client_for: ClientFor) -> None:
    page = client_for(manager).get("/workforce/").content.decode()
    for url in (
        "/workforce/history/",
        "/workforce/forecasts/",
        "/workforce/schedules/",
        "/workforce/my/",
    ):
        assert f'href="{url}"' in page
    agent_page = client_for(agent).get("/workforce/").content.decode()
    assert 'href="/workforce/my/"' in agent_page
    assert 'href="/workforce/history/"' not in agent_page


def test_forecast_page_runs_and_shows_method_chart_and_table(
    manager: User, client_for: ClientFor
) -> None:
    queue = queue_with_history()
    client = client_for(manager)
    response = client.post(
        "/workforce/forecasts/", {"queue": queue.pk, "start": WEEK.isoformat(), "days": 7}
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get()
    page = client.get(response["Location"]).content.decode()
    with translation.override("zh-hans"):
        method = method_label(forecast.method)
    chosen = page.split('data-testid="method"')[1].split("</p>")[0]
    assert method in chosen
    assert forecast.method not in chosen
    assert 'role="img"' in page
    assert '<title id="forecast-chart-title">' in page
    assert '<desc id="forecast-chart-desc">' in page
    assert 'class="line-history"' in page
    assert 'class="line-forecast"' in page
    assert page.count("<tr><td>11-23") >= 1 or "11-23" in page
    csv_response = client.get(f"/workforce/forecasts/{forecast.pk}/req.csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "interval_start,required"
    assert len(lines) == 1 + forecast.intervals.count()


def test_forecast_error_is_a_form_error_not_a_500(manager: User, client_for: ClientFor) -> None:
    queue = queue_with_history()
    response = client_for(manager).post(
        "/workforce/forecasts/", {"queue": queue.pk, "start": "2026-11-02", "days": 7}
    )
    assert response.status_code == 422
    assert "form-errors" in response.content.decode()
    assert not Forecast.objects.exists()


def test_forecasts_page_is_refused_to_agents(agent: User, client_for: ClientFor) -> None:
    assert client_for(agent).get("/workforce/forecasts/").status_code == 403


def test_schedule_problems_are_shown_in_words_before_solving(
    manager: User, client_for: ClientFor
) -> None:
    team, _agents = small_team()
    queue = queue_with_history(team)
    client = client_for(manager)
    client.post("/workforce/forecasts/", {"queue": queue.pk, "start": WEEK.isoformat(), "days": 7})
    forecast = Forecast.objects.get()
    data = {
        "forecast": forecast.pk,
        "team": team.pk,
        "week_start": WEEK.isoformat(),
        "interval_minutes": 15,
        "shift_lengths": "8",
        "break_minutes": 15,
        "break1_from": 1.5,
        "break1_to": 3.5,
        "break2_from": 5.5,
        "break2_to": 7.5,
        "meal_minutes": 60,
        "meal_from": 6,
        "meal_to": 9,
        "min_rest_hours": 11,
        "max_consecutive_days": 6,
        "time_limit": 1,
    }
    response = client.post("/workforce/schedules/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="schedule-problems"' in page
    assert not Schedule.objects.exists()


def test_schedule_page_shows_status_metrics_chart_and_week_grid(
    manager: User, client_for: ClientFor
) -> None:
    schedule = solved_schedule(manager)
    client = client_for(manager)
    page = client.get(f"/workforce/schedules/{schedule.pk}/").content.decode()
    assert 'data-testid="week-grid"' in page
    assert 'class="line-required"' in page
    assert 'class="line-on_phone"' in page
    assert 'data-testid="metrics"' in page
    assert "wf.agent0" in page or "员工" in page
    status = client.get(f"/workforce/schedules/{schedule.pk}/status/?running=1")
    assert status["HX-Refresh"] == "true"
    csv_lines = (
        client.get(f"/workforce/schedules/{schedule.pk}/schedule.csv")
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert csv_lines[0] == "agent,type,start,end"
    assert {line.split(",")[1] for line in csv_lines[1:]} == {"shift", "break", "meal"}
    shift = ScheduledShift.objects.filter(schedule=schedule).select_related("agent").first()
    assert shift is not None
    ics = client.get(f"/workforce/schedules/{schedule.pk}/agents/{shift.agent.username}.ics")
    calendar = Calendar.from_ical(ics.content)
    events = list(calendar.walk("VEVENT"))
    assert (
        len(events) == ScheduledShift.objects.filter(schedule=schedule, agent=shift.agent).count()
    )
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert "Asia/Shanghai" in ics.content.decode()


@pytest.mark.usefixtures("before_the_week")
def test_agents_see_only_published_schedules(
    manager: User, make_user: Callable[..., User], client_for: ClientFor
) -> None:
    schedule = solved_schedule(manager)
    shift = ScheduledShift.objects.filter(schedule=schedule).select_related("agent").first()
    assert shift is not None
    agent_client = client_for(shift.agent)
    assert 'data-testid="my-week"' not in agent_client.get("/workforce/my/").content.decode()
    assert agent_client.get("/workforce/schedules/").status_code == 403
    response = client_for(manager).post(f"/workforce/schedules/{schedule.pk}/publish/")
    assert response.status_code == 302
    page = agent_client.get("/workforce/my/").content.decode()
    assert 'data-testid="my-week"' in page
    assert shift.start.astimezone().strftime("%m-%d") in page or "11-2" in page
    ics = agent_client.get("/workforce/my/schedule.ics")
    assert ics.status_code == 200
    assert b"BEGIN:VEVENT" in ics.content
    own = agent_client.get(f"/workforce/schedules/{schedule.pk}/agents/{shift.agent.username}.ics")
    assert own.status_code == 200
    other = make_user(Role.AGENT, username="someone.else")
    assert (
        client_for(other)
        .get(f"/workforce/schedules/{schedule.pk}/agents/{shift.agent.username}.ics")
        .status_code
        == 403
    )


def test_publish_by_a_team_lead_is_refused(
    manager: User, lead: User, client_for: ClientFor
) -> None:
    schedule = solved_schedule(manager)
    response = client_for(lead).post(f"/workforce/schedules/{schedule.pk}/publish/")
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == Schedule.Status.READY
    # Team leads see the team's week (VIEW_TEAM) but cannot publish it.
    page = client_for(lead).get(f"/workforce/schedules/{schedule.pk}/").content.decode()
    assert 'data-testid="week-grid"' in page
    assert f"/workforce/schedules/{schedule.pk}/publish/" not in page
