"""``kefu demo``: the demo company is complete, consistent, deterministic and idempotent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from pytest_django import DjangoDbBlocker

from kefu.cases.models import Case, Message
from kefu.core.models import Department, Team, User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation, Project
from kefu.demo.builder import (
    DEMO_PASSWORD,
    FEATURED_LOGINS,
    MARKER_ORGANISATION,
    DemoOutcome,
    DemoSummary,
    build_demo,
)

TODAY = date(2026, 3, 16)
SEED = 11
START_OF_TODAY = datetime.combine(TODAY, time(0), tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """One demo build shared by the module's tests, rolled back when they are done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(today=TODAY, seed=SEED)
        transaction.set_rollback(True)


def _digest() -> str:
    digest = hashlib.sha256()
    cases = Case.objects.order_by("reference").values_list(
        "reference", "subject", "created_at", "status", "owner__username", "organisation__name"
    )
    for case_row in cases:
        digest.update(repr(case_row).encode())
    messages = Message.objects.order_by("case__reference", "created_at", "id").values_list(
        "case__reference", "direction", "created_at", "body"
    )
    for message_row in messages:
        digest.update(repr(message_row).encode())
    return digest.hexdigest()


def _counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "contacts": Contact.objects.count(),
        "projects": Project.objects.count(),
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
    }


@pytest.mark.django_db
def test_demo_has_the_four_departments_and_staff_of_every_role(demo: DemoSummary) -> None:
    assert demo.outcome == DemoOutcome.BUILT
    assert set(Department.objects.values_list("name", flat=True)) == {
        "客服中心",
        "工程部",
        "技术部",
        "财务部",
    }
    assert User.objects.filter(role=Role.AGENT).count() >= 18
    for role in Role:
        assert User.objects.filter(role=role).exists(), role
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert User.objects.filter(language="en").exists()
    assert not Team.objects.exclude(calendar_region="cn").exists()


@pytest.mark.django_db
def test_demo_has_200_organisations_each_with_contacts(demo: DemoSummary) -> None:
    assert demo.organisations == Organisation.objects.count() == 200
    assert not Organisation.objects.annotate(n=Count("contacts")).filter(n=0).exists()
    english = Contact.objects.filter(language="en").count()
    assert 0.05 * demo.contacts <= english <= 0.2 * demo.contacts
    assert Project.objects.filter(status=Project.Status.STOPPED).exists()
    assert len(set(Contact.objects.values_list("phone", flat=True))) == demo.contacts
    for id_number in Contact.objects.exclude(id_number="").values_list("id_number", flat=True):
        assert len(id_number) == 18


@pytest.mark.django_db
def test_demo_history_spans_months_and_every_case_has_messages(demo: DemoSummary) -> None:
    assert 600 <= demo.cases <= 1000
    span = Case.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days > 60
    assert span["last"] < START_OF_TODAY
    assert not Case.objects.annotate(n=Count("messages")).filter(n=0).exists()
    assert not Message.objects.filter(created_at__gte=START_OF_TODAY).exists()
    assert len(set(Case.objects.values_list("category", flat=True))) == len(Case.Category)
    assert Case.objects.filter(reference__regex=r"^KF-\d{4}-\d{6}$").count() == demo.cases
    assert Case.objects.filter(search_terms__contains="渗水").exists()


@pytest.mark.django_db
def test_demo_case_timestamps_agree_with_their_status(demo: DemoSummary) -> None:
    for case in Case.objects.all():
        assert case.updated_at >= case.created_at
        if case.status == Case.Status.NEW:
            assert case.first_response_at is None
        else:
            assert case.first_response_at is not None
            assert case.first_response_at >= case.created_at
            assert case.owner_id is not None
        if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
            assert case.resolved_at is not None
        else:
            assert case.resolved_at is None
        if case.status == Case.Status.CLOSED:
            assert case.closed_at is not None
            assert case.resolved_at is not None
            assert case.closed_at >= case.resolved_at
        else:
            assert case.closed_at is None
    recent = Case.objects.filter(created_at__gte=START_OF_TODAY - timedelta(days=3))
    assert recent.exclude(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED]).exists()


@pytest.mark.django_db
def test_featured_demo_logins_authenticate(demo: DemoSummary) -> None:
    roles = set()
    for username in FEATURED_LOGINS:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert isinstance(user, User)
        roles.add(user.role)
    assert roles == set(Role)


@pytest.mark.django_db
def test_building_again_duplicates_nothing(demo: DemoSummary) -> None:
    before = _counts()
    digest = _digest()
    User.objects.filter(username="agent.wangfang").update(role=Role.QA_INSPECTOR, team=None)

    again = build_demo(today=date(2026, 5, 1), seed=SEED + 1)

    assert again.outcome == DemoOutcome.ALREADY_LOADED
    assert _counts() == before
    assert _digest() == digest
    restored = User.objects.get(username="agent.wangfang")
    assert restored.role == Role.AGENT
    assert restored.team is not None


@pytest.mark.django_db
def test_same_seed_and_day_build_the_same_history(demo: DemoSummary) -> None:
    first = _digest()
    Message.objects.all().delete()
    Case.objects.all().delete()
    Project.objects.all().delete()
    Contact.objects.all().delete()
    Organisation.objects.all().delete()

    rebuilt = build_demo(today=TODAY, seed=SEED)

    assert rebuilt.outcome == DemoOutcome.BUILT
    assert _digest() == first


@pytest.mark.django_db
def test_demo_command_reports_loaded_demo_and_prints_logins(demo: DemoSummary) -> None:
    out = StringIO()
    call_command("demo", "--today", TODAY.isoformat(), "--seed", str(SEED), stdout=out)
    logins = StringIO()
    call_command("demo_logins", stdout=logins)

    assert Organisation.objects.count() == 200
    for username in FEATURED_LOGINS:
        assert username in out.getvalue()
        assert username in logins.getvalue()
    assert DEMO_PASSWORD in logins.getvalue()


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_its_own_data_alone(demo: DemoSummary) -> None:
    # Without the marker the organisations look like a customer's own data.
    Organisation.objects.filter(name=MARKER_ORGANISATION).update(name="自有客户有限公司")
    User.objects.filter(username="admin").update(display_name="Ops")
    before = _counts()

    summary = build_demo(today=TODAY, seed=SEED, only_if_empty=True)

    assert summary.outcome == DemoOutcome.SKIPPED
    assert _counts() == before
    assert User.objects.get(username="admin").display_name == "Ops"
