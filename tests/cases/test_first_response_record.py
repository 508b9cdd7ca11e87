"""The first response's due time is kept after the reply (with when it was made),
so the service level counts first responses made by their due time; existing
rows are filled from their records, the rest left unknown."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import Client

from kefu.cases import services
from kefu.cases.models import Case, SlaBreach
from kefu.core.models import Team, User
from kefu.quality.metrics import insights
from tests.cases.builders import at, only_policy, open_case

pytestmark = pytest.mark.django_db


def clocks_at(instant: str) -> None:
    call_command("clocks", "--once", "--now", f"{instant}+08:00", stdout=StringIO())


def test_a_reply_keeps_the_due_time_and_the_clock_never_breaches_it(
    team: Team, desk_agent: User
) -> None:
    only_policy(first=60, cadence=4 * 60, resolution=40 * 60)
    case = open_case(when="2026-10-09 09:00", team=team)
    services.case_reply(
        actor=desk_agent, case=case, body="您好，已收到。", at=at("2026-10-09 09:30")
    )
    services.case_reply(actor=desk_agent, case=case, body="师傅在路上。", at=at("2026-10-09 09:50"))
    clocks_at("2026-10-09T11:00")

    case.refresh_from_db()
    assert case.first_response_at == at("2026-10-09 09:30")
    assert case.first_response_due_at == at("2026-10-09 10:00")
    assert case.sla_due_at == at("2026-10-09 13:50")  # the cadence, not the first response
    assert not SlaBreach.objects.filter(case=case).exists()


def test_resolving_keeps_a_met_first_response_and_drops_one_never_needed(
    team: Team, desk_agent: User
) -> None:
    only_policy(first=60, cadence=None, resolution=40 * 60)
    answered = open_case(when="2026-10-09 09:00", team=team)
    services.case_reply(actor=desk_agent, case=answered, body="已处理。", at=at("2026-10-09 09:20"))
    answered.refresh_from_db()
    silent = open_case(when="2026-10-09 09:00", team=team, owner=desk_agent)
    for case in (answered, silent):
        services.case_set_status(
            actor=desk_agent, case=case, status=Case.Status.RESOLVED, at=at("2026-10-09 09:40")
        )
        case.refresh_from_db()

    assert answered.first_response_due_at == at("2026-10-09 10:00")
    assert silent.first_response_due_at is None


def test_service_level_counts_first_responses_by_their_due_time(
    team: Team, desk_agent: User, desk_lead: User, client_for: Callable[[User], Client]
) -> None:
    only_policy(first=60, cadence=None, resolution=40 * 60)
    in_time = open_case(when="2026-10-12 09:00", team=team)
    late = open_case(when="2026-10-12 09:00", team=team)
    waiting_overdue = open_case(when="2026-10-12 09:00", team=team)
    open_case(when="2026-10-12 16:00", team=team)  # due 17:00: not yet, left out
    services.case_reply(actor=desk_agent, case=in_time, body="您好。", at=at("2026-10-12 09:45"))
    services.case_reply(actor=desk_agent, case=late, body="您好。", at=at("2026-10-12 10:30"))
    assert waiting_overdue.first_response_at is None

    now = at("2026-10-12 16:30")
    figures = insights(start=now - timedelta(days=7), end=now)
    # Met 1 (in time), missed 2 (late, and overdue still waiting): 1 / 3.
    assert figures.service_level == pytest.approx(1 / 3)

    with time_machine.travel(now, tick=False):
        body = client_for(desk_lead).get("/api/v1/quality/insights?days=7").json()
    assert body["service_level"] == pytest.approx(1 / 3)


def test_the_migration_fills_from_events_and_breaches_and_leaves_the_rest_unknown(
    team: Team, desk_agent: User
) -> None:
    only_policy(first=60, cadence=None, resolution=40 * 60)
    breached = open_case(when="2026-10-12 09:00", team=team)
    on_time = open_case(when="2026-10-12 09:00", team=team)
    on_time_reply = at("2026-10-12 09:30")
    services.case_reply(actor=desk_agent, case=on_time, body="您好。", at=on_time_reply)
    clocks_at("2026-10-12T10:05")  # the other's first response breaches at 10:00
    services.case_reply(actor=desk_agent, case=breached, body="您好。", at=at("2026-10-12 10:10"))
    # Rows as the desk left them before: the due time cleared on reply, and one
    # case whose first reply time was never written.
    Case.objects.filter(pk__in=[breached.pk, on_time.pk]).update(first_response_due_at=None)
    Case.objects.filter(pk=on_time.pk).update(first_response_at=None)

    migration = importlib.import_module("kefu.cases.migrations.0009_first_response_record")
    migration.fill(django_apps, None)

    breached.refresh_from_db()
    on_time.refresh_from_db()
    assert breached.first_response_due_at == at("2026-10-12 10:00")
    assert breached.first_response_at == at("2026-10-12 10:10")
    assert on_time.first_response_at == on_time_reply  # from its "replied" event
    assert on_time.first_response_due_at is None  # unknown, not guessed
    now = at("2026-10-12 16:30")
    # Only the breached case can be judged: missed, 0 of 1.
    assert insights(start=now - timedelta(days=7), end=now).service_level == 0.0
