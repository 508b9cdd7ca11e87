"""The public status page: off by default; shown components, current incidents with
their public updates in order, 90 days of history; internal incidents never; e-mail
subscription confirmed and unsubscribable; each update mailed once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kefu.core.models import User
from kefu.customers.models import Contact
from kefu.incidents import services as incident_services
from kefu.incidents.models import Incident
from kefu.portal.models import PortalSettings, StatusComponent, StatusSubscriber
from kefu.portal.services_status import status_mail_updates
from tests.incidents.builders import make_contact, make_customer, make_incident, make_project
from tests.portal.conftest import NOW

pytestmark = pytest.mark.django_db
Commits = Callable[..., Any]


def _on() -> None:
    PortalSettings.objects.create(pk=1, status_page_enabled=True)


def _outage(lead: User, commits: Commits, *, internal: bool = False) -> Incident:
    organisation = make_customer()
    project = make_project(organisation, name="云平台")
    make_contact(organisation, email="ops@example.com", channels=["email"])
    incident = make_incident(lead, at_=NOW)
    incident.projects.add(project)
    if internal:
        Incident.objects.filter(pk=incident.pk).update(is_internal=True)
    StatusComponent.objects.get_or_create(name_zh="云平台", name_en="Cloud", project=project)
    incident_services.incident_pick_affected(
        actor=lead, incident=incident, organisations=[organisation.pk], at=NOW
    )
    with commits(execute=True):
        incident_services.incident_confirm(actor=lead, incident=incident, at=NOW)
    incident.refresh_from_db()
    return incident


def test_the_status_page_is_off_by_default() -> None:
    assert Client().get("/status/").status_code == 404


def test_a_current_outage_shows_with_its_updates_in_order(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    _on()
    incident = _outage(lead, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.update_send(
            actor=lead, incident=incident, at=NOW, body_zh="已定位故障，正在修复。"
        )
    response = Client().get("/status/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="status-current"' in page
    assert "三号楼停工" in page
    assert page.index("停工") < page.index("已定位故障，正在修复。")
    assert "云平台" in page
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_an_internal_incident_never_appears(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    _on()
    _outage(lead, django_capture_on_commit_callbacks, internal=True)
    page = Client().get("/status/").content.decode()
    assert "三号楼停工" not in page
    assert "All services are running normally" in page or "运行正常" in page


def test_an_incident_on_no_shown_component_stays_off_the_page(lead: User) -> None:
    _on()
    make_incident(lead, at_=NOW)
    assert "三号楼停工" not in Client().get("/status/").content.decode()


def test_subscribe_confirm_get_updates_once_and_unsubscribe(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    _on()
    client = Client()
    assert client.post("/status/subscribe/", {"email": "Fan@Example.com"}).status_code == 200
    link = re.search(r"https://kefu\.test(/status/confirm/[^/\s]+/)", str(mail.outbox[-1].body))
    assert link is not None
    # Opening the link asks; only the button confirms.
    assert client.get(link.group(1)).status_code == 200
    assert StatusSubscriber.objects.get().confirmed_at is None
    client.post(link.group(1))
    assert StatusSubscriber.objects.get(email="fan@example.com").confirmed_at == NOW
    mail.outbox.clear()
    _outage(lead, django_capture_on_commit_callbacks)
    mail.outbox = [m for m in mail.outbox if m.to == ["fan@example.com"]]
    assert status_mail_updates(at=NOW) == 1
    assert status_mail_updates(at=NOW) == 0
    update = mail.outbox[-1]
    assert update.to == ["fan@example.com"]
    assert "三号楼停工" in update.subject
    stop = re.search(r"https://kefu\.test(/status/unsubscribe/[^/\s]+/)", str(update.body))
    assert stop is not None
    client.post(stop.group(1))
    assert StatusSubscriber.objects.get().unsubscribed_at == NOW


def test_a_forged_link_is_a_404() -> None:
    _on()
    assert Client().get("/status/confirm/forged/").status_code == 404
    assert Client().get("/status/unsubscribe/forged/").status_code == 404


def test_the_portal_lists_incidents_that_affect_the_contact(
    lead: User, django_capture_on_commit_callbacks: Commits, portal_client: Callable[..., Client]
) -> None:
    _outage(lead, django_capture_on_commit_callbacks)
    contact = Contact.objects.get(email="ops@example.com")
    page = portal_client(contact).get("/portal/").content.decode()
    assert 'data-testid="portal-incidents"' in page
    assert "三号楼停工" in page
    stranger = make_contact(make_customer(), email="x@example.com")
    assert "三号楼停工" not in portal_client(stranger).get("/portal/").content.decode()
