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
from django.test import Client
from pytest_django import DjangoDbBlocker

from kefu.cases.models import Case, Commitment, Escalation, Message, SlaBreach
from kefu.cases.services.internal import INTERNAL_CATEGORIES
from kefu.cases.services.promises import OVERDUE_JOB, REMINDER_JOB
from kefu.cases.services.sla import SLA_JOB
from kefu.core.models import Department, Notification, ScheduledJob, Team, User
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
from kefu.demo.sla import OVERDUE_HANDFUL
from kefu.incidents.models import Incident

TODAY = date(2026, 3, 16)
SEED = 11
START_OF_TODAY = datetime.combine(TODAY, time(0), tzinfo=ZoneInfo("Asia/Shanghai"))
# The demo's first morning: what is due by then is breached, the rest runs.
MORNING = datetime.combine(TODAY, time(9), tzinfo=ZoneInfo("Asia/Shanghai"))
RUNNING = [Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING_DEPARTMENT]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """One demo build shared by the module's tests, rolled back when they are done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(today=TODAY, seed=SEED)
        transaction.set_rollback(True)


def _digest() -> str:
    digest = hashlib.sha256()
    # Internal requests are raised through the desk's own services, which number them
    # from the live reference sequence: they are compared by their content instead.
    internal = Case.objects.filter(category__in=INTERNAL_CATEGORIES)
    for row in internal.order_by("subject").values_list("subject", "created_at", "status"):
        digest.update(repr(row).encode())
    cases = (
        Case.objects.exclude(pk__in=internal)
        .order_by("reference")
        .values_list(
            "reference",
            "subject",
            "created_at",
            "status",
            "owner__username",
            "organisation__name",
            "sla_due_at",
            "sla_paused_at",
            "breach_count",
            "escalation_level",
        )
    )
    for case_row in cases:
        digest.update(repr(case_row).encode())
    messages = (
        Message.objects.exclude(case__in=internal)
        .order_by("case__reference", "created_at", "id")
        .values_list("case__reference", "direction", "created_at", "body")
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
    # Customers each have their own phone; staff who raised internal requests are
    # contacts too (reached by e-mail), and are no customers.
    customers = Contact.objects.filter(user__isnull=True)
    assert customers.count() == demo.contacts - Contact.objects.filter(user__isnull=False).count()
    assert len(set(customers.values_list("phone", flat=True))) == customers.count()
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
    # Every customer category; the internal ones are raised by staff (internal customers).
    external = set(Case.Category) - set(INTERNAL_CATEGORIES)
    assert set(Case.objects.values_list("category", flat=True)) >= external
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
    # The other domains' demo data refers to the customers: clear it first.
    Incident.objects.all().delete()
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


@pytest.mark.django_db
def test_demo_cases_run_their_sla_clocks_as_the_desk_would(demo: DemoSummary) -> None:
    running = Case.objects.filter(status__in=RUNNING)
    assert running.count() >= 15
    assert not running.filter(sla_policy=None).exists()
    assert not running.filter(sla_due_at=None).exists()
    assert not running.exclude(sla_paused_at=None).exists()
    # Most of the queue is due later today or after; at most a handful is overdue.
    on_track = running.filter(sla_due_at__gt=MORNING).count()
    assert on_track / running.count() >= 0.6
    assert running.count() - on_track <= OVERDUE_HANDFUL
    # A first response made keeps its due time for the service level.
    replied = running.exclude(first_response_at=None)
    assert replied.exists()
    assert not replied.filter(first_response_due_at=None).exists()
    assert not running.filter(first_response_at=None, first_response_due_at=None).exists()

    done = Case.objects.filter(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED])
    assert not done.exclude(sla_due_at=None).exists()
    assert not done.exclude(next_update_due_at=None).exists()
    assert not done.filter(resolution_due_at=None).exists()
    assert not done.exclude(breach_count=0).exists()
    waiting = Case.objects.filter(status=Case.Status.WAITING_CUSTOMER)
    assert waiting.exists()
    assert not waiting.exclude(sla_due_at=None).exists()
    for case in waiting:
        last_reply = case.messages.filter(direction=Message.Direction.OUTBOUND).latest("created_at")
        assert case.sla_paused_at == last_reply.created_at

    jobs = ScheduledJob.objects.filter(kind=SLA_JOB, done_at=None)
    job_cases = {int(job.payload["case_id"]) for job in jobs}
    assert job_cases <= set(running.values_list("pk", flat=True))
    fields = {
        "first_response": "first_response_due_at",
        "next_update": "next_update_due_at",
        "resolution": "resolution_due_at",
    }
    for case in running.filter(sla_due_at__gt=MORNING):
        for target, name in fields.items():
            due = getattr(case, name)
            job = jobs.filter(key=f"case:{case.pk}:sla:{target}").first()
            if target == "first_response" and case.first_response_at is not None:
                due = None  # met: the due time is a record, no clock runs on it
            if due is None:
                assert job is None
                continue
            assert job is not None
            assert job.due_at == due
            assert datetime.fromisoformat(str(job.payload["due_at"])) == due
            assert job.payload["case_id"] == case.pk


@pytest.mark.django_db
def test_demo_open_cases_overdue_this_morning_are_breached_already(demo: DemoSummary) -> None:
    running = Case.objects.filter(status__in=RUNNING)
    breached = running.filter(sla_due_at__lte=MORNING)
    assert 1 <= breached.count() <= running.count() * 0.4
    assert not running.filter(sla_due_at__gt=MORNING).exclude(breach_count=0).exists()
    leads = set(User.objects.filter(role=Role.TEAM_LEAD).values_list("department", flat=True))
    for case in breached:
        breaches = list(case.breaches.all())
        assert case.breach_count == len(breaches) >= 1
        for breach in breaches:
            assert breach.breached_at == breach.due_at <= MORNING
            assert not ScheduledJob.objects.filter(
                key=f"case:{case.pk}:sla:{breach.target}"
            ).exists()
        if case.breach_count >= 2:
            assert case.escalation_level == 2
        elif case.department_id in leads:
            assert case.escalation_level >= 1
    assert SlaBreach.objects.filter(case__in=breached).count() == SlaBreach.objects.count()


@pytest.mark.django_db
def test_clock_loop_at_the_demo_morning_fires_no_storm(demo: DemoSummary) -> None:
    escalations = Escalation.objects.count()
    breaches = SlaBreach.objects.count()
    notices = Notification.objects.count()

    call_command("clocks", "--once", "--now", MORNING.isoformat(), stdout=StringIO())

    assert Escalation.objects.count() == escalations
    assert SlaBreach.objects.count() == breaches
    assert Notification.objects.count() == notices

    # Later on, the due rows breach the cases the way the desk's own rows do.
    later = MORNING + timedelta(days=2)
    call_command("clocks", "--once", "--now", later.isoformat(), stdout=StringIO())

    assert SlaBreach.objects.count() > breaches
    assert Escalation.objects.count() > escalations
    assert not ScheduledJob.objects.exclude(last_error="").exists()


@pytest.mark.django_db
def test_demo_has_open_and_overdue_promises_with_their_due_rows(demo: DemoSummary) -> None:
    promises = Commitment.objects.select_related("case")
    assert promises.count() >= 12
    for promise in promises:
        assert promise.case.is_open
        assert promise.owner_id == promise.case.owner_id == promise.created_by_id
        assert promise.case.created_at <= promise.created_at < START_OF_TODAY
        assert promise.status == Commitment.Status.OPEN
    pending = promises.filter(is_overdue=False)
    assert 10 <= pending.count() <= 20
    for promise in pending:
        assert MORNING < promise.due_at < MORNING + timedelta(days=8)
        reminder = ScheduledJob.objects.get(key=f"commitment:{promise.pk}:reminder")
        overdue = ScheduledJob.objects.get(key=f"commitment:{promise.pk}:overdue")
        assert reminder.kind == REMINDER_JOB
        assert overdue.kind == OVERDUE_JOB
        assert reminder.due_at is not None
        assert MORNING < reminder.due_at < promise.due_at == overdue.due_at
        assert reminder.payload == overdue.payload == {"commitment_id": promise.pk}
        assert not promise.case.has_overdue_commitment
    overdue_promises = promises.filter(is_overdue=True)
    assert 2 <= overdue_promises.count() <= 3
    for promise in overdue_promises:
        assert promise.due_at < START_OF_TODAY
        assert promise.reminded_at is not None
        assert promise.case.has_overdue_commitment
        assert not ScheduledJob.objects.filter(key__startswith=f"commitment:{promise.pk}:").exists()
    assert Case.objects.filter(has_overdue_commitment=True).count() == overdue_promises.count()


@pytest.mark.django_db
def test_demo_has_internal_requests_their_requesters_follow(demo: DemoSummary) -> None:
    internal = Case.objects.filter(category__in=INTERNAL_CATEGORIES).select_related("contact")
    assert internal.count() >= 3
    assert all(case.contact.user_id for case in internal)
    assert not Message.objects.filter(case__in=internal, created_at__gte=START_OF_TODAY).exists()
    engineering = User.objects.get(username="manager.liuqiang")
    client = Client()
    client.force_login(engineering)
    page = client.get("/cases/requests/").content.decode()
    assert "3 号楼渗水" in page
    # Building again raises none twice.
    build_demo(today=TODAY, seed=SEED)
    assert Case.objects.filter(category__in=INTERNAL_CATEGORIES).count() == internal.count()
