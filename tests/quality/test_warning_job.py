"""The daily early-warning job: a burst of complaints in one category alarms once, the
department manager is told with a link to the cases behind it; the weekly digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case
from kefu.core.models import Notification, User
from kefu.quality import services
from kefu.quality.demo import demo_load
from kefu.quality.models import CsatSurvey, RootCauseAnalysis, WarningAlarm
from tests.cases.builders import at, make_contact, open_case

pytestmark = pytest.mark.django_db


def _complaint(when: str, owner: User) -> Case:
    case = open_case(when=when, owner=owner, contact=make_contact())
    Case.objects.filter(pk=case.pk).update(category=Case.Category.EMERGENCY)
    return case


def test_burst_of_complaints_alarms_and_notifies_the_manager_once(
    desk_agent: User, desk_manager: User, client_for: object
) -> None:
    # Baseline: one emergency complaint every other day for four weeks (μ₀ = 0.5/day);
    # then six on one day of the last two weeks.
    start = at("2026-10-12 10:00")
    for day in range(0, 28, 2):
        _complaint((start + timedelta(days=day)).strftime("%Y-%m-%d %H:%M"), desk_agent)
    burst = [_complaint(f"2026-11-18 1{h}:00", desk_agent) for h in range(6)]
    with time_machine.travel(at("2026-11-23 07:00"), tick=False):
        new = services.warnings_evaluate(at=at("2026-11-23 07:00"))
    emergency = [a for a in new if a.series == "category" and a.key == "emergency"]
    assert {a.method for a in emergency} >= {"ewma", "cusum"}
    assert all(a.period_start.isoformat() >= "2026-11-18" for a in emergency)
    first = min(emergency, key=lambda a: a.period_start)
    assert first.period_start.isoformat() == "2026-11-18"
    assert first.count == 6
    assert first.baseline == pytest.approx(0.5)
    notices = Notification.objects.filter(recipient=desk_manager)
    assert notices.exists()
    assert any(n.link == reverse("quality:alarm", args=[first.pk]) for n in notices)
    # Running again records and notifies nothing new.
    count = notices.count()
    assert services.warnings_evaluate(at=at("2026-11-23 07:00")) == []
    assert Notification.objects.filter(recipient=desk_manager).count() == count
    page = Client()
    page.force_login(desk_manager)
    html = page.get(reverse("quality:alarm", args=[first.pk])).content.decode()
    assert all(case.reference in html for case in burst)
    assert WarningAlarm.objects.filter(series="category", key="emergency").count() == len(emergency)


def test_weekly_digest_goes_to_managers(desk_agent: User, desk_manager: User) -> None:
    open_case(when="2026-11-20 10:00", owner=desk_agent)
    (notice,) = services.digest_send(at=at("2026-11-23 09:00"))
    assert notice.recipient == desk_manager
    assert notice.link == reverse("quality:insights")
    assert "1" in notice.subject


def test_demo_load_is_fast_and_idempotent(desk_agent: User, inspector: User) -> None:
    cases = [
        open_case(when=f"2026-11-{d:02d} 10:00", owner=desk_agent, subject="卫生间渗水")
        for d in range(2, 12)
    ]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        status=Case.Status.RESOLVED, resolved_at=at("2026-11-15 10:00")
    )
    demo_load(at=at("2026-11-23 09:00"))
    assert CsatSurvey.objects.count() == 10
    assert CsatSurvey.objects.filter(answered_at__isnull=False).exists()
    assert RootCauseAnalysis.objects.get().cases.count() == 3
    demo_load(at=at("2026-11-23 09:00"))
    assert CsatSurvey.objects.count() == 10
