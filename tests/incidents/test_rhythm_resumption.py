"""Update rhythm on the clock, missed-update alert, resumption checklist, review export."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kefu.core import clock
from kefu.core.errors import ConflictError, DomainError, PermissionDeniedError
from kefu.core.models import Notification, User
from kefu.incidents import rhythm, services
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Delivery, Incident, Notice, ReadinessItem, SurveyAnswer
from kefu.incidents.services._common import survey_token
from tests.incidents.builders import NOW, make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def _confirmed(lead: User, commits: Commits, *, auto_send: bool = True) -> Incident:
    org = make_customer()
    make_contact(org, email="a@example.com", channels=["email"])
    make_contact(org, email="b@example.com", language="en", channels=["email"])
    incident = make_incident(lead, hours=[3, 6], auto_send=auto_send)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    with commits(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    incident.refresh_from_db()
    return incident


def test_clock_drafts_the_due_update_and_sends_it_when_nobody_did(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    assert incident.next_update_due_at == NOW + timedelta(hours=3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("clocks", "--once", "--now", (NOW + timedelta(hours=3, minutes=1)).isoformat())
    draft = Notice.objects.get(kind="update")
    assert draft.status == "draft"
    assert draft.due_at == NOW + timedelta(hours=3)
    assert "2026-11-23 09:00" in draft.body_en
    assert "2026-11-23 09:00" in draft.body_zh
    assert "No change since" in draft.body_en
    # Nothing went to the customers yet; only the owner heard about the draft.
    assert [m.to for m in mail.outbox] == [[lead.email]]

    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(hours=3, minutes=16))
    draft.refresh_from_db()
    incident.refresh_from_db()
    assert draft.status == "sent"
    assert draft.is_automatic
    assert incident.updates_sent == 1
    # The second interval (6 hours) applies after the first update.
    assert incident.next_update_due_at == NOW + timedelta(hours=9, minutes=16)
    assert Delivery.objects.filter(notice=draft, status="sent").count() == 2


def test_owner_sending_early_moves_the_rhythm_and_the_stale_draft_job_does_nothing(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_send(
            actor=lead,
            incident=incident,
            at=NOW + timedelta(hours=1),
            body_zh="甲方已签字",
            body_en="Signed.",
        )
    incident.refresh_from_db()
    assert incident.next_update_due_at == NOW + timedelta(hours=7)
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(hours=3, minutes=5))
    assert Notice.objects.filter(kind="update").count() == 1


def test_missed_update_alerts_the_team_lead(
    lead: User, make_user: Callable[..., User], django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks, auto_send=False)
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(hours=3))
        clock.tick(now=NOW + timedelta(hours=4, minutes=1))
    # The owner (here the lead) was told the draft was due, then the lead alerted.
    due, alert = Notification.objects.filter(recipient=lead).order_by("id")
    assert incident.reference in due.subject
    assert incident.reference in alert.subject
    assert "09:00" in alert.body or "12:00" in alert.body
    measures_slots = rhythm.adherence(
        [rhythm.UpdateSlot(due_at=NOW + timedelta(hours=3), sent_at=None)],
        now=NOW + timedelta(hours=4, minutes=1),
    )
    assert measures_slots.missed == 1


def test_resumption_waits_for_the_checklist_and_a_waiver_needs_a_manager(
    lead: User, manager: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    services.incident_start_resumption(actor=lead, incident=incident, at=NOW)
    resume: dict[str, Any] = {
        "resume_on": date(2026, 11, 30),
        "work_plan": "先恢复主体结构",
        "risks": "雨季",
        "progress_plan": "两周赶回一周",
        "compensation": "工期顺延并免收管理费",
        "supervision": "欢迎甲方代表驻场监督",
    }
    with pytest.raises(ConflictError) as refused:
        services.incident_resume(actor=lead, incident=incident, at=NOW, **resume)
    assert refused.value.code == IncidentErrorCode.CHECKLIST_OPEN

    items = {i.key: i for i in ReadinessItem.objects.filter(incident=incident)}
    for key in ("resources", "supplier_dates", "crew"):
        services.readiness_complete(actor=lead, item=items[key], note="", at=NOW)
    with pytest.raises(PermissionDeniedError):
        services.readiness_waive(actor=lead, item=items["safety"], reason="已检查", at=NOW)
    with pytest.raises(DomainError):
        services.readiness_waive(actor=manager, item=items["safety"], reason=" ", at=NOW)
    services.readiness_waive(
        actor=manager, item=items["safety"], reason="上周刚做过安全检查", at=NOW
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.incident_resume(actor=lead, incident=incident, at=NOW, **resume)
    incident.refresh_from_db()
    assert incident.status == "resumed"
    assert incident.next_update_due_at is None
    english = next(m for m in mail.outbox if m.to == ["b@example.com"])
    assert "resumes on 2026-11-30" in english.body
    assert "欢迎甲方代表驻场监督" in english.body
    assert notice.kind == "resumption"

    # A day later the clock sends the survey with a signed link per contact.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(days=1, minutes=1))
    assert len(mail.outbox) == 2
    assert "https://kefu.test/incidents/survey/" in mail.outbox[0].body


def test_survey_link_needs_no_login_and_stores_the_answer(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    contact = incident.contacts.order_by("pk").first()
    assert contact is not None
    token = survey_token(incident_id=incident.pk, contact_id=contact.pk)
    assert Client().get(f"/incidents/survey/{token}/").status_code == 200
    response = Client().post(f"/incidents/survey/{token}/", {"rating": "4", "comment": "及时"})
    assert response.status_code == 200
    assert 'data-testid="survey-done"' in response.content.decode()
    assert SurveyAnswer.objects.get().rating == 4
    assert Client().get(f"/incidents/survey/{token}x/").status_code == 404


def test_review_exports_markdown_and_a_pdf_with_chinese(
    lead: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Commits,
    cjk_font: None,
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    services.incident_cancel(actor=lead, incident=incident, reason="误报", at=NOW)
    services.review_save(
        actor=lead,
        incident=incident,
        five_whys=["甲方资金未到位", "审批流程长"],
        summary="提前预警",
        at=NOW,
    )
    client = client_for(lead)
    markdown = client.get(f"/incidents/{incident.pk}/review/export.md")
    text = markdown.content.decode()
    assert markdown.status_code == 200
    assert "1. 甲方资金未到位" in text
    pdf = client.get(f"/incidents/{incident.pk}/review/export.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert b"WenQuanYi" in pdf.content or b"cjk" in pdf.content.lower()


def test_agent_cannot_run_incidents(agent: User, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDeniedError):
        make_incident(agent)
    assert not Incident.objects.exists()
