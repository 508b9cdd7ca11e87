"""People practices through the pages: sick pay by policy, the two-year list, onboarding,
openings with scorecards and the hiring report, overtime per month."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.floor import services
from kefu.floor.models import (
    Candidate,
    CareerEvent,
    ContractType,
    InterviewScore,
    Leave,
    LeavePolicy,
    OnboardingStep,
    Overtime,
)
from tests.core.factories import make_staff
from tests.floor.builders import Floor, at

NOW = at("2026-11-24 10:00")


def _client(user: User) -> Client:
    """Signed in, reading English (the assertions quote the English texts)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(floor: Floor) -> User:
    return make_staff(
        role=Role.DEPARTMENT_MANAGER, team=floor.team, department=floor.team.department
    )


@pytest.fixture(autouse=True)
def _pinned() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _sick(agent: User, start: str, end: str) -> Leave:
    return services.leave_request(
        actor=agent,
        kind=Leave.Kind.SICK,
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end),
        at=NOW,
    )


# -- sick pay ------------------------------------------------------------------------------


def test_sick_leave_is_recorded_without_a_certificate_and_paid_by_the_table(
    floor: Floor, manager: User
) -> None:
    agent = floor.agents[0]
    # Entering sick leave asks for nothing but the days: no certificate field exists.
    leave_page = _client(agent).get(reverse("floor:leave")).content.decode()
    form = leave_page.split('action="/floor/leave/"')[1].split("</form>")[0]
    assert 'type="file"' not in form
    assert "certif" not in form
    assert not any("certif" in f.name for f in Leave._meta.get_fields())
    first = _sick(agent, "2026-03-02", "2026-03-04")
    second = _sick(agent, "2026-10-12", "2026-10-13")
    assert first.status == second.status == Leave.Status.APPROVED

    page = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    assert "No sick-pay policy for this contract and year yet." in page

    response = _client(manager).post(
        reverse("floor:leave_policies"),
        {"contract_type": "full_time", "year": 2026, "paid_sick_days": 4, "sick_pay_percent": 80},
    )
    assert response.status_code == 302
    page = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    assert "5 sick days taken." in page
    assert "Paid: 4 (at 80%), unpaid: 1, paid days left: 0." in page

    # The policy changes what is paid, never the leave on record.
    services.leave_policy_save(
        actor=manager,
        contract_type="full_time",
        year=2026,
        paid_sick_days=10,
        sick_pay_percent=100,
        note="",
        at=NOW,
    )
    page = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    assert "Paid: 5 (at 100%), unpaid: 0, paid days left: 5." in page
    assert {leave.status for leave in Leave.objects.filter(agent=agent)} == {"approved"}
    assert AuditEntry.objects.filter(action="leave_policy.saved").count() == 2


def test_the_table_is_per_contract_type(floor: Floor, manager: User) -> None:
    agent = floor.agents[0]
    _sick(agent, "2026-11-02", "2026-11-03")
    for kind, days in (("full_time", 5), ("intern", 0)):
        services.leave_policy_save(
            actor=manager,
            contract_type=kind,
            year=2026,
            paid_sick_days=days,
            sick_pay_percent=100,
            note="",
            at=NOW,
        )
    response = _client(floor.lead).post(
        reverse("floor:person_contract", args=[agent.pk]), {"contract_type": "intern"}
    )
    assert response.status_code == 302
    page = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    assert "Paid: 0 (at 100%), unpaid: 2" in page


def test_a_lead_reads_the_table_but_cannot_change_it(floor: Floor) -> None:
    lead = _client(floor.lead)
    assert lead.get(reverse("floor:leave_policies")).status_code == 200
    response = lead.post(
        reverse("floor:leave_policies"),
        {"contract_type": "full_time", "year": 2026, "paid_sick_days": 30, "sick_pay_percent": 100},
    )
    assert response.status_code == 403
    assert not LeavePolicy.objects.exists()
    assert _client(floor.agents[0]).get(reverse("floor:leave_policies")).status_code == 403


# -- the two-year list ---------------------------------------------------------------------


def _hired(actor: User, agent: User, on: str) -> None:
    services.career_event_record(
        actor=actor, agent=agent, kind="hired", on=date.fromisoformat(on), detail="", at=NOW
    )


def test_two_year_list_names_agents_between_18_and_24_months_without_a_move(
    floor: Floor, manager: User
) -> None:
    near, moved = floor.agents
    new = make_staff(role=Role.AGENT, team=floor.team, department=floor.team.department)
    past = make_staff(role=Role.AGENT, team=floor.team, department=floor.team.department)
    _hired(manager, near, "2025-04-10")  # 19 months
    _hired(manager, moved, "2025-03-01")  # 20 months, but moved
    services.career_event_record(
        actor=manager, agent=moved, kind="role_change", on=date(2026, 5, 1), detail="质检", at=NOW
    )
    _hired(manager, new, "2026-01-05")  # 10 months
    _hired(manager, past, "2024-10-01")  # 25 months
    response = _client(manager).get(reverse("floor:two_year"))
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="two-year"')[1]
    assert str(near) in table
    for absent in (moved, new, past):
        assert str(absent) not in table
    assert "<td>19</td>" in table
    assert 'data-testid="retention-behind"' in response.content.decode()
    assert CareerEvent.objects.filter(kind="role_change").count() == 1


