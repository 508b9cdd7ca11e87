"""The WeChat Official Account (公众号) through a local fake of WeChat's API: the
callback in plain and safe mode, messages opening cases, replies by custom/send in
the 48-hour window and template messages with the full-notice link outside it."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django import Settings

from kefu.cases.models import Case, Message
from kefu.cases.tasks import deliver_message
from kefu.channels.models import (
    QuarantinedMessage,
    WechatIdentity,
    WechatMpTemplate,
    WecomAccessToken,
)
from kefu.channels.replay import quarantine_replay
from kefu.core.models import User
from tests.cases.builders import at, nine_to_six_team
from tests.channels import wechat_mp_fake
from tests.channels.conftest import Endpoint
from tests.channels.wechat_mp_fake import (
    FakeWechatMp,
    message_xml,
    plain_callback,
    safe_callback,
    signed_query,
)
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

T0 = at("2026-12-01 10:00")
OPENID = "oQ3kA5xYz_MpUser0001"
URL = "/channels/wechat-mp/callback"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def mp(settings: Settings) -> Iterator[FakeWechatMp]:
    for fake in wechat_mp_fake.serve():
        settings.KEFU_WECHAT_MP_APP_ID = wechat_mp_fake.APP_ID
        settings.KEFU_WECHAT_MP_APP_SECRET = wechat_mp_fake.APP_SECRET
        settings.KEFU_WECHAT_MP_TOKEN = wechat_mp_fake.TOKEN
        settings.KEFU_WECHAT_MP_AES_KEY = wechat_mp_fake.AES_KEY
        settings.KEFU_WECHAT_API_BASE = fake.url
        settings.KEFU_CHANNEL_BACKEND = "gateway"
        settings.SITE_URL = "https://kefu.example.cn"
        nine_to_six_team(make_department())
        fake.media["IMG1"] = ("pipe.jpg", "image/jpeg", b"\xff\xd8\xff\xe0pipe")
        fake.media["VOICE1"] = ("voice.amr", "audio/amr", b"#!AMR\nvoice")
        yield fake


def _text(content: str, msgid: str = "24001", minutes: int = 0) -> str:
    created = int((T0 - timedelta(minutes=minutes)).timestamp())
    return message_xml(openid=OPENID, created=created, msgtype="text", msgid=msgid, Content=content)


def _post(client: Client, xml: str, *, safe: bool = True, timestamp: int | None = None) -> Any:
    stamp = int(T0.timestamp()) if timestamp is None else timestamp
    build = safe_callback if safe else plain_callback
    query, body = build(xml=xml, timestamp=stamp, openid=OPENID)
    return client.post(f"{URL}?{urllib.parse.urlencode(query)}", body, content_type="text/xml")


def _reply(client: Client, case: Case, body: str) -> Message:
    case.refresh_from_db()
    client.post(
        reverse("cases:reply", args=[case.pk]),
        {"body": body, "version": case.version, "channel": ""},
    )
    return Message.objects.filter(case=case, direction="out").latest("pk")


def test_url_verification_answers_the_echostr_when_signed(mp: FakeWechatMp, client: Client) -> None:
    query = {**signed_query(timestamp=int(T0.timestamp())), "echostr": "8812345678901"}
    response = client.get(f"{URL}?{urllib.parse.urlencode(query)}")
    assert (response.status_code, response.content) == (200, b"8812345678901")
    query["signature"] = "0" * 40
    assert client.get(f"{URL}?{urllib.parse.urlencode(query)}").status_code == 403


def test_a_message_in_safe_mode_opens_a_case_the_coach_reads_it_and_the_reply_goes_by_custom_send(
    mp: FakeWechatMp, client: Client, client_for: Callable[[User], Client]
) -> None:
    response = _post(client, _text("你好，我的热水器不出热水了，能派人来看看吗？", minutes=1))
    assert (response.status_code, response.content) == (200, b"success")

    case = Case.objects.get(channel="wechat")
    identity = WechatIdentity.objects.get()
    assert (identity.kind, identity.open_kfid, identity.external_userid) == (
        "mp",
        wechat_mp_fake.APP_ID,
        OPENID,
    )
    assert case.contact == identity.contact
    assert case.contact.preferred_channels == ["wechat"]
    assert case.subject == "你好，我的热水器不出热水了，能派人来看看吗？"
    inbound = case.messages.get(direction="in")
    assert inbound.external_id == "wxmp:24001"
    assert inbound.reading  # the coach read it
    assert identity.last_inbound_at == T0 - timedelta(minutes=1)

    agent = make_staff(team=case.team, department=case.department, language="en")
    page = client_for(agent).get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "WeChat window closes in 47 h" in page
    assert "Official Account" in page
    reply = _reply(client_for(agent), case, "您好，师傅今天下午上门。")
    assert reply.channel == "wechat"
    assert deliver_message.call(message_id=reply.pk) == "sent"
    assert mp.custom == [
        {"touser": OPENID, "msgtype": "text", "text": {"content": "您好，师傅今天下午上门。"}}
    ]
    assert mp.templates == []
    reply.refresh_from_db()
    assert reply.external_id == f"wxmp:kefu-{reply.pk}"
    # One token, shared through the database.
    assert mp.tokens_issued == 1
    assert WecomAccessToken.objects.get(corp_id=f"mp:{wechat_mp_fake.APP_ID}").token == "mptok-1"


def test_a_message_wechat_posts_twice_is_stored_once(mp: FakeWechatMp, client: Client) -> None:
    assert _post(client, _text("在吗？")).status_code == 200
    assert _post(client, _text("在吗？")).status_code == 200
    assert _post(client, _text("在吗？"), safe=False).status_code == 400  # safe mode: plain refused
    assert Message.objects.filter(direction="in").count() == 1
    assert Case.objects.count() == 1


def test_plain_mode_takes_a_follow_an_image_a_voice_and_a_location(
    mp: FakeWechatMp, client: Client, settings: Settings
) -> None:
    settings.KEFU_WECHAT_MP_AES_KEY = ""
    created = int(T0.timestamp()) - 60
    messages = [
        message_xml(openid=OPENID, created=created - 30, msgtype="event", Event="subscribe"),
        message_xml(
            openid=OPENID,
            created=created,
            msgtype="image",
            msgid="31",
            PicUrl="http://mmbiz.qpic.cn/x",
            MediaId="IMG1",
        ),
        message_xml(
            openid=OPENID,
            created=created + 1,
            msgtype="voice",
            msgid="32",
            MediaId="VOICE1",
            Format="amr",
            Recognition="水管漏水了",
        ),
        message_xml(
            openid=OPENID,
            created=created + 2,
            msgtype="location",
            msgid="33",
            Location_X="31.2304",
            Location_Y="121.4737",
            Scale="15",
            Label="上海市黄浦区人民大道",
        ),
        message_xml(openid=OPENID, created=created + 3, msgtype="event", Event="unsubscribe"),
    ]
    for xml in messages:
        assert _post(client, xml, safe=False).content == b"success"
    case = Case.objects.get()
    inbound = list(case.messages.filter(direction="in").order_by("created_at", "pk"))
    assert [m.external_id for m in inbound] == [
        f"wxmp:{OPENID}:{created - 30}",
        "wxmp:31",
        "wxmp:32",
        "wxmp:33",
    ]
    with translation.override("zh-hans"):
        # Written in the contact's language (Chinese) when it is stored.
        assert inbound[0].body == gettext("(followed the Official Account)")
    assert inbound[1].attachments.get().filename == "pipe.jpg"
    assert inbound[2].body == "水管漏水了"
    assert inbound[2].attachments.get().file.read() == b"#!AMR\nvoice"
    assert inbound[3].body == "上海市黄浦区人民大道\n31.2304, 121.4737"


def test_outside_the_window_a_template_message_goes_with_the_link_to_the_whole_reply(
    mp: FakeWechatMp, client: Client, client_for: Callable[[User], Client]
) -> None:
    WechatMpTemplate.objects.create(
        purpose="reply_waiting",
        template_id="tmpl-REPLY-7Gq",
        fields={"thing1": "{text}", "character_string2": "{ref}"},
    )
    _post(client, _text("空调不制冷"))
    case = Case.objects.get()
    agent = make_staff(team=case.team, department=case.department, language="en")
    with time_machine.travel(T0 + timedelta(hours=49), tick=False):
        html = client_for(agent).get(reverse("cases:case", args=[case.pk])).content.decode()
        assert "as a template message with a link" in html
        reply = _reply(
            client_for(agent), case, "您好，我们已为您预约明天上午九点到十二点的上门检修。"
        )
        assert reply.channel == "wechat"
        assert deliver_message.call(message_id=reply.pk) == "sent"
    assert mp.custom == []
    (sent,) = mp.templates
    assert sent["touser"] == OPENID
    assert sent["template_id"] == "tmpl-REPLY-7Gq"
    assert sent["client_msg_id"] == f"kefu-{reply.pk}"
    assert sent["data"] == {
        "thing1": {"value": "您好，我们已为您预约明天上午九点到十二…"},
        "character_string2": {"value": case.reference},
    }
    assert re.fullmatch(r"https://kefu\.example\.cn/n/[^/]+/", sent["url"])
    page = client.get(urllib.parse.urlsplit(sent["url"]).path)
    assert page.status_code == 200
    assert "我们已为您预约明天上午九点到十二点的上门检修" in page.content.decode()


def test_a_custom_message_wechat_says_is_late_goes_as_the_template_message(
    mp: FakeWechatMp, client: Client
) -> None:
    WechatMpTemplate.objects.create(
        purpose="incident_update", template_id="tmpl-UPD", fields={"first": "{text}"}
    )
    _post(client, _text("停水了吗？"))
    case = Case.objects.get()
    mp.out_of_window.add(OPENID)  # WeChat counts the window differently: 45015
    message = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=case.contact,
        body="停水预计今晚八点恢复。",
        created_at=T0,
        delivery_status="queued",
        purpose="incident_update",
    )
    assert deliver_message.call(message_id=message.pk) == "sent"
    assert [t["template_id"] for t in mp.templates] == ["tmpl-UPD"]
    # The refused custom message did not use up the window.
    assert WechatIdentity.objects.get().window_sent == 0


def test_outside_the_window_without_a_template_the_reply_falls_back_to_sms(
    mp: FakeWechatMp,
    client: Client,
    settings: Settings,
    endpoint: Endpoint,
    client_for: Callable[[User], Client],
) -> None:
    settings.KEFU_SMS_GATEWAY_URL = endpoint.url
    _post(client, _text("洗衣机坏了"))
    case = Case.objects.get()
    contact = case.contact
    contact.phone = "+8613800138000"
    contact.preferred_channels = ["wechat", "sms"]
    contact.save(update_fields=["phone", "preferred_channels"])
    message = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=contact,
        body="师傅明天到。",
        created_at=T0,
        delivery_status="queued",
    )
    with time_machine.travel(T0 + timedelta(hours=49), tick=False):
        assert deliver_message.call(message_id=message.pk) == "failed"
        message.refresh_from_db()
        assert message.delivery_error_code == "window_closed"
        fallback = Message.objects.get(resent_from=message)
        assert fallback.channel == "sms"
    assert mp.custom == mp.templates == []


def test_an_expired_token_is_refreshed_once(mp: FakeWechatMp, client: Client) -> None:
    _post(client, _text("你好"))
    case = Case.objects.get()
    message = Message.objects.create(
        case=case,
        direction="out",
        channel="wechat",
        contact=case.contact,
        body="您好",
        created_at=T0,
        delivery_status="queued",
    )
    # A token WeChat revoked early (another server fetched a new one): 40001.
    WecomAccessToken.objects.update_or_create(
        corp_id=f"mp:{wechat_mp_fake.APP_ID}",
        defaults={"token": "mptok-revoked", "expires_at": T0 + timedelta(hours=1)},
    )
    assert deliver_message.call(message_id=message.pk) == "sent"
    assert mp.tokens_issued == 1
    assert mp.calls == [
        "/cgi-bin/message/custom/send",
        "/cgi-bin/token",
        "/cgi-bin/message/custom/send",
    ]
    assert len(mp.custom) == 1
    assert WecomAccessToken.objects.get().token == "mptok-1"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"msg_signature": "0" * 40}, 403),
        ({"timestamp_shift": 6 * 60}, 403),
        ({"body": b"<xml><Encrypt><![CDATA[bm90IGVuY3J5cHRlZA==]]></Encrypt></xml>"}, 403),
        ({"body": b"not xml at all"}, 400),
        ({"body": b'<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'}, 400),
    ],
)
def test_a_bad_or_replayed_callback_stores_nothing(
    mp: FakeWechatMp,
    client: Client,
    change: dict[str, Any],
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stamp = int(T0.timestamp()) - change.get("timestamp_shift", 0)
    query, body = safe_callback(xml=_text("你好"), timestamp=stamp, openid=OPENID)
    if "msg_signature" in change:
        query["msg_signature"] = change["msg_signature"]
    body = change.get("body", body)
    response = client.post(f"{URL}?{urllib.parse.urlencode(query)}", body, content_type="text/xml")
    assert response.status_code == status
    assert Message.objects.count() == 0
    assert WechatIdentity.objects.count() == 0
    assert QuarantinedMessage.objects.count() == 0
    assert mp.calls == []
    assert "wechat-mp callback refused" in caplog.text


def test_a_plain_callback_with_a_bad_signature_is_refused(
    mp: FakeWechatMp, client: Client, settings: Settings
) -> None:
    settings.KEFU_WECHAT_MP_AES_KEY = ""
    query, body = plain_callback(xml=_text("你好"), timestamp=int(T0.timestamp()), openid=OPENID)
    query["signature"] = "f" * 40
    response = client.post(f"{URL}?{urllib.parse.urlencode(query)}", body, content_type="text/xml")
    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_an_unconfigured_desk_has_no_callback(client: Client, settings: Settings) -> None:
    settings.KEFU_WECHAT_MP_APP_ID = ""
    settings.KEFU_WECHAT_MP_TOKEN = ""
    query = {**signed_query(timestamp=int(T0.timestamp())), "echostr": "1"}
    assert client.get(f"{URL}?{urllib.parse.urlencode(query)}").status_code == 404
    assert (
        client.post(f"{URL}?{urllib.parse.urlencode(query)}", b"<xml/>", "text/xml").status_code
        == 404
    )


def test_an_image_wechat_will_not_hand_over_is_quarantined_and_replays(
    mp: FakeWechatMp, client: Client
) -> None:
    xml = message_xml(
        openid=OPENID, created=int(T0.timestamp()), msgtype="image", msgid="41", MediaId="GONE"
    )
    assert _post(client, xml).content == b"success"
    held = QuarantinedMessage.objects.get()
    assert (held.channel, held.source) == ("wechat", "wechat-mp")
    assert Message.objects.count() == 0
    mp.media["GONE"] = ("late.jpg", "image/jpeg", b"\xff\xd8late")
    quarantine_replay(actor=None, quarantine_id=held.pk, at=T0)
    assert Message.objects.get(external_id="wxmp:41").attachments.get().filename == "late.jpg"
