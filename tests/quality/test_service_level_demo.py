"""The insights service level on the demo company: between 0 and 1, and the
share a hand count of its cases gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from pytest_django import DjangoDbBlocker

from kefu.cases.models import Case
from kefu.cases.services.internal import INTERNAL_CATEGORIES
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.demo.builder import DemoSummary, build_demo
from kefu.quality.metrics import insights

TODAY = date(2026, 3, 16)
NOON = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(today=TODAY, seed=11)
        transaction.set_rollback(True)


def _hand_count(start: datetime, end: datetime) -> tuple[int, int]:
    met = missed = 0
    # The insights report customers' cases by default; internal requests are apart.
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end, merged_into=None)
    for case in cases.exclude(category__in=INTERNAL_CATEGORIES):
        due, made = case.first_response_due_at, case.first_response_at
        if due is None:
            continue  # no first response was due (no policy, or closed unanswered)
        if made is not None and made <= due:
            met += 1
        elif made is not None or due < end:
            missed += 1  # answered late, or still unanswered past its due time
    return met, missed


@pytest.mark.django_db
def test_demo_service_level_is_a_share_of_first_responses_by_their_due_time(
    demo: DemoSummary,
) -> None:
    start = NOON - timedelta(days=30)
    met, missed = _hand_count(start, NOON)
    assert met > 0
    assert missed > 0

    figures = insights(start=start, end=NOON)
    assert figures.service_level is not None
    assert 0 < figures.service_level < 1
    assert figures.service_level == pytest.approx(met / (met + missed))

    lead = User.objects.filter(role=Role.TEAM_LEAD, is_active=True).order_by("pk").first()
    assert lead is not None
    client = Client()
    client.force_login(lead)
    with time_machine.travel(NOON, tick=False):
        body = client.get("/api/v1/quality/insights?days=30").json()
        page = client.get("/quality/insights/?days=30").content.decode()
    assert body["service_level"] == pytest.approx(met / (met + missed))
    shown = f"{round(100 * met / (met + missed))}%"
    figures_html = page.split('data-testid="figures"')[1].split("</li>")[0]
    assert shown in figures_html