def test_agents_do_not_see_the_two_year_list(floor: Floor) -> None:
    assert _client(floor.agents[0]).get(reverse("floor:two_year")).status_code == 403


# -- onboarding ----------------------------------------------------------------------------


def test_the_lead_ticks_onboarding_steps_on_the_people_page(floor: Floor) -> None:
    agent = floor.agents[0]
    url = reverse("floor:onboarding_tick", args=[agent.pk])
    assert _client(floor.lead).post(url, {"step": "briefing", "done": "1"}).status_code == 302
    page = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    onboarding = page.split('data-testid="onboarding"')[1].split("</section>")[0]
    assert "✓ Briefing before going live" in onboarding
    assert "· Shadowing an experienced agent" in onboarding
    # The agent sees the checklist; only the lead ticks it.
    assert "<button" not in onboarding
    _client(agent).post(url, {"step": "shadowing", "done": "1"})
    assert list(OnboardingStep.objects.values_list("step", flat=True)) == ["briefing"]
    _client(floor.lead).post(url, {"step": "briefing", "done": "0"})
    assert not OnboardingStep.objects.exists()


# -- hiring --------------------------------------------------------------------------------


def test_hires_are_reported_against_the_openings_bar(floor: Floor, manager: User) -> None:
    response = _client(manager).post(
        reverse("floor:openings"),
        {"title": "热线客服", "criteria": "沟通表达\n耐心\n打字速度", "bar": "3.5"},
    )
    assert response.status_code == 302
    opening_url = response["Location"]
    kept, lowered = (
        services.candidate_create(actor=manager, changes={"name": name}, national_id="", at=NOW)
        for name in ("林晓", "周强")
    )
    score = opening_url + "score/"
    lead = _client(floor.lead)
    lead.post(score, {"candidate": kept.pk, "score_0": 4, "score_1": 5, "score_2": 4})
    lead.post(score, {"candidate": lowered.pk, "score_0": 3, "score_1": 2, "score_2": 3})
    # A scorecard with a criterion left blank is refused and files nothing.
    lead.post(score, {"candidate": kept.pk, "score_0": 4, "score_1": 5})
    assert InterviewScore.objects.count() == 2
    Candidate.objects.filter(pk__in=[kept.pk, lowered.pk]).update(stage=Candidate.Stage.HIRED)

    report = _client(manager).get(reverse("floor:openings")).content.decode()
    row = report.split('data-testid="hiring-report"')[1]
    assert "<td>2</td><td>2</td><td>2</td><td>1</td>" in row  # candidates, scored, hires, at bar
    below = row.split('data-testid="below-bar"')[1].split("</td>")[0]
    assert "周强 (2.67)" in below
    assert "林晓" not in below


def test_only_managers_open_positions(floor: Floor) -> None:
    response = _client(floor.lead).post(
        reverse("floor:openings"), {"title": "x", "criteria": "a", "bar": "3"}
    )
    assert response.status_code == 403


# -- overtime ------------------------------------------------------------------------------


def test_overtime_is_recorded_with_its_reason_and_reported_per_month(floor: Floor) -> None:
    agent, other = floor.agents
    lead = _client(floor.lead)
    for who, day, minutes, reason in (
        (agent, "2026-11-20", 60, "peak_traffic"),
        (agent, "2026-11-21", 30, "incident"),
        (other, "2026-11-21", 45, "peak_traffic"),
        (agent, "2026-10-30", 120, "peak_traffic"),
    ):
        lead.post(
            reverse("floor:overtime_record", args=[who.pk]),
            {"on": day, "minutes": minutes, "reason": reason, "detail": ""},
        )
    # "Other" needs a word of why.
    lead.post(
        reverse("floor:overtime_record", args=[agent.pk]),
        {"on": "2026-11-22", "minutes": 20, "reason": "other", "detail": ""},
    )
    assert Overtime.objects.count() == 4
    page = lead.get(reverse("floor:overtime") + "?month=2026-11").content.decode()
    table = page.split('data-testid="overtime-month"')[1]
    assert table.index(str(agent)) < table.index(str(other))
    assert (
        "<td>90</td><td>2</td><td>Traffic above the forecast: 60; Stoppage or outage: 30" in table
    )
    assert "<td>135</td>" in table  # the month's total
    october = lead.get(reverse("floor:overtime") + "?month=2026-10").content.decode()
    assert "<td>120</td>" in october


def test_an_agent_cannot_record_overtime(floor: Floor) -> None:
    agent = floor.agents[0]
    _client(agent).post(
        reverse("floor:overtime_record", args=[agent.pk]),
        {"on": "2026-11-20", "minutes": 60, "reason": "peak_traffic"},
    )
    assert not Overtime.objects.exists()


def test_contract_type_defaults_to_full_time(floor: Floor) -> None:
    from kefu.floor.selectors.practices import contract_type_of

    assert contract_type_of(floor.agents[0]) == ContractType.FULL_TIME
    assert isinstance(NOW, datetime)
