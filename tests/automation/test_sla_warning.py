"""SLA warnings at 75 % of the target: the owner is told, rules can act, before the breach."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import Settings

from kefu.cases.models import CaseEvent
from kefu.core.models import Notification, ScheduledJob, Team, User
from tests.automation.builders import trigger
from tests.cases.builders import at, only_policy, open_case

pytestmark = pytest.mark.django_db


def clocks_at(instant: str) -> None:
    call_command("clocks", "--once", "--now", f"{instant}+08:00", stdout=StringIO())


def test_warning_fires_at_75_percent_of_the_first_response_target(
    service_team: Team, desk_agent: User, desk_manager: User
) -> None:
    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)
    rule = trigger(
        desk_manager,
        events=["sla_warning"],
        rules=[{"field": "event.sla_target", "op": "eq", "value": "first_response"}],
        actions=[{"type": "add_tags", "tags": ["快超时"]}],
    )
    case = open_case(when="2026-03-02 09:00", team=service_team, owner=desk_agent)
    job = ScheduledJob.objects.get(key=f"case:{case.pk}:sla_warning:first_response")
    assert job.due_at == at("2026-03-02 12:00")

    clocks_at("2026-03-02T11:59")
    assert not CaseEvent.objects.filter(case=case, kind="sla_warning").exists()

    clocks_at("2026-03-02T12:00")
    clocks_at("2026-03-02T12:01")

    assert CaseEvent.objects.filter(case=case, kind="sla_warning").count() == 1
    warning = Notification.objects.get(recipient=desk_agent, code="cases.sla_warning")
    assert case.reference in warning.subject
    case.refresh_from_db()
    assert case.tags == ["快超时"]
    assert case.breach_count == 0
    assert rule.runs.count() == 1


def test_warning_lands_on_working_time_across_the_night(
    service_team: Team, desk_agent: User
) -> None:
    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)

    case = open_case(when="2026-03-02 17:00", team=service_team, owner=desk_agent)

    # 1 hour on Monday, then 2 of the remaining 3 on Tuesday: 75 % of 4 h at 11:00.
    job = ScheduledJob.objects.get(key=f"case:{case.pk}:sla_warning:first_response")
    assert job.due_at == at("2026-03-03 11:00")


def test_reply_before_the_warning_cancels_it(service_team: Team, desk_agent: User) -> None:
    from kefu.cases import services

    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)
    case = open_case(when="2026-03-02 09:00", team=service_team, owner=desk_agent)
    services.case_reply(
        actor=desk_agent, case=case, body="收到，马上处理。", at=at("2026-03-02 10:00")
    )

    clocks_at("2026-03-02T12:00")

    assert not CaseEvent.objects.filter(case=case, kind="sla_warning").exists()


def test_no_warning_rows_when_switched_off(
    service_team: Team, desk_agent: User, settings: Settings
) -> None:
    settings.KEFU_SLA_WARNING_PERCENT = 0
    only_policy(first=4 * 60, cadence=None, resolution=40 * 60)

    open_case(when="2026-03-02 09:00", team=service_team, owner=desk_agent)

    assert not ScheduledJob.objects.filter(kind="cases.sla_warning").exists()
