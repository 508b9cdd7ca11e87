"""The incident page: affected customers found by a server-side search, the first
notice previewed before it goes, "send an update now" with the lead's own words,
and review-action owners picked by name."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kefu.core.models import User
from kefu.incidents import services
from kefu.incidents.models import Incident, IncidentContact, Notice, ReviewAction
from tests.incidents.builders import NOW, make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def _english(user: User) -> User:
    User.objects.filter(pk=user.pk).update(language="en")
    user.refresh_from_db()
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_picker_search_finds_customers_contacts_and_projects_by_name_or_phone(
    lead: User,
) -> None:
    incident = make_incident(lead)
    org = make_customer(name="绿城物业")
    make_customer(name="万科装饰")
    contact = make_contact(org, name="李娜", phone="13912345678")
    client = _client(_english(lead))
    url = f"/incidents/{incident.pk}/pick/search"

    body = client.get(url, {"q": "绿城"}, headers={"HX-Request": "true"}).content.decode()
    assert f'name="organisations" value="{org.pk}"' in body
    assert "万科装饰" not in body

    body = client.get(url, {"q": "139 1234"}).content.decode()
    assert f'name="contacts" value="{contact.pk}"' in body

    body = client.get(url, {"q": "不存在的客户"}).content.decode()
    assert "Nothing matches" in body


def test_picked_search_results_are_added_as_affected(lead: User) -> None:
    incident = make_incident(lead)
    org = make_customer(name="绿城物业")
    make_contact(org, email="a@example.com", channels=["email"])
    client = _client(_english(lead))
    response = client.post(f"/incidents/{incident.pk}/pick", {"organisations": [str(org.pk)]})
    assert response.status_code == 302
    assert IncidentContact.objects.filter(incident=incident).count() == 1


def test_an_agent_cannot_search_the_picker(agent: User, lead: User) -> None:
    incident = make_incident(lead)
    response = _client(agent).get(f"/incidents/{incident.pk}/pick/search", {"q": "x"})
    assert response.status_code == 403


def test_the_first_notice_is_previewed_before_it_goes(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = make_incident(lead)
    org = make_customer()
    make_contact(org, email="a@example.com", channels=["email"])
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    client = _client(_english(lead))

    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'href="/incidents/{incident.pk}/confirm/preview"' in page
    assert 'data-testid="confirm"' not in page  # nothing goes from the page itself

    preview = client.get(f"/incidents/{incident.pk}/confirm/preview").content.decode()
    assert "Work stopped: 三号楼停工" in preview
    assert "甲方付款审批延迟" in preview
    assert "1 affected contact" in preview
    assert 'data-testid="confirm"' in preview
    incident.refresh_from_db()
    assert incident.status == Incident.Status.DRAFT
    assert not Notice.objects.filter(incident=incident).exists()
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/incidents/{incident.pk}/confirm")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CONFIRMED
    notice = Notice.objects.get(incident=incident, kind=Notice.Kind.FIRST)
    assert notice.subject_en in preview


def _confirmed(lead: User, commits: Commits) -> Incident:
    incident = make_incident(lead)
    org = make_customer()
    make_contact(org, email="a@example.com", channels=["email"])
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    with commits(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    incident.refresh_from_db()
    return incident


def test_send_an_update_now_takes_the_leads_own_message(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    client = _client(_english(lead))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/incidents/{incident.pk}/updates/now",
            {"body_zh": "甲方已批付款，预计周三复工。", "body_en": ""},
        )
    update = Notice.objects.get(incident=incident, kind=Notice.Kind.UPDATE)
    assert update.status == Notice.Status.SENT
    assert update.body_zh == "甲方已批付款，预计周三复工。"
    assert update.body_en  # the standard English text where none was written


def test_send_an_update_now_without_a_message_sends_the_standard_update(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    client = _client(_english(lead))
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Write your own message (optional)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/incidents/{incident.pk}/updates/now", {"body_zh": "", "body_en": ""})
    update = Notice.objects.get(incident=incident, kind=Notice.Kind.UPDATE)
    assert update.status == Notice.Status.SENT
    assert update.body_zh
    assert update.body_en


def test_review_action_owners_are_picked_by_display_name_not_login(
    lead: User, manager: User, django_capture_on_commit_callbacks: Commits
) -> None:
    User.objects.filter(pk=manager.pk).update(display_name="陈静")
    incident = _confirmed(lead, django_capture_on_commit_callbacks)
    client = _client(_english(lead))
    page = client.get(f"/incidents/{incident.pk}/review/").content.decode()
    owner_select = page.split('name="owner"')[1].split("</select>")[0]
    assert f'<option value="{manager.pk}">陈静</option>' in owner_select
    assert manager.username not in owner_select
    client.post(
        f"/incidents/{incident.pk}/review/actions",
        {"description": "每周核对甲方付款进度", "owner": str(manager.pk), "due_on": "2026-12-01"},
    )
    assert ReviewAction.objects.get(incident=incident).owner == manager
