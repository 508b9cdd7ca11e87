"""Intake keeps the intake team and the SLA policies per process for a while
(``kefu.core.process_cache``): a change through the service shows at once, one made
around it (the admin, another process) after ``CACHE_SECONDS``."""

from __future__ import annotations

import pytest

from kefu.cases.models import Case, SlaPolicy
from kefu.cases.services import case_open
from kefu.cases.services.workspace import sla_policy_save
from kefu.core import process_cache
from kefu.core.models import Team
from kefu.core.roles import Role
from tests.cases.builders import at, make_contact, only_policy
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db


def _open(when: str) -> Case:
    return case_open(
        actor=None,
        contact=make_contact(),
        subject="卫生间渗水",
        body="楼下说天花板有水渍。",
        channel="email",
        at=at(when),
    )


def _advance(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    import time

    now = time.monotonic() + seconds
    # process_cache reads time.monotonic through the time module it imports.
    monkeypatch.setattr(time, "monotonic", lambda: now)


def test_policy_saved_through_the_service_applies_to_the_next_case_at_once() -> None:
    policy = only_policy(first=60, cadence=None, resolution=600)
    admin = make_staff(role=Role.ADMINISTRATOR, username="admin.li")
    assert _open("2026-12-07 10:00").first_response_due_at == at("2026-12-07 11:00")

    sla_policy_save(
        actor=admin,
        at=at("2026-12-07 10:05"),
        name=policy.name,
        first_response_minutes=30,
    )

    assert _open("2026-12-07 10:00").first_response_due_at == at("2026-12-07 10:30")


def test_policy_changed_around_the_service_applies_after_the_cache_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = only_policy(first=60, cadence=None, resolution=600)
    assert _open("2026-12-07 10:00").first_response_due_at == at("2026-12-07 11:00")

    SlaPolicy.objects.filter(pk=policy.pk).update(first_response_minutes=30)
    assert _open("2026-12-07 10:00").first_response_due_at == at("2026-12-07 11:00")

    _advance(monkeypatch, process_cache.CACHE_SECONDS + 1)
    assert _open("2026-12-07 10:00").first_response_due_at == at("2026-12-07 10:30")


def test_a_desk_without_a_team_yet_files_cases_into_the_first_team_once_it_exists() -> None:
    only_policy(first=60, cadence=None, resolution=600)
    department = make_department()
    assert _open("2026-12-07 10:00").team is None

    team = Team.objects.create(department=department, name="热线一组")
    case = _open("2026-12-07 10:05")

    assert case.team == team
    assert case.department == department


def test_cases_opened_for_a_given_team_do_not_read_the_intake_cache() -> None:
    only_policy(first=60, cadence=None, resolution=600)
    department = make_department()
    first = Team.objects.create(department=department, name="热线一组")
    second = Team.objects.create(department=department, name="热线二组")
    assert _open("2026-12-07 10:00").team == first

    case = case_open(
        actor=None,
        contact=make_contact(),
        subject="漏水",
        body="请派人。",
        channel="email",
        at=at("2026-12-07 10:00"),
        team=second,
    )
    assert case.team == second
