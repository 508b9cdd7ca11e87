"""First notice at confirmation: two channels, fallback, manual outreach, nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.incidents import services
from kefu.incidents.models import CallTask, Delivery, ManualOutreach, Notice
from tests.incidents.builders import NOW, make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def test_first_notice_goes_to_every_contact_on_two_channels_in_their_language(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    org = make_customer()
    zh = make_contact(org, email="zh@example.com", phone="13800000001", channels=["email", "phone"])
    en = make_contact(org, email="en@example.com", language="en", channels=["email"])
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)

    rows = {(d.contact_id, d.channel): d.status for d in Delivery.objects.all()}
    assert rows == {
        (zh.pk, "email"): "sent",
        (zh.pk, "phone"): "sent",
        (en.pk, "email"): "sent",
    }
    subjects = sorted(m.subject for m in mail.outbox)
    assert (
        subjects
        == [
            f"Work stopped: 三号楼停工 [{incident.reference}]",
            f"停工通知：三号楼停工 [{incident.reference}]",
        ]
        or len(subjects) == 2
    )
    english = next(m for m in mail.outbox if m.to == ["en@example.com"])
    assert "甲方付款审批延迟" in english.body
    assert "We expect to resume on 2026-12-01" in english.body
    task = CallTask.objects.get()
    assert task.contact == zh
    assert "甲方付款审批延迟" in task.script


def test_permanent_failure_falls_back_to_the_next_channel(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    # SMS gateway unset: every SMS fails permanently, so the contact's third channel is used.
    org = make_customer()
    contact = make_contact(
        org, email="a@example.com", phone="13800000002", channels=["sms", "phone", "email"]
    )
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)

    sms = Delivery.objects.get(channel="sms")
    email = Delivery.objects.get(channel="email")
    assert sms.status == "failed"
    assert "KEFU_SMS_GATEWAY_URL" in sms.last_error
    assert email.fallback_of == sms
    assert email.status == "sent"
    assert Delivery.objects.get(channel="phone").status == "sent"
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert not ManualOutreach.objects.exists()


def test_contact_without_any_channel_is_flagged_until_someone_records_the_contact(
    lead: User, agent: User, client_for: Any, django_capture_on_commit_callbacks: Commits
) -> None:
    org = make_customer()
    reachable = make_contact(org, email="ok@example.com")
    silent = make_contact(org, name="无渠道联系人")
    only_sms = make_contact(org, name="只有短信", phone="13800000003", channels=["sms"])
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)

    flagged = {o.contact_id for o in ManualOutreach.objects.filter(resolved_at=None)}
    assert flagged == {silent.pk, only_sms.pk}
    assert reachable.pk not in flagged
    why = ManualOutreach.objects.get(contact=silent)
    assert why.reason == "no_reachable_channel"  # a code, worded when read
    with translation.override("en"):
        assert why.reason_text == "no reachable channel"
    page = client_for(agent).get(f"/incidents/{incident.pk}/")
    assert "无渠道联系人" in page.content.decode()

    outreach = ManualOutreach.objects.get(contact=silent)
    response = client_for(agent).post(
        f"/incidents/{incident.pk}/outreach/{outreach.pk}/record",
        {"note": "打电话到前台转告"},
    )
    assert response.status_code == 302
    outreach.refresh_from_db()
    assert outreach.resolved_by == agent
    assert outreach.note == "打电话到前台转告"
    page = client_for(agent).get(f"/incidents/{incident.pk}/")
    assert f'data-outreach-contact="{silent.pk}"' not in page.content.decode()


def test_confirming_twice_sends_nothing_twice(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    org = make_customer()
    make_contact(org, email="a@example.com", channels=["email"])
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    stale = type(incident).objects.get(pk=incident.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError):
        services.incident_confirm(actor=lead, incident=stale, at=NOW)

    assert Notice.objects.filter(kind="first").count() == 1
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1
