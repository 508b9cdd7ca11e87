"""Phone call records through the API: who may log them, and which case they land on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kefu.cases.models import Case, CaseEvent, Message
from kefu.channels.models import CallRecord
from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.customers.models import Contact
from tests.channels.builders import make_contact, open_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/channels/phone/calls"
MakeUser = Callable[..., User]
BearerFor = Callable[[User], dict[str, str]]


def _call(**changes: Any) -> dict[str, Any]:
    call: dict[str, Any] = {
        "direction": "in",
        "from_number": "13912345678",
        "to_number": "4008001234",
        "started_at": "2026-03-02T09:30:00+08:00",
        "duration_seconds": 185,
        "recording_url": "https://pbx.example.cn/rec/1.mp3",
        "notes": "客户反映三号楼电梯停运。",
    }
    call.update(changes)
    return call


def _post(client: Client, user: User, bearer_for: BearerFor, **changes: Any) -> Any:
    return client.post(
        URL, data=_call(**changes), content_type="application/json", headers=bearer_for(user)
    )


def test_anonymous_cannot_log_a_call(client: Client) -> None:
    response = client.post(URL, data=_call(), content_type="application/json")

    assert response.status_code == 401
    assert not CallRecord.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.AGENT, 201),
        (Role.TEAM_LEAD, 201),
        (Role.DEPARTMENT_MANAGER, 201),
        (Role.QA_INSPECTOR, 403),
        (Role.REALTIME_ANALYST, 403),
    ],
)
def test_only_roles_that_work_cases_log_calls(
    client: Client, make_user: MakeUser, bearer_for: BearerFor, role: str, status: int
) -> None:
    user = make_user(role)

    response = _post(client, user, bearer_for)

    assert response.status_code == status
    assert CallRecord.objects.exists() == (status == 201)
    assert Case.objects.exists() == (status == 201)


def test_call_from_an_unknown_number_opens_a_phone_case_with_the_notes(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = _post(client, agent, bearer_for, agent=agent.username, external_id="pbx-1")

    call = CallRecord.objects.get()
    case = Case.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": call.pk,
        "case": case.reference,
        "direction": "in",
        "from_number": "13912345678",
        "to_number": "4008001234",
        "started_at": "2026-03-02T01:30:00Z",
        "duration_seconds": 185,
        "recording_url": "https://pbx.example.cn/rec/1.mp3",
        "agent": agent.username,
        "notes": "客户反映三号楼电梯停运。",
        "external_id": "pbx-1",
    }
    assert (case.channel, case.owner) == ("phone", agent)
    assert Message.objects.get(case=case).body == "客户反映三号楼电梯停运。"
    assert Contact.objects.get().phone == "+8613912345678"
    assert CaseEvent.objects.filter(case=case, kind="call_logged").exists()
    assert AuditEntry.objects.filter(action="call.recorded", target_id=str(call.pk)).exists()


def test_call_is_attached_to_the_given_case(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    case = open_case(contact=make_contact(phone="13800000001"))

    response = _post(client, agent, bearer_for, case=case.reference)

    assert response.status_code == 201
    assert CallRecord.objects.get().case == case
    assert Case.objects.count() == 1


def test_call_is_attached_to_the_callers_latest_open_case(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    contact = make_contact(phone="13912345678")
    open_case(contact=contact, subject="旧的")
    latest = open_case(contact=contact, subject="新的")

    _post(client, agent, bearer_for)

    assert CallRecord.objects.get().case == latest
    assert Case.objects.count() == 2


def test_outbound_call_looks_up_the_number_called(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    case = open_case(contact=make_contact(phone="13700000000"))

    _post(
        client,
        agent,
        bearer_for,
        direction="out",
        from_number="4008001234",
        to_number="13700000000",
    )

    assert CallRecord.objects.get().case == case


def test_closed_case_of_the_caller_is_not_reused(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    contact = make_contact(phone="13912345678")
    closed = open_case(contact=contact)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)

    _post(client, agent, bearer_for)

    assert CallRecord.objects.get().case != closed


def test_repeated_external_id_returns_the_first_record(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    first = _post(client, agent, bearer_for, external_id="pbx-9")

    again = _post(client, agent, bearer_for, external_id="pbx-9", notes="changed")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert CallRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"agent": "nobody"}, 400, "unknown_agent"),
        ({"case": "KF-2026-999999"}, 404, "case_not_found"),
        ({"recording_url": "javascript:alert(1)"}, 400, "bad_recording_url"),
        ({"from_number": "call me"}, 400, "bad_phone_number"),
        ({"duration_seconds": -1}, 422, "invalid_input"),
        ({"direction": "sideways"}, 422, "invalid_input"),
        ({"extra": True}, 422, "invalid_input"),
    ],
)
def test_bad_reports_are_refused_and_store_nothing(
    client: Client,
    agent: User,
    bearer_for: BearerFor,
    changes: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = _post(client, agent, bearer_for, **changes)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not CallRecord.objects.exists()
    assert not Case.objects.exists()


def test_calls_of_a_case_are_listed_latest_first(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    case = open_case(contact=make_contact())
    _post(client, agent, bearer_for, case=case.reference, started_at="2026-03-02T09:00:00+08:00")
    _post(client, agent, bearer_for, case=case.reference, started_at="2026-03-02T11:00:00+08:00")
    open_case(contact=make_contact(phone="13000000000"))

    response = client.get(URL, {"case": case.reference}, headers=bearer_for(agent))

    assert response.status_code == 200
    assert [c["started_at"] for c in response.json()] == [
        "2026-03-02T03:00:00Z",
        "2026-03-02T01:00:00Z",
    ]


def test_listing_calls_of_an_unknown_case_is_404(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    response = client.get(URL, {"case": "KF-2026-000404"}, headers=bearer_for(agent))

    assert response.status_code == 404


def test_listing_calls_needs_a_signed_in_user(client: Client) -> None:
    assert client.get(URL, {"case": "KF-2026-000001"}).status_code == 401


def test_agent_signed_in_by_session_may_log_a_call(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = client_for(agent).post(URL, data=_call(), content_type="application/json")

    assert response.status_code == 201
