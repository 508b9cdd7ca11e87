"""Notice calls keep numbers masked: only the agent holding a call sees it, each view audited.

Issue 23, weakness 6: the incident page listed every open call with the
contact's full number (up to 199 of them for any agent), and nothing was audited.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.customers.masking import mask_phone
from kefu.customers.phones import phone_display
from kefu.incidents import services
from kefu.incidents.models import CallTask, Incident
from tests.core.factories import make_staff
from tests.incidents.builders import NOW, make_contact, make_customer, make_incident

ClientFor = Callable[[User], Client]
Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db

CALLS = 12


def _phones(n: int) -> list[str]:
    return [f"1390000{i:04d}" for i in range(n)]


@pytest.fixture
def incident(lead: User, django_capture_on_commit_callbacks: Commits) -> Incident:
    """A confirmed incident whose affected contacts all prefer a phone call."""
    org = make_customer()
    for phone in _phones(CALLS):
        make_contact(org, phone=phone, channels=["phone"])
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    assert CallTask.objects.filter(incident=incident).count() == CALLS
    return incident


def _page(client: Client, incident: Incident) -> str:
    response = client.get(reverse("incidents:incident", args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _first_task(incident: Incident) -> CallTask:
    return CallTask.objects.filter(incident=incident).select_related("contact").order_by("pk")[0]


def test_incident_page_shows_agents_no_full_number(
    client_for: ClientFor, agent: User, lead: User, incident: Incident
) -> None:
    for user in (agent, lead):
        page = _page(client_for(user), incident)

        assert [phone for phone in _phones(CALLS) if phone in page] == []
        assert mask_phone(_phones(CALLS)[0]) in page
        takes = [
            reverse("incidents:call_take", args=[incident.pk, pk])
            for pk in CallTask.objects.filter(incident=incident).values_list("pk", flat=True)
        ]
        assert all(take in page for take in takes)
    assert not AuditEntry.objects.filter(action="incident.call_number_viewed").exists()


def test_holder_sees_the_number_on_request_and_each_view_is_audited(
    client_for: ClientFor, agent: User, incident: Incident
) -> None:
    task = _first_task(incident)
    client = client_for(agent)
    take = client.post(reverse("incidents:call_take", args=[incident.pk, task.pk]))
    assert take.status_code == 302
    page = _page(client, incident)
    assert task.contact.phone not in page  # taking shows nothing yet
    assert phone_display(task.contact.phone) not in page
    assert reverse("incidents:call_number", args=[incident.pk, task.pk]) in page

    url = reverse("incidents:call_number", args=[incident.pk, task.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    second = client.post(url, HTTP_HX_REQUEST="true")

    assert first.status_code == second.status_code == 200
    # Shown as people read it (139 0000 0003).
    assert phone_display(task.contact.phone) in first.content.decode()
    assert "<html" not in first.content.decode()
    entries = AuditEntry.objects.filter(action="incident.call_number_viewed").order_by("pk")
    assert [(e.actor, e.target_type, e.target_id) for e in entries] == [
        (agent, "customers.contact", str(task.contact_id))
    ] * 2
    assert entries[0].after == {
        "phone": mask_phone(task.contact.phone),
        "incident": incident.pk,
        "call": task.pk,
    }
    assert task.contact.phone not in str(entries[0].after)


def test_number_without_htmx_shows_the_page_with_only_that_number(
    client_for: ClientFor, agent: User, incident: Incident
) -> None:
    task = _first_task(incident)
    client = client_for(agent)
    client.post(reverse("incidents:call_take", args=[incident.pk, task.pk]))

    response = client.post(reverse("incidents:call_number", args=[incident.pk, task.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    shown = [phone for phone in _phones(CALLS) if phone_display(phone) in page]
    assert shown == [task.contact.phone]


def test_another_agent_can_neither_see_nor_take_a_held_call(
    client_for: ClientFor, agent: User, incident: Incident
) -> None:
    task = _first_task(incident)
    client_for(agent).post(reverse("incidents:call_take", args=[incident.pk, task.pk]))
    colleague = make_staff(role=Role.AGENT)
    other = client_for(colleague)

    refused = other.post(reverse("incidents:call_number", args=[incident.pk, task.pk]))
    take = other.post(reverse("incidents:call_take", args=[incident.pk, task.pk]))

    assert refused.status_code == 403
    assert task.contact.phone not in refused.content.decode()
    assert phone_display(task.contact.phone) not in refused.content.decode()
    assert take.status_code == 302
    assert [str(m) for m in get_messages(take.wsgi_request)] != []
    assert CallTask.objects.get(pk=task.pk).held_by == agent
    assert not AuditEntry.objects.filter(action="incident.call_number_viewed").exists()
    assert str(agent) in _page(other, incident)  # who holds it is shown instead


def test_a_lead_who_has_not_taken_the_call_is_refused_the_number(
    lead: User, agent: User, incident: Incident
) -> None:
    task = _first_task(incident)

    with pytest.raises(PermissionDeniedError) as refused:
        services.call_task_number(actor=lead, task=task, at=NOW)

    assert refused.value.code == "incident_not_call_holder"


def test_two_agents_taking_one_call_get_one_holder(agent: User, incident: Incident) -> None:
    task = _first_task(incident)
    stale = CallTask.objects.get(pk=task.pk)
    colleague = make_staff(role=Role.AGENT)

    services.call_task_take(actor=agent, task=task, at=NOW)
    with pytest.raises(ConflictError) as refused:
        services.call_task_take(actor=colleague, task=stale, at=NOW)

    assert refused.value.code == "incident_call_taken"
    assert CallTask.objects.get(pk=task.pk).held_by == agent
    # Taking again one's own call is harmless.
    assert services.call_task_take(actor=agent, task=task, at=NOW).held_by == agent


def test_a_recorded_call_no_longer_shows_its_number(agent: User, incident: Incident) -> None:
    task = _first_task(incident)
    services.call_task_take(actor=agent, task=task, at=NOW)
    services.call_task_record(actor=agent, task=task, outcome="reached", note="", at=NOW)

    with pytest.raises(ConflictError) as refused:
        services.call_task_number(actor=agent, task=task, at=NOW)

    assert refused.value.code == "incident_already_resolved"
