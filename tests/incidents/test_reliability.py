"""Nothing lost, nothing twice: a crash mid-send, a gateway outage, refused confirmations."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail

from kefu.cases import delivery as registry
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.incidents import services
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Delivery, Incident
from tests.incidents.builders import NOW, at, make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """The worker process dies (not an error the sender could catch)."""


def test_crash_mid_send_resends_once_with_the_same_key_after_the_lease(
    lead: User, django_capture_on_commit_callbacks: Commits, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_customer()
    contacts = [make_contact(org, email=f"c{i}@example.com", channels=["email"]) for i in range(3)]
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    real = registry._NOTICE_SENDERS["email"]
    handed: list[str] = []

    def dies_after_second(notice: registry.Notice) -> str:
        external = real(notice)
        handed.append(notice.key)
        if len(handed) == 2:
            raise Crash  # handed to the channel, but the worker dies before recording it
        return external

    monkeypatch.setitem(registry._NOTICE_SENDERS, "email", dies_after_second)
    # The task backend records the dead task as failed; the rows stay as the crash left them.
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)

    # Handed rows are recorded in groups, so the crash left all three claimed and unrecorded.
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sending"}
    assert len(mail.outbox) == 2
    monkeypatch.setitem(registry._NOTICE_SENDERS, "email", real)

    # Before the lease passes nothing is touched.
    with django_capture_on_commit_callbacks(execute=True):
        clock.ensure_recurring(now=NOW)
        clock.tick(now=NOW + timedelta(minutes=2))
    assert Delivery.objects.filter(status="sending").count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(minutes=6))

    assert Delivery.objects.count() == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert all(d.attempts == 1 for d in Delivery.objects.all())
    by_contact: dict[str, set[str]] = {}
    for message in mail.outbox:
        by_contact.setdefault(message.to[0], set()).add(message.extra_headers["Message-ID"])
    # The two notices handed before the crash left again, each with its first Message-ID.
    assert len(mail.outbox) == 5
    assert all(len(ids) == 1 for ids in by_contact.values())
    assert len(by_contact) == 3
    assert [m.to[0] for m in mail.outbox].count(contacts[2].email) == 1


def test_gateway_outage_retries_with_backoff_and_delivers_everything_in_order(
    lead: User,
    django_capture_on_commit_callbacks: Commits,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = make_customer()
    contacts = [make_contact(org, phone=f"1380000100{i}", channels=["sms"]) for i in range(3)]
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    state = {"down": True}
    delivered: list[str] = []

    def gateway(notice: registry.Notice) -> str:
        if state["down"]:
            raise registry.DeliveryError("HTTP 503 from gateway", permanent=False)
        delivered.append(notice.contact.phone)
        return f"sms:{notice.key}"

    monkeypatch.setitem(registry._NOTICE_SENDERS, "sms", gateway)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    first = Delivery.objects.get(contact=contacts[0])
    assert first.status == "queued"
    assert first.attempts == 1
    assert first.next_attempt_at == NOW + timedelta(minutes=1)
    assert "503" in first.last_error

    with django_capture_on_commit_callbacks(execute=True):
        clock.ensure_recurring(now=NOW)
        clock.tick(now=NOW + timedelta(minutes=1))
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.next_attempt_at == NOW + timedelta(minutes=3)

    state["down"] = False
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick(now=NOW + timedelta(minutes=3))

    assert delivered == [c.phone for c in contacts]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"sms"}


def test_incident_without_affected_contacts_cannot_be_confirmed(lead: User) -> None:
    incident = make_incident(lead)
    with pytest.raises(DomainError) as refused:
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    assert refused.value.code == IncidentErrorCode.NO_CONTACTS
    incident.refresh_from_db()
    assert incident.status == Incident.Status.DRAFT
    assert not Delivery.objects.exists()


def test_expected_resumption_in_the_past_is_refused_with_a_clear_message(lead: User) -> None:
    with pytest.raises(DomainError) as refused:
        make_incident(lead, expected_from=date(2026, 11, 20))
    assert refused.value.code == IncidentErrorCode.RESUMPTION_IN_PAST
    assert "2026-11-20" in refused.value.text()
    assert "2026-11-23" in refused.value.text()
    assert not Incident.objects.exists()


def test_confirmation_after_the_expected_date_passed_is_refused(lead: User) -> None:
    org = make_customer()
    make_contact(org, email="a@example.com")
    incident = make_incident(lead, expected_from=date(2026, 11, 24))
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    with pytest.raises(DomainError) as refused:
        services.incident_confirm(actor=lead, incident=incident, at=at("2026-11-25 09:00"))
    assert refused.value.code == IncidentErrorCode.RESUMPTION_IN_PAST
    assert Incident.objects.get().status == Incident.Status.DRAFT
