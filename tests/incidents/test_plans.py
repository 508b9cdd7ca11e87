"""The client's say on a stoppage plan: sent for approval, accepted or questioned on a
signed page, the question landing on the incident as the customer's message."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kefu.cases.models import Case, Message
from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.models import User
from kefu.incidents import services
from kefu.incidents.models import ContinuationPlan, Incident, IncidentCase, Notice, PlanAnswer
from kefu.incidents.services.plans import plan_send, plan_token
from tests.incidents.builders import NOW, make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def _plan(lead: User, commits: Commits) -> ContinuationPlan:
    org = make_customer()
    make_contact(org, name="王芳", email="wang@example.com", channels=["email"])
    make_contact(org, name="Alice", email="alice@example.com", language="en", channels=["email"])
    incident = make_incident(lead)
    services.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=NOW)
    with commits(execute=True):
        services.incident_confirm(actor=lead, incident=incident, at=NOW)
    return services.plan_add(
        actor=lead,
        incident=incident,
        kind=ContinuationPlan.Kind.REMEDY,
        parts="先完成二层水电验收，三层暂停",
        at=NOW,
    )


def _sent(lead: User, commits: Commits) -> ContinuationPlan:
    plan = _plan(lead, commits)
    mail.outbox.clear()
    with commits(execute=True):
        plan_send(actor=lead, plan=plan, at=NOW + timedelta(hours=1))
    plan.refresh_from_db()
    return plan


def _token(plan: ContinuationPlan, name: str) -> str:
    contact = plan.incident.contacts.get(name=name)
    return plan_token(plan_id=plan.pk, contact_id=contact.pk)


def test_each_contact_gets_the_plan_in_their_language_with_their_own_link(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    plan = _sent(lead, django_capture_on_commit_callbacks)

    notice = Notice.objects.get(kind=Notice.Kind.PLAN)
    assert notice.plan == plan
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"wang@example.com", "alice@example.com"}
    assert "先完成二层水电验收" in by_address["wang@example.com"].body
    assert "For your approval" in by_address["alice@example.com"].subject
    wang_link = f"/incidents/plan/{_token(plan, '王芳')}/"
    assert wang_link in by_address["wang@example.com"].body
    assert wang_link not in by_address["alice@example.com"].body


def test_a_contact_accepts_and_the_incident_page_shows_who(
    lead: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Commits,
) -> None:
    plan = _sent(lead, django_capture_on_commit_callbacks)
    token = _token(plan, "Alice")

    page = Client().get(f"/incidents/plan/{token}/")
    assert page.status_code == 200
    assert "Accept the plan" in page.content.decode()
    done = Client().post(f"/incidents/plan/{token}/", {"decision": "accept", "question": ""})

    assert 'data-testid="plan-done"' in done.content.decode()
    answer = PlanAnswer.objects.get()
    assert answer.decision == PlanAnswer.Decision.ACCEPTED
    assert answer.contact.name == "Alice"
    staff_page = client_for(lead).get(f"/incidents/{plan.incident_id}/").content.decode()
    assert "Alice" in staff_page
    assert "接受" in staff_page or "Accepted" in staff_page


def test_a_question_lands_on_the_incident_as_the_customers_message(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    plan = _sent(lead, django_capture_on_commit_callbacks)
    token = _token(plan, "王芳")

    Client().post(
        f"/incidents/plan/{token}/", {"decision": "question", "question": "二层验收谁来签字？"}
    )

    answer = PlanAnswer.objects.get()
    assert answer.decision == PlanAnswer.Decision.QUESTION
    case = answer.case
    assert case is not None
    assert IncidentCase.objects.filter(incident=plan.incident, case=case).exists()
    message = case.messages.get()
    assert message.direction == Message.Direction.INBOUND
    assert message.body == "二层验收谁来签字？"
    assert message.reading  # the coach read it like any other customer message

    # A second question goes on the same case, not a new one.
    Client().post(
        f"/incidents/plan/{token}/", {"decision": "question", "question": "还有，费用怎么算？"}
    )
    assert Case.objects.count() == 1
    assert case.messages.count() == 2


def test_an_empty_question_is_refused_in_words_and_nothing_is_stored(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    plan = _sent(lead, django_capture_on_commit_callbacks)

    page = Client().post(
        f"/incidents/plan/{_token(plan, '王芳')}/", {"decision": "question", "question": "  "}
    )

    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    assert not PlanAnswer.objects.exists()


def test_a_forged_or_foreign_link_and_an_unsent_plan_are_not_found(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    plan = _plan(lead, django_capture_on_commit_callbacks)
    token = _token(plan, "王芳")
    assert Client().get(f"/incidents/plan/{token}/").status_code == 404  # not sent yet
    with django_capture_on_commit_callbacks(execute=True):
        plan_send(actor=lead, plan=plan, at=NOW)
    assert Client().get(f"/incidents/plan/{token}/").status_code == 200
    assert Client().get(f"/incidents/plan/{token}x/").status_code == 404
    stranger = make_contact(make_customer(), name="路人", email="x@example.com")
    foreign = plan_token(plan_id=plan.pk, contact_id=stranger.pk)
    assert Client().get(f"/incidents/plan/{foreign}/").status_code == 404


def test_a_plan_is_sent_once_by_someone_who_runs_incidents(
    lead: User, agent: User, django_capture_on_commit_callbacks: Commits
) -> None:
    plan = _plan(lead, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDeniedError):
        plan_send(actor=agent, plan=plan, at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        plan_send(actor=lead, plan=plan, at=NOW)
    with pytest.raises(ConflictError):
        plan_send(actor=lead, plan=plan, at=NOW)
    assert Notice.objects.filter(kind=Notice.Kind.PLAN).count() == 1


def test_the_page_button_sends_the_plan(
    lead: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Commits,
) -> None:
    plan = _plan(lead, django_capture_on_commit_callbacks)
    client = client_for(lead)
    assert (
        f"/incidents/{plan.incident_id}/plans/{plan.pk}/send"
        in client.get(f"/incidents/{plan.incident_id}/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/incidents/{plan.incident_id}/plans/{plan.pk}/send")

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.sent_at is not None
    assert Incident.objects.get(pk=plan.incident_id).notices.filter(kind="plan").exists()
