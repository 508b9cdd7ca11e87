"""Collaboration on a case: a colleague of another department helps with a task, a side
conversation with a supplier, a meeting with .ics, the check-in rhythm and a task force."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client

from kefu.cases.models import Case, Message
from kefu.channels.email_in import email_ingest
from kefu.collab import services
from kefu.collab.models import Collaborator, SideMessage
from kefu.core import clock
from kefu.core.errors import PermissionDeniedError
from kefu.core.models import Notification, Team, User
from kefu.core.roles import Role
from tests.cases.builders import at, open_case
from tests.channels.builders import raw_email
from tests.core.factories import make_department, make_staff

Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db

NOW = at("2026-11-02 10:00")


@pytest.fixture
def engineer() -> User:
    return make_staff(
        username="gongcheng.li",
        role=Role.AGENT,
        department=make_department(name="工程部", code="engineering"),
    )


def _confidential_case(team: Team, owner: User) -> Case:
    case = open_case(when="2026-11-02 09:00", team=team, owner=owner)
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    case.refresh_from_db()
    return case


def test_a_colleague_of_another_department_helps_and_completes_the_task(
    team: Team, desk_agent: User, engineer: User, client_for: Callable[[User], Client]
) -> None:
    case = _confidential_case(team, desk_agent)
    page = f"/cases/{case.pk}/"
    assert client_for(engineer).get(page).status_code == 404  # confidential, other department

    services.collaborator_invite(
        actor=desk_agent,
        case=case,
        user=engineer,
        task="现场查看卫生间渗水原因",
        due_at=NOW + timedelta(days=1),
        at=NOW,
    )

    assert client_for(engineer).get(page).status_code == 200
    invited = Notification.objects.get(recipient=engineer)
    assert case.reference in invited.subject
    panel = client_for(engineer).get(f"/collab/cases/{case.pk}/panel/").content.decode()
    assert "现场查看卫生间渗水原因" in panel
    assert "task-done-form" in panel

    response = client_for(engineer).post(
        f"/collab/cases/{case.pk}/tasks/{Collaborator.objects.get().pk}/done",
        {"note": "防水层破损，已安排返修"},
    )

    assert response.status_code == 302
    item = Collaborator.objects.get()
    assert item.done_at is not None
    note = case.messages.get(direction=Message.Direction.NOTE)
    assert note.body == "防水层破损，已安排返修"
    assert note.author == engineer
    assert Notification.objects.filter(recipient=desk_agent, code="collab.task_done").exists()
    assert case.owner == desk_agent  # the owner stays the customer's contact
    history = client_for(desk_agent).get(page).content.decode()
    assert "现场查看卫生间渗水原因" in history


def test_only_the_collaborator_or_the_owner_closes_a_task(
    team: Team, desk_agent: User, engineer: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=desk_agent)
    item = services.collaborator_invite(
        actor=desk_agent, case=case, user=engineer, task="报价", due_at=None, at=NOW
    )
    bystander = make_staff(role=Role.AGENT)

    with pytest.raises(PermissionDeniedError):
        services.collaborator_task_done(actor=bystander, item=item, note="", at=NOW)


def test_a_side_conversation_threads_the_suppliers_answer_and_the_customer_never_sees_it(
    team: Team, desk_agent: User, django_capture_on_commit_callbacks: Commits
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=desk_agent)
    customer_messages = case.messages.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.side_conversation_start(
            actor=desk_agent,
            case=case,
            party_name="恒通建材",
            party_email="sales@hengtong.example",
            subject="瓷砖补货时间",
            body="请确认 3 号楼瓷砖补货到场时间。",
            at=NOW,
        )
    (sent,) = mail.outbox
    assert sent.to == ["sales@hengtong.example"]
    assert sent.reply_to == [conversation.reply_address]
    our_id = sent.extra_headers["Message-ID"]

    reply = raw_email(
        sender="恒通 <li@hengtong.example>",
        subject=f"Re: 瓷砖补货时间 [{case.reference}]",
        body="周四上午到场。".encode(),
        message_id="<r1@hengtong.example>",
        headers={"In-Reply-To": our_id},
    )
    result = email_ingest(raw=reply, at=NOW + timedelta(hours=1))
    again = email_ingest(raw=reply, at=NOW + timedelta(hours=1))

    assert result.case == case
    assert result.message is None
    assert again.is_duplicate
    answer = SideMessage.objects.get(direction=SideMessage.Direction.IN)
    assert answer.body.strip() == "周四上午到场。"
    assert case.messages.count() == customer_messages  # nothing on the customer's thread
    assert Case.objects.count() == 1
    assert Notification.objects.filter(recipient=desk_agent, code="collab.side_reply").exists()


def test_a_reply_naming_a_side_message_from_another_domain_is_not_threaded_there(
    team: Team, desk_agent: User, django_capture_on_commit_callbacks: Commits
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=desk_agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.side_conversation_start(
            actor=desk_agent,
            case=case,
            party_name="恒通建材",
            party_email="sales@hengtong.example",
            subject="补货",
            body="请确认时间。",
            at=NOW,
        )
    our_id = mail.outbox[-1].extra_headers["Message-ID"]

    email_ingest(
        raw=raw_email(
            sender="stranger@elsewhere.example",
            message_id="<x1@elsewhere.example>",
            headers={"In-Reply-To": our_id},
        ),
        at=NOW,
    )

    assert not SideMessage.objects.filter(direction=SideMessage.Direction.IN).exists()


def test_a_meeting_invites_everyone_on_the_case_with_an_ics(
    team: Team,
    desk_agent: User,
    engineer: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Commits,
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=desk_agent)
    services.collaborator_invite(
        actor=desk_agent, case=case, user=engineer, task="出方案", due_at=None, at=NOW
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.case_meeting_schedule(
            actor=desk_agent,
            case=case,
            title="跨部门协调会",
            starts_at=NOW + timedelta(days=1),
            duration_minutes=45,
            location="三号会议室",
            extra_emails=["pm@client.example"],
            at=NOW,
        )

    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == sorted([desk_agent.email, engineer.email, "pm@client.example"])
    name, content, kind = mail.outbox[0].attachments[0]
    assert name == "invite.ics"
    assert kind.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == "跨部门协调会"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert len(event.get("attendee", [])) == 3
    download = client_for(engineer).get(f"/collab/cases/{case.pk}/meetings/{meeting.pk}.ics")
    assert download.status_code == 200
    assert b"BEGIN:VCALENDAR" in download.content


def test_the_check_in_rhythm_reminds_everyone_until_the_case_is_resolved(
    team: Team, desk_agent: User, engineer: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=desk_agent)
    services.collaborator_invite(
        actor=desk_agent, case=case, user=engineer, task="跟进", due_at=None, at=NOW
    )
    services.check_in_set(actor=desk_agent, case=case, every_hours=4, at=NOW)

    clock.tick(now=NOW + timedelta(hours=3))
    assert not Notification.objects.filter(code="collab.check_in_due").exists()
    clock.tick(now=NOW + timedelta(hours=4, minutes=1))
    reminded = set(
        Notification.objects.filter(code="collab.check_in_due").values_list(
            "recipient_id", flat=True
        )
    )
    assert reminded == {desk_agent.pk, engineer.pk}

    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED)
    clock.tick(now=NOW + timedelta(hours=8, minutes=2))
    assert Notification.objects.filter(code="collab.check_in_due").count() == 2


def test_a_lead_forms_a_task_force_an_agent_may_not(
    team: Team, desk_agent: User, desk_lead: User, engineer: User
) -> None:
    case = _confidential_case(team, desk_agent)
    with pytest.raises(PermissionDeniedError):
        services.task_force_form(
            actor=desk_agent, case=case, name="渗水专项组", lead=desk_lead, members=[], at=NOW
        )

    force = services.task_force_form(
        actor=desk_lead,
        case=case,
        name="渗水专项组",
        lead=desk_lead,
        members=[engineer, desk_agent],
        at=NOW,
    )

    assert set(force.members.all()) == {engineer, desk_agent}
    assert case.watchers.filter(pk=engineer.pk).exists()  # sees the confidential case
    assert Notification.objects.filter(recipient=engineer, code="collab.task_force").exists()
