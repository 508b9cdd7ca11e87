"""WeChat Customer Service (微信客服) through a local fake of WeCom's kf API: the
encrypted callback, sync_msg page by page, media, send_msg inside WeChat's window,
and the fallback to SMS when the window is closed."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from kefu.cases.models import Case, Message
from kefu.cases.tasks import deliver_message
from kefu.channels.models import (
    QuarantinedMessage,
    WechatIdentity,
    WechatSent,
    WecomAccessToken,
    WecomKfAccount,
)
from kefu.channels.replay import quarantine_replay
from kefu.channels.wecom_api import WecomApiError
from kefu.channels.wecom_kf import wecom_sync, wecom_sync_task
from kefu.channels.wecom_send import wechat_window, window_take_slot
from kefu.core.models import User
from tests.cases.builders import at, nine_to_six_team
from tests.channels import wecom_fake
from tests.channels.conftest import Endpoint
from tests.channels.wecom_fake import OPEN_KFID, FakeWecom, encrypted_callback, kf_event
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

T0 = at("2026-12-01 10:00")
USER = "wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw"
SYNC_TOKEN = "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMz"
CALLBACK_URL = "/channels/wecom-kf/callback"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def wecom(settings: Settings) -> Iterator[FakeWecom]:
    for fake in wecom_fake.serve():
        settings.KEFU_WECOM_CORP_ID = wecom_fake.CORP_ID
        settings.KEFU_WECOM_KF_SECRET = wecom_fake.SECRET
        settings.KEFU_WECOM_TOKEN = wecom_fake.CALLBACK_TOKEN
        settings.KEFU_WECOM_AES_KEY = wecom_fake.AES_KEY
        settings.KEFU_WECOM_API_BASE = fake.url
        settings.KEFU_CHANNEL_BACKEND = "gateway"
        nine_to_six_team(make_department())
        WecomKfAccount.objects.create(open_kfid=OPEN_KFID, name="官方客服")
        fake.nicknames[USER] = "小明"
        fake.media["MEDIA_IMG"] = ("leak.jpg", "image/jpeg", b"\xff\xd8\xff\xe0jpeg-bytes")
        fake.media["MEDIA_VOICE"] = ("voice.amr", "voice/amr", b"#!AMR\nvoice")
        fake.pages[""] = {
            "next_cursor": "c1",
            "has_more": 1,
            "msg_list": [
                _event("evt-1"),
                _text(
                    "msg-1", "你好，我家洗衣机漏水了，能派师傅来修吗？", T0 - timedelta(minutes=2)
                ),
            ],
        }
        fake.pages["c1"] = {
            "next_cursor": "c2",
            "has_more": 0,
            "msg_list": [
                _media("msg-2", "image", "MEDIA_IMG", T0 - timedelta(minutes=1)),
                {
                    **_base("msg-3", T0 - timedelta(minutes=1)),
                    "msgtype": "location",
                    "location": {
                        "latitude": 31.2304,
                        "longitude": 121.4737,
                        "name": "人民广场",
                        "address": "上海市黄浦区人民大道",
                    },
                },
                _media("msg-4", "voice", "MEDIA_VOICE", T0),
            ],
        }
        yield fake


def _base(msgid: str, when: Any) -> dict[str, Any]:
    return {
        "msgid": msgid,
        "open_kfid": OPEN_KFID,
        "external_userid": USER,
        "send_time": int(when.timestamp()),
        "origin": 3,
    }


def _text(msgid: str, content: str, when: Any) -> dict[str, Any]:
    return {**_base(msgid, when), "msgtype": "text", "text": {"content": content}}


def _media(msgid: str, kind: str, media_id: str, when: Any) -> dict[str, Any]:
    return {**_base(msgid, when), "msgtype": kind, kind: {"media_id": media_id}}


def _event(msgid: str) -> dict[str, Any]:
    return {
        "msgid": msgid,
        "open_kfid": OPEN_KFID,
        "send_time": int(T0.timestamp()),
        "origin": 4,
        "msgtype": "event",
        "event": {"event_type": "enter_session", "external_userid": USER, "scene": "0"},
    }


def _post_callback(client: Client, *, timestamp: int | None = None, **kwargs: Any) -> Any:
    stamp = int(T0.timestamp()) if timestamp is None else timestamp
    query, body = encrypted_callback(event_xml=kf_event(**kwargs), timestamp=stamp)
    return client.post(
        f"{CALLBACK_URL}?{urllib.parse.urlencode(query)}", body, content_type="text/xml"
    )


def _wechat_case() -> Case:
    return Case.objects.get(channel="wechat")


def test_url_verification_answers_the_decrypted_echostr(wecom: FakeWecom, client: Client) -> None:
    from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto  # type: ignore[import-untyped]
    from wechatpy.utils import to_text  # type: ignore[import-untyped]

    crypto = WeChatCrypto(wecom_fake.CALLBACK_TOKEN, wecom_fake.AES_KEY, wecom_fake.CORP_ID)
    echostr = to_text(PrpCrypto(crypto.key).encrypt("echo-1234567", wecom_fake.CORP_ID))
    stamp = str(int(T0.timestamp()))
    from wechatpy.crypto import _get_signature  # type: ignore[import-untyped]

    signature = _get_signature(wecom_fake.CALLBACK_TOKEN, stamp, "n1", echostr)
    query = {"msg_signature": signature, "timestamp": stamp, "nonce": "n1", "echostr": echostr}
    response = client.get(f"{CALLBACK_URL}?{urllib.parse.urlencode(query)}")
    assert response.status_code == 200
    assert response.content == b"echo-1234567"
    query["msg_signature"] = "0" * 40
    assert client.get(f"{CALLBACK_URL}?{urllib.parse.urlencode(query)}").status_code == 403


def test_a_wechat_message_opens_a_case_the_coach_reads_it_and_the_reply_goes_by_send_msg(
    wecom: FakeWecom,
    client: Client,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post_callback(client, sync_token=SYNC_TOKEN)
    assert response.status_code == 200
    assert response.content == b"success"
    assert len(callbacks) == 1  # the pull is queued, WeCom gets its answer at once

    assert wecom_sync_task.call(open_kfid=OPEN_KFID, token=SYNC_TOKEN) == 4

    # Two pages, from no cursor then the first page's; the callback's token on each.
    assert [r.get("cursor", "") for r in wecom.sync_requests] == ["", "c1"]
    assert {r["token"] for r in wecom.sync_requests} == {SYNC_TOKEN}
    assert WecomKfAccount.objects.get().cursor == "c2"
    case = _wechat_case()
    identity = WechatIdentity.objects.get()
    assert (identity.external_userid, identity.open_kfid, identity.nickname) == (
        USER,
        OPEN_KFID,
        "小明",
    )
    assert case.contact == identity.contact
    assert case.contact.name == "小明"
    assert case.contact.preferred_channels == ["wechat"]
    assert case.subject == "你好，我家洗衣机漏水了，能派师傅来修吗？"
    inbound = list(case.messages.filter(direction="in").order_by("created_at", "pk"))
    assert [m.external_id for m in inbound] == [
        "wecom:msg-1",
        "wecom:msg-2",
        "wecom:msg-3",
        "wecom:msg-4",
    ]
    assert inbound[2].body == "人民广场\n上海市黄浦区人民大道\n31.2304, 121.4737"
    image = inbound[1].attachments.get()
    assert (image.filename, image.content_type) == ("leak.jpg", "image/jpeg")
    assert image.file.read() == b"\xff\xd8\xff\xe0jpeg-bytes"
    assert inbound[3].attachments.get().filename == "voice.amr"
    # The coach read every message as it came in.
    assert all(m.reading for m in inbound)
    identity.refresh_from_db()
    assert identity.last_inbound_at == T0
    # One token for the whole pull, shared through the database.
    assert wecom.tokens_issued == 1
    assert WecomAccessToken.objects.get().token == "tok-1"

    agent = make_staff(team=case.team, department=case.department, language="en")
    page = client_for(agent).get(reverse("cases:case", args=[case.pk]))
    assert "WeChat window closes in 48 h" in page.content.decode()
    assert "5 of 5 replies left" in page.content.decode()
    client_for(agent).post(
        reverse("cases:reply", args=[case.pk]),
        {"body": "您好，师傅明天上午上门检修。", "version": case.version, "channel": ""},
    )
    reply = Message.objects.get(case=case, direction="out")
    assert reply.channel == "wechat"
    assert deliver_message.call(message_id=reply.pk) == "sent"
    assert wecom.sent == [
        {
            "touser": USER,
            "open_kfid": OPEN_KFID,
            "msgid": f"kefu-{reply.pk}",
            "msgtype": "text",
            "text": {"content": "您好，师傅明天上午上门检修。"},
        }
    ]
    reply.refresh_from_db()
    assert reply.external_id == f"wecom:kefu-{reply.pk}"
    page = client_for(agent).get(reverse("cases:case", args=[case.pk]))
    assert "4 of 5 replies left" in page.content.decode()


def test_a_resend_of_a_sent_message_never_sends_twice(wecom: FakeWecom) -> None:
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    case = _wechat_case()
    reply = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=case.contact,
        body="收到，马上安排。",
        created_at=T0,
        delivery_status="queued",
    )
    assert deliver_message.call(message_id=reply.pk) == "sent"
    # The worker died before recording "sent": the message is queued again.
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued")
    assert deliver_message.call(message_id=reply.pk) == "sent"
    assert len(wecom.sent) == 1
    assert WechatSent.objects.count() == 1


def test_an_expired_token_is_refreshed_once(wecom: FakeWecom) -> None:
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    wecom.expire_tokens()  # WeCom revoked it early: 42001 on the next call
    case = _wechat_case()
    reply = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=case.contact,
        body="好的",
        created_at=T0,
        delivery_status="queued",
    )
    assert deliver_message.call(message_id=reply.pk) == "sent"
    assert wecom.tokens_issued == 2
    assert WecomAccessToken.objects.get().token == "tok-2"


def test_after_48_hours_the_reply_falls_back_to_sms(
    wecom: FakeWecom,
    settings: Settings,
    endpoint: Endpoint,
    client_for: Callable[[User], Client],
) -> None:
    settings.KEFU_SMS_GATEWAY_URL = endpoint.url
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    case = _wechat_case()
    contact = case.contact
    contact.phone = "+8613800138000"
    contact.preferred_channels = ["wechat", "sms"]
    contact.save(update_fields=["phone", "preferred_channels"])
    agent = make_staff(team=case.team, department=case.department, language="en")

    # Written inside the window, delivered after it closed: refused, then sent by SMS.
    with time_machine.travel(T0 + timedelta(hours=47), tick=False):
        page = client_for(agent).get(reverse("cases:case", args=[case.pk]))
        assert "WeChat window closes in 1 h" in page.content.decode()
        case.refresh_from_db()
        client_for(agent).post(
            reverse("cases:reply", args=[case.pk]),
            {"body": "师傅已出发。", "version": case.version, "channel": ""},
        )
    late = Message.objects.get(case=case, direction="out")
    assert late.channel == "wechat"
    with time_machine.travel(T0 + timedelta(hours=49), tick=False):
        assert deliver_message.call(message_id=late.pk) == "failed"
        late.refresh_from_db()
        assert (late.delivery_status, late.delivery_error_code) == ("resent", "window_closed")
        fallback = Message.objects.get(resent_from=late)
        assert fallback.channel == "sms"
        assert deliver_message.call(message_id=fallback.pk) == "sent"
        sent: Any = endpoint.json_bodies()[0]
        assert sent["to"] == "+8613800138000"
        assert sent["text"] == "师傅已出发。"
        assert wecom.sent == []
        html = client_for(agent).get(reverse("cases:case", args=[case.pk])).content.decode()
        assert "WeChat window closed" in html
        assert "The WeChat reply window is closed" in html

        # A reply written after the window closed goes by SMS straight away.
        case.refresh_from_db()
        client_for(agent).post(
            reverse("cases:reply", args=[case.pk]),
            {"body": "请留意短信。", "version": case.version, "channel": ""},
        )
        newest = Message.objects.filter(case=case, direction="out").latest("pk")
        assert newest.channel == "sms"


def test_the_sixth_message_in_the_window_is_refused(wecom: FakeWecom) -> None:
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    case = _wechat_case()
    statuses = []
    for n in range(6):
        reply = Message.objects.create(
            case=case,
            direction="out",
            channel="wechat",
            contact=case.contact,
            body=f"第{n + 1}条",
            created_at=T0,
            delivery_status="queued",
        )
        statuses.append(deliver_message.call(message_id=reply.pk))
    assert statuses == ["sent"] * 5 + ["failed"]
    assert len(wecom.sent) == 5
    assert Message.objects.get(pk=reply.pk).delivery_error_code == "window_closed"


def test_two_workers_holding_the_same_window_never_send_a_sixth(wecom: FakeWecom) -> None:
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    case = _wechat_case()

    def queued(body: str) -> Message:
        return Message.objects.create(
            case=case,
            direction="out",
            channel="wechat",
            contact=case.contact,
            body=body,
            created_at=T0,
            delivery_status="queued",
        )

    for n in range(4):
        assert deliver_message.call(message_id=queued(f"第{n + 1}条").pk) == "sent"
    # Two workers read the window at the same moment: one message left for each.
    first = wechat_window(case.contact)
    second = wechat_window(case.contact)
    assert first is not None
    assert second is not None
    assert (first.remaining, second.remaining) == (1, 1)
    # The slot is taken by a compare-and-swap: the second, still reading one left, gets none.
    assert window_take_slot(first) is True
    assert window_take_slot(second) is False
    assert WechatIdentity.objects.get().window_sent == 5
    late = queued("第六条")
    assert deliver_message.call(message_id=late.pk) == "failed"
    assert Message.objects.get(pk=late.pk).delivery_error_code == "window_closed"
    assert len(wecom.sent) == 4


def test_a_refused_send_gives_its_slot_back(wecom: FakeWecom) -> None:
    wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    case = _wechat_case()
    WecomKfAccount.objects.update(open_kfid="wkOTHER")  # WeCom refuses: invalid open_kfid
    WechatIdentity.objects.update(open_kfid="wkOTHER")
    reply = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=case.contact,
        body="好的",
        created_at=T0,
        delivery_status="queued",
    )
    assert deliver_message.call(message_id=reply.pk) == "failed"
    assert WechatIdentity.objects.get().window_sent == 0


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"signature": "0" * 40}, 403),
        ({"timestamp_shift": 6 * 60}, 403),
        ({"body": b"<xml><Encrypt><![CDATA[bm90IGVuY3J5cHRlZA==]]></Encrypt></xml>"}, 403),
        ({"body": b"not xml at all"}, 400),
        ({"body": b'<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'}, 400),
    ],
)
def test_a_bad_or_replayed_callback_stores_nothing(
    wecom: FakeWecom,
    client: Client,
    change: dict[str, Any],
    status: int,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stamp = int(T0.timestamp()) - change.get("timestamp_shift", 0)
    query, body = encrypted_callback(event_xml=kf_event(), timestamp=stamp)
    if "signature" in change:
        query["msg_signature"] = change["signature"]
    body = change.get("body", body)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"{CALLBACK_URL}?{urllib.parse.urlencode(query)}", body, content_type="text/xml"
        )
    assert response.status_code == status
    assert callbacks == []
    assert wecom.calls == []
    assert Message.objects.count() == 0
    assert QuarantinedMessage.objects.count() == 0
    assert "wecom callback refused" in caplog.text


def test_a_callback_for_an_unknown_kf_account_is_acknowledged_and_ignored(
    wecom: FakeWecom,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post_callback(client, open_kfid="wkSOMEBODYELSE")
    # 200, or WeCom retries it for hours.
    assert response.status_code == 200
    assert callbacks == []
    assert Message.objects.count() == 0
    assert "unknown open_kfid" in caplog.text


def test_a_crash_between_pages_reads_the_page_again_without_duplicates(wecom: FakeWecom) -> None:
    wecom.fail_once.add("c1")  # WeCom answers the second page with HTTP 500
    with pytest.raises(WecomApiError):
        wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    # The first page is stored and its cursor saved; nothing of the second.
    assert WecomKfAccount.objects.get().cursor == "c1"
    assert Message.objects.filter(direction="in").count() == 1

    result = wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    assert (result.stored, result.repeats, result.pages) == (3, 0, 1)
    # Read on from "c1": never from the start, never past it.
    assert [r.get("cursor", "") for r in wecom.sync_requests] == ["", "c1", "c1"]

    # Both pages once more (a cursor lost): every msgid is stored once.
    WecomKfAccount.objects.update(cursor="")
    result = wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    assert (result.stored, result.repeats) == (0, 4)
    assert Message.objects.filter(direction="in").count() == 4
    assert Case.objects.count() == 1


def test_a_crash_inside_a_page_reads_that_page_again_without_duplicates(wecom: FakeWecom) -> None:
    wecom.fail_once.add("MEDIA_VOICE")  # media/get answers HTTP 502 for the page's last message
    with pytest.raises(WecomApiError):
        wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    assert WecomKfAccount.objects.get().cursor == "c1"
    assert Message.objects.filter(direction="in").count() == 3

    result = wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    assert (result.stored, result.repeats) == (1, 2)
    assert Message.objects.filter(direction="in").count() == 4
    assert WecomKfAccount.objects.get().cursor == "c2"


def test_an_unreadable_message_is_quarantined_and_replayed(wecom: FakeWecom) -> None:
    wecom.pages[""] = {
        "next_cursor": "c2",
        "has_more": 0,
        "msg_list": [
            {**_base("msg-9", T0), "msgtype": "image", "image": {"media_id": "MEDIA_GONE"}},
            _text("msg-10", "图片发不过去，你们看到了吗？", T0),
        ],
    }
    result = wecom_sync(open_kfid=OPEN_KFID, token=SYNC_TOKEN, at=T0)
    assert (result.stored, result.quarantined) == (1, 1)
    held = QuarantinedMessage.objects.get()
    assert (held.channel, held.error_code) == ("wechat", "unreadable_wechat")
    assert "MEDIA_GONE" in held.reason
    assert not Message.objects.filter(external_id="wecom:msg-9").exists()

    # The media turns up (the fix); the administrator replays it onto the same case.
    wecom.media["MEDIA_GONE"] = ("photo.png", "image/png", b"\x89PNG")
    replayed = quarantine_replay(actor=None, quarantine_id=held.pk, at=T0 + timedelta(hours=1))
    assert replayed.case == _wechat_case()
    message = Message.objects.get(external_id="wecom:msg-9")
    assert message.case == _wechat_case()
    assert message.attachments.get().filename == "photo.png"
    held.refresh_from_db()
    assert held.status == "replayed"


def test_without_wechat_settings_the_callback_does_not_exist(client: Client) -> None:
    query, body = encrypted_callback(event_xml=kf_event(), timestamp=int(T0.timestamp()))
    url = f"{CALLBACK_URL}?{urllib.parse.urlencode(query)}"
    assert client.get(url).status_code == 404
    assert client.post(url, body, content_type="text/xml").status_code == 404
    assert Message.objects.count() == 0


def test_the_sync_command_pulls_without_a_callback(wecom: FakeWecom) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    out = StringIO()
    with translation.override("en"):
        call_command("wecom_sync", stdout=out)
    assert out.getvalue() == "官方客服: 4 new messages, 0 held in quarantine.\n"
    assert Message.objects.filter(direction="in").count() == 4
    assert all("token" not in r for r in wecom.sync_requests)
