"""History lines, notifications and audit entries are stored as codes plus
parameters and read in the reader's language and time zone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from kefu.cases import services
from kefu.cases.events import event_text
from kefu.cases.models import Case, CaseEvent, CompensationOffer, Message
from kefu.cases.services.promises import commitment_remind
from kefu.core import services as core_services
from kefu.core.audit_labels import action_label, audit_changes
from kefu.core.errors import DomainError
from kefu.core.models import AuditEntry, Notification, Team, User
from kefu.core.roles import Role
from kefu.core.tasks import notification_email
from kefu.core.timefmt import contact_time, format_instant, zone_of
from kefu.floor.models import CheckInSuggestion
from kefu.workforce.labels import method_label, solver_status_label, violation_text
from tests.cases.builders import at, make_contact, nine_to_six_team, open_case
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

# 2026-11-02 11:00 in Beijing: the server's clock reads UTC, as in production.
NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(db: None) -> Team:
    return nine_to_six_team(make_department())


@pytest.fixture
def desk_agent(team: Team) -> User:
    return make_staff(username="agent.wang", role=Role.AGENT, team=team, department=team.department)


def _history(case: Case, kind: str) -> str:
    return event_text(CaseEvent.objects.get(case=case, kind=kind))


def test_a_promise_made_for_17_00_beijing_time_reads_17_00_in_the_history(
    clock: None, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)

    services.commitment_create(
        actor=desk_agent,
        case=case,
        what="回电说明维修方案",
        due_at=at("2026-11-03 17:00"),
        at=timezone.now(),
    )

    with translation.override("en"):
        line = _history(case, "commitment_made")
    assert line == "Promised: 回电说明维修方案 by 2026-11-03 17:00"


def test_the_transfer_notice_names_the_customers_time_with_its_zone(
    clock: None, team: Team, desk_agent: User
) -> None:
    engineering = nine_to_six_team(make_department(name="工程部", code="engineering"))
    contact = make_contact(language="en", name="Emily Zhao")
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent, contact=contact)

    services.case_transfer(
        actor=desk_agent,
        case=case,
        to_department=engineering.department,
        why="the leak needs a site inspection",
        next_steps="an engineer visits on Wednesday",
        expected_by=at("2026-11-04 17:00"),
        at=timezone.now(),
    )

    notice = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND)
    with translation.override("en"):
        follow_up = _history(case, "commitment_made")
    assert "We expect this by 2026-11-04 17:00 (Beijing time)." in notice.body
    assert "09:00" not in notice.body
    assert follow_up.endswith("by 2026-11-04 17:00")


def test_a_status_change_reads_labels_in_the_history_and_the_audit_log(
    clock: None, team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    manager = make_staff(role=Role.DEPARTMENT_MANAGER, department=team.department, language="en")

    services.case_set_status(
        actor=desk_agent, case=case, status=Case.Status.RESOLVED, at=timezone.now()
    )

    entry = AuditEntry.objects.get(action="case.status_changed")
    page = client_for(manager).get("/audit/").content.decode()
    with translation.override("en"):
        history = _history(case, "status_changed")
        changes = audit_changes(entry)
        action = action_label(entry.action)
    assert history == "Status: New → Resolved"
    assert action == "Case status changed"
    assert [(c.field, c.before, c.after) for c in changes] == [("status", "New", "Resolved")]
    assert "status: New → Resolved" in page
    assert "Case status changed" in page
    assert "{&#x27;status&#x27;" not in page
    assert "case.status_changed" not in page


def test_a_notification_written_in_chinese_reads_english_after_the_switch(
    clock: None, team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent,
        case=case,
        what="回电",
        due_at=at("2026-11-02 17:00"),
        at=timezone.now(),
    )
    commitment_remind(commitment_id=promise.pk, at=timezone.now())
    notification = Notification.objects.get(recipient=desk_agent)
    written_in_chinese = notification.subject

    core_services.user_set_language(actor=desk_agent, language="en", at=timezone.now())
    desk_agent.refresh_from_db()
    page = client_for(desk_agent).get("/").content.decode()
    notification.refresh_from_db()
    mail.outbox.clear()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    notification_email.call(notification_id=notification.pk)

    assert notification.code == "cases.promise_due"
    assert notification.params["due"] == "2026-11-02T09:00:00+00:00"
    assert "Promise due at" not in written_in_chinese
    assert "Promise due at 2026-11-02 17:00: 回电" in page
    assert mail.outbox[0].subject == "Promise due at 2026-11-02 17:00: 回电"
    assert case.reference in mail.outbox[0].body


def test_a_notification_without_a_code_keeps_its_stored_text(desk_agent: User) -> None:
    old = Notification.objects.create(
        recipient=desk_agent, created_at=NOW, subject="工单 KF-1 已升级", body="请尽快处理。"
    )

    with translation.override("en"):
        assert (old.shown_subject, old.shown_body) == ("工单 KF-1 已升级", "请尽快处理。")


def test_an_unknown_notification_code_is_refused(desk_agent: User) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        core_services.notification_send(
            recipient=desk_agent, code="nope", params={}, link="", at=NOW
        )

    assert not Notification.objects.exists()


def test_solver_and_forecast_method_codes_read_as_labels() -> None:
    with translation.override("en"):
        assert method_label("holt_winters") == "Holt-Winters (trend and weekly season)"
        assert solver_status_label("feasible").startswith("Good schedule")
        assert solver_status_label("optimal") == "Best possible schedule"
        assert method_label("a_new_method") == "a_new_method"


def test_promise_and_compensation_lines_store_codes_and_read_labels(
    clock: None, team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent, case=case, what="回电", due_at=at("2026-11-02 17:00"), at=timezone.now()
    )
    services.commitment_close(
        actor=desk_agent, commitment=promise, status="kept", at=timezone.now()
    )
    services.compensation_offer(
        actor=desk_agent,
        case=case,
        kind=CompensationOffer.Kind.VOUCHER,
        amount=Decimal(50),
        reason="上门延误",
        at=timezone.now(),
    )

    closed = CaseEvent.objects.get(case=case, kind="commitment_closed")
    with translation.override("en"):
        lines = [_history(case, "commitment_closed"), _history(case, "compensation_offered")]
    assert closed.data["status"] == "kept"
    assert lines[0] == "Promise Kept: 回电"
    assert lines[1] == "Compensation Voucher 50: Approved"


def test_a_refused_status_change_names_the_statuses_in_words(team: Team, desk_agent: User) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    services.case_set_status(
        actor=desk_agent, case=case, status=Case.Status.CLOSED, at=at("2026-11-02 11:00")
    )
    case.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        services.case_set_status(
            actor=desk_agent,
            case=case,
            status=Case.Status.WAITING_CUSTOMER,
            at=at("2026-11-02 12:00"),
        )

    with translation.override("en"):
        assert refused.value.text() == "A case cannot go from Closed to Waiting on customer."


def test_switching_to_english_turns_the_history_and_the_notifications_english(
    clock: None, team: Team, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    promise = services.commitment_create(
        actor=desk_agent, case=case, what="回电", due_at=at("2026-11-02 17:00"), at=timezone.now()
    )
    services.case_set_status(
        actor=desk_agent, case=case, status=Case.Status.RESOLVED, at=timezone.now()
    )
    commitment_remind(commitment_id=promise.pk, at=timezone.now())
    client = client_for(desk_agent)

    client.post("/language/", {"language": "en", "next": "/"})
    home = client.get("/").content.decode()
    case_page = client.get(f"/cases/{case.pk}/").content.decode()

    assert "Promise due at 2026-11-02 17:00: 回电" in home
    assert "Promised: 回电 by 2026-11-02 17:00" in case_page
    assert "Status: New → Resolved" in case_page


def test_a_time_for_a_customer_names_the_contacts_own_zone() -> None:
    london = SimpleNamespace(time_zone="Europe/London")
    due = at("2026-11-04 17:00")

    with translation.override("en"):
        for_london = str(contact_time(due, london))
        for_default = str(contact_time(due, SimpleNamespace(time_zone="")))
        other_zone = format_instant(due, zone=zone_of(london), viewer_zone=zone_of(None))
        own_zone = format_instant(due, zone=zone_of(None), viewer_zone=zone_of(None))

    assert for_london == "2026-11-04 09:00 (London time)"
    assert for_default == "2026-11-04 17:00 (Beijing time)"
    assert other_zone == "2026-11-04 09:00 (London time)"
    assert own_zone == "2026-11-04 17:00"


def test_a_broken_schedule_rule_reads_in_words_and_old_lines_as_stored() -> None:
    where = {"agent": "wf.agent0", "start": "2026-11-23 08:00"}

    with translation.override("en"):
        overlap = violation_text(
            ["activities_overlap", {**where, "first": "break", "second": "meal"}]
        )
        rest = violation_text(["rest_too_short", {**where, "hours": "10.00"}])
        old = violation_text("wf.agent0: more than 6 days in a row")

    assert overlap == "wf.agent0, shift at 2026-11-23 08:00: the break and the meal overlap."
    assert rest == "wf.agent0: only 10.00 h rest before the shift at 2026-11-23 08:00."
    assert old == "wf.agent0: more than 6 days in a row"


def test_a_check_in_suggestion_reads_its_figures_in_the_readers_language(
    desk_agent: User,
) -> None:
    new = CheckInSuggestion(
        agent=desk_agent, pattern="frequent_sick", detail='{"count": 3, "days": 90}'
    )
    old = CheckInSuggestion(agent=desk_agent, pattern="frequent_sick", detail="近 90 天病假 3 天")

    with translation.override("en"):
        assert new.detail_text == "3 sick days in the last 90 days"
        assert old.detail_text == "近 90 天病假 3 天"
