"""The development outbox: SMS, chat and e-mail "sent" by a local desk, listed at
/dev/outbox/ only with KEFU_DEBUG or the demo on (404 otherwise)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client
from pytest_django import Settings

from kefu.cases import services
from kefu.cases.models import Message
from kefu.cases.tasks import deliver_message
from kefu.channels.dev_outbox import outbox_list
from kefu.core.models import User
from kefu.core.roles import Role
from tests.cases.builders import at, make_contact, nine_to_six_team
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

T0 = at("2026-12-01 10:00")


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def outbox_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def staff() -> User:
    team = nine_to_six_team(make_department())
    return make_staff(
        username="agent.outbox",
        role=Role.AGENT,
        team=team,
        department=team.department,
        language="en",
    )


def _page(user: User) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get("/dev/outbox/")
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(("debug", "demo"), [(True, False), (False, True)])
def test_the_outbox_page_is_on_with_debug_or_the_demo(
    settings: Settings, outbox_dir: Path, staff: User, debug: bool, demo: bool
) -> None:
    settings.DEBUG, settings.KEFU_DEMO = debug, demo
    status, body = _page(staff)
    assert status == 200
    assert "Development outbox" in body
    assert "Nothing has been sent yet." in body


def test_the_outbox_page_is_a_404_without_debug_or_the_demo(
    settings: Settings, outbox_dir: Path, staff: User
) -> None:
    settings.DEBUG, settings.KEFU_DEMO = False, False
    status, _body = _page(staff)
    assert status == 404


def test_the_outbox_page_asks_an_anonymous_visitor_to_sign_in(
    settings: Settings, outbox_dir: Path
) -> None:
    settings.KEFU_DEMO = True
    response = Client().get("/dev/outbox/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_sms_and_chat_replies_go_to_the_outbox_and_are_listed(
    settings: Settings, outbox_dir: Path, staff: User
) -> None:
    settings.KEFU_DEMO = True
    settings.KEFU_CHANNEL_BACKEND = "outbox"
    settings.KEFU_SMS_GATEWAY_URL = ""  # no gateway: without the outbox the SMS would fail
    contact = make_contact(phone="13912345678", channels=["sms", "chat"])
    contact.im_handle = "wx-zhangwei"
    contact.save(update_fields=["im_handle"])
    case = services.case_open(
        actor=None,
        contact=contact,
        subject="热水器不出热水",
        body="热水器从昨天起不出热水。",
        channel="phone",
        at=T0,
        team=staff.team,
        owner=staff,
    )
    for channel, body in (("sms", "师傅明天上午上门检修。"), ("chat", "已为您登记维修。")):
        reply = Message.objects.create(
            case=case,
            direction=Message.Direction.OUTBOUND,
            channel=channel,
            author=staff,
            body=body,
            created_at=T0,
            delivery_status="queued",
        )
        assert deliver_message.call(message_id=reply.pk) == "sent"
        reply.refresh_from_db()
        assert (reply.external_id or "").startswith("outbox:")

    entries = outbox_list()
    assert [(e.channel, e.to, e.body, e.reference) for e in entries] == [
        ("chat", "wx-zhangwei", "已为您登记维修。", case.reference),
        ("sms", "13912345678", "师傅明天上午上门检修。", case.reference),
    ]
    status, page = _page(staff)
    assert status == 200
    assert "师傅明天上午上门检修。" in page
    assert "wx-zhangwei" in page


def test_the_gateway_stays_the_channel_backend_when_the_outbox_is_not_chosen(
    settings: Settings, outbox_dir: Path, staff: User
) -> None:
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    settings.KEFU_SMS_GATEWAY_URL = ""
    contact = make_contact(phone="13912345678", channels=["sms"])
    case = services.case_open(
        actor=None,
        contact=contact,
        subject="报修",
        body="报修",
        channel="phone",
        at=T0,
        team=staff.team,
        owner=staff,
    )
    reply = Message.objects.create(
        case=case,
        direction=Message.Direction.OUTBOUND,
        channel="sms",
        author=staff,
        body="好的",
        created_at=T0,
        delivery_status="queued",
    )
    assert deliver_message.call(message_id=reply.pk) == "failed"
    assert outbox_list() == []


def test_email_through_the_outbox_backend_is_listed(
    settings: Settings, outbox_dir: Path, staff: User
) -> None:
    settings.KEFU_DEMO = True
    settings.EMAIL_BACKEND = "kefu.channels.dev_outbox.OutboxEmailBackend"
    sent = mail.send_mail("您的报修单", "师傅明天上门。", "kefu@localhost", ["zhang@example.com"])
    assert sent == 1
    [entry] = outbox_list()
    assert (entry.channel, entry.to, entry.subject) == ("email", "zhang@example.com", "您的报修单")
    _status, page = _page(staff)
    assert "您的报修单" in page
