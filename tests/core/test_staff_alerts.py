"""Staff alerts in WeCom, DingTalk and Feishu, against a local fake that speaks each
provider's wire format and checks its signatures and its access-token rules."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.test import Client
from pytest_django import Settings

from kefu.core import alert_services, staff_alerts
from kefu.core import clock as core_clock
from kefu.core.alert_models import (
    AlertChannel,
    StaffAlertDelivery,
    TeamAlertRobot,
    WecomAccessToken,
)
from kefu.core.clocks import STAFF_ALERTS
from kefu.core.models import Notification, Team, User
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.core.staff_alerts import AlertKind
from kefu.core.tasks import staff_alerts_deliver
from kefu.floor.services import hand_raise
from tests.core.factories import make_staff, make_team

NOW = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)  # 10:30 in Beijing, a Monday
CORP_ID = "ww1234567890abcdef"
APP_SECRET = "app-secret-of-the-alerts-app"
AGENT_ID = 1000002
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "dingtoken123"
DING_SECRET = "SEC0123456789abcdef"
FEISHU_TOKEN = "b8d4e5f6-feishu-hook"
FEISHU_SECRET = "feishu-sign-secret"


@dataclass
class Fake:
    """What the fake providers received, and how they behave."""

    url: str = ""
    tokens_issued: int = 0
    current_token: str = ""
    expired: set[str] = field(default_factory=set)
    app_messages: list[dict[str, Any]] = field(default_factory=list)
    wecom_robot: list[dict[str, Any]] = field(default_factory=list)
    dingtalk: list[dict[str, Any]] = field(default_factory=list)
    feishu: list[dict[str, Any]] = field(default_factory=list)
    down: set[str] = field(default_factory=set)


def _answer(handler: BaseHTTPRequestHandler, body: dict[str, Any], status: int = 200) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            if parsed.path != "/cgi-bin/gettoken":
                _answer(self, {"errcode": 404}, 404)
                return
            if query.get("corpid") != CORP_ID or query.get("corpsecret") != APP_SECRET:
                _answer(self, {"errcode": 40001, "errmsg": "invalid credential"})
                return
            fake.tokens_issued += 1
            fake.current_token = f"ACCESS-{fake.tokens_issued}"
            _answer(
                self,
                {
                    "errcode": 0,
                    "errmsg": "ok",
                    "access_token": fake.current_token,
                    "expires_in": 7200,
                },
            )

        def do_POST(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if parsed.path in fake.down:
                _answer(self, {"message": "service unavailable"}, 503)
            elif parsed.path == "/cgi-bin/message/send":
                self._app_message(query, body)
            elif parsed.path == "/cgi-bin/webhook/send":
                self._wecom_robot(query, body)
            elif parsed.path == "/robot/send":
                self._dingtalk(query, body)
            elif parsed.path.startswith("/open-apis/bot/v2/hook/"):
                self._feishu(parsed.path.rsplit("/", 1)[-1], body)
            else:
                _answer(self, {"errcode": 404}, 404)

        def _app_message(self, query: dict[str, str], body: dict[str, Any]) -> None:
            token = query.get("access_token", "")
            if token in fake.expired:
                _answer(self, {"errcode": 42001, "errmsg": "access_token expired"})
            elif token != fake.current_token:
                _answer(self, {"errcode": 40014, "errmsg": "invalid access_token"})
            elif body.get("agentid") != AGENT_ID or body.get("msgtype") != "text":
                _answer(self, {"errcode": 40056, "errmsg": "invalid agentid"})
            else:
                fake.app_messages.append(body)
                _answer(self, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "m1"})

        def _wecom_robot(self, query: dict[str, str], body: dict[str, Any]) -> None:
            if query.get("key") != WECOM_KEY:
                _answer(self, {"errcode": 93000, "errmsg": "invalid webhook url"})
            elif body.get("msgtype") != "markdown" or not body["markdown"].get("content"):
                _answer(self, {"errcode": 40008, "errmsg": "invalid message type"})
            else:
                fake.wecom_robot.append(body)
                _answer(self, {"errcode": 0, "errmsg": "ok"})

        def _dingtalk(self, query: dict[str, str], body: dict[str, Any]) -> None:
            # DingTalk: sign = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))),
            # the timestamp in milliseconds within an hour of the server's clock.
            timestamp = query.get("timestamp", "")
            expected = base64.b64encode(
                hmac.new(
                    DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256
                ).digest()
            ).decode()
            if query.get("access_token") != DING_TOKEN:
                _answer(self, {"errcode": 300001, "errmsg": "token is not exist"})
            elif (
                not timestamp.isdigit()
                or abs(int(timestamp) - time.time() * 1000) > 3_600_000
                or query.get("sign") != expected
            ):
                _answer(self, {"errcode": 310000, "errmsg": "sign not match"})
            else:
                fake.dingtalk.append(body)
                _answer(self, {"errcode": 0, "errmsg": "ok"})

        def _feishu(self, token: str, body: dict[str, Any]) -> None:
            # Feishu: sign = base64(HmacSHA256(key=timestamp + "\n" + secret, msg="")),
            # timestamp in seconds, both in the JSON body.
            timestamp = str(body.get("timestamp", ""))
            expected = base64.b64encode(
                hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
            ).decode()
            if token != FEISHU_TOKEN:
                _answer(
                    self,
                    {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"},
                )
            elif (
                not timestamp.isdigit()
                or abs(int(timestamp) - time.time()) > 3600
                or body.get("sign") != expected
            ):
                _answer(
                    self,
                    {
                        "code": 19021,
                        "msg": "sign match fail or timestamp is not within one hour "
                        "from current time",
                    },
                )
            else:
                fake.feishu.append(body)
                _answer(self, {"code": 0, "data": {}, "msg": "success"})

    return Handler


@pytest.fixture
def fake(settings: Settings) -> Iterator[Fake]:
    state = Fake()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.KEFU_WECOM_API_BASE = state.url
    settings.KEFU_DINGTALK_API_BASE = state.url
    settings.KEFU_FEISHU_API_BASE = state.url
    settings.KEFU_WECOM_CORP_ID = CORP_ID
    settings.KEFU_WECOM_AGENT_ID = str(AGENT_ID)
    settings.KEFU_WECOM_APP_SECRET = APP_SECRET
    settings.SITE_URL = "https://kefu.example.cn"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db: None) -> Team:
    return make_team(name="热线二组")


@pytest.fixture
def team_lead(team: Team) -> User:
    return make_staff(username="lead.wang", role=Role.TEAM_LEAD, team=team, language="en")


@pytest.fixture
def team_agent(team: Team) -> User:
    return make_staff(username="agent.sun", role=Role.AGENT, team=team)


def _robot(team: Team, channel: str, webhook: str, secret: str = "") -> TeamAlertRobot:
    return alert_services.team_alert_robot_save(
        team=team, name=channel, channel=channel, webhook=webhook, secret=secret, language="en"
    )


def _escalated(recipient: User, ref: str = "KF-2026-0042") -> Notification:
    return notification_send(
        recipient=recipient,
        code="cases.escalated",
        params={"ref": ref, "body": "second breach"},
        link="/cases/42/",
        at=NOW,
    )


@pytest.mark.django_db
def test_raised_hand_reaches_the_wecom_group_robot_and_the_signed_dingtalk_robot(
    fake: Fake,
    clock: time_machine.Traveller,
    team: Team,
    team_lead: User,
    team_agent: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _robot(team, AlertChannel.WECOM_ROBOT, f"{fake.url}/cgi-bin/webhook/send?key={WECOM_KEY}")
    _robot(team, AlertChannel.DINGTALK, DING_TOKEN, DING_SECRET)

    with django_capture_on_commit_callbacks(execute=True):
        hand_raise(actor=team_agent, note="客户要求退款", at=NOW)
    sent = alert_services.staff_alerts_deliver_due(now=NOW)

    assert sent == 2
    notification = Notification.objects.get(recipient=team_lead, code="floor.hand_raised")
    assert notification.read_at is None
    [wecom] = fake.wecom_robot
    assert wecom["markdown"]["content"] == (
        f"**{team_agent} raised a hand**\n\n"
        f"{team_agent} asks for help. Case: —. Note: 客户要求退款\n\n"
        "[https://kefu.example.cn/floor/](https://kefu.example.cn/floor/)"
    )
    [ding] = fake.dingtalk
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"]["title"] == f"{team_agent} raised a hand"
    assert list(
        StaffAlertDelivery.objects.order_by("channel").values_list("channel", "status", "attempts")
    ) == [("dingtalk", "sent", 1), ("wecom_robot", "sent", 1)]


@pytest.mark.django_db
def test_a_signed_feishu_bot_receives_the_alert(
    fake: Fake, clock: time_machine.Traveller, team: Team, team_lead: User
) -> None:
    _robot(
        team, AlertChannel.FEISHU, f"{fake.url}/open-apis/bot/v2/hook/{FEISHU_TOKEN}", FEISHU_SECRET
    )

    _escalated(team_lead)
    alert_services.staff_alerts_deliver_due(now=NOW)

    [message] = fake.feishu
    assert message["msg_type"] == "text"
    assert message["content"]["text"] == (
        "Case KF-2026-0042 escalated to you\nsecond breach\nhttps://kefu.example.cn/cases/42/"
    )


@pytest.mark.django_db
def test_wecom_app_message_uses_the_cached_token_and_refreshes_it_once_when_expired(
    fake: Fake, clock: time_machine.Traveller, team_lead: User
) -> None:
    alert_services.staff_alert_setting_save(user=team_lead, wecom_user_id="WangLei", wecom_app=True)

    _escalated(team_lead, "KF-1")
    _escalated(team_lead, "KF-2")
    assert alert_services.staff_alerts_deliver_due(now=NOW) == 2
    # One token for both: cached in the database for every process.
    assert fake.tokens_issued == 1
    assert WecomAccessToken.objects.get().expires_at == NOW + timedelta(seconds=7200)

    fake.expired.add(fake.current_token)  # WeCom answers 42001 from now on
    _escalated(team_lead, "KF-3")
    assert alert_services.staff_alerts_deliver_due(now=NOW) == 1

    assert fake.tokens_issued == 2
    assert [m["touser"] for m in fake.app_messages] == ["WangLei"] * 3
    assert fake.app_messages[2]["text"]["content"] == (
        "Case KF-3 escalated to you\nsecond breach\nhttps://kefu.example.cn/cases/42/"
    )
    assert WecomAccessToken.objects.get().token == "ACCESS-2"


@pytest.mark.django_db
def test_a_token_close_to_expiry_is_replaced_before_sending(
    fake: Fake, clock: time_machine.Traveller, team_lead: User
) -> None:
    alert_services.staff_alert_setting_save(user=team_lead, wecom_user_id="WangLei", wecom_app=True)
    _escalated(team_lead, "KF-1")
    alert_services.staff_alerts_deliver_due(now=NOW)

    later = NOW + timedelta(seconds=7200 - 120)
    clock.move_to(later)
    notification_send(
        recipient=team_lead, code="cases.escalated", params={"ref": "KF-9"}, link="", at=later
    )
    assert alert_services.staff_alerts_deliver_due(now=later) == 1
    assert fake.tokens_issued == 2


@pytest.mark.django_db
def test_a_failing_robot_leaves_the_notification_and_records_the_failure_for_the_admin(
    fake: Fake,
    clock: time_machine.Traveller,
    team: Team,
    team_lead: User,
    client_for: Any,
) -> None:
    _robot(team, AlertChannel.WECOM_ROBOT, "not-the-key")
    _robot(team, AlertChannel.DINGTALK, DING_TOKEN, DING_SECRET)
    fake.down.add("/robot/send")

    notification = _escalated(team_lead)
    assert alert_services.staff_alerts_deliver_due(now=NOW) == 0

    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()
    wrong_key = StaffAlertDelivery.objects.get(channel=AlertChannel.WECOM_ROBOT)
    assert (wrong_key.status, wrong_key.error_code) == ("failed", "93000")
    assert wrong_key.last_error == "93000: invalid webhook url"
    down = StaffAlertDelivery.objects.get(channel=AlertChannel.DINGTALK)
    assert (down.status, down.attempts, down.last_error) == ("pending", 1, "HTTP 503")
    assert down.due_at == NOW + timedelta(seconds=60)

    # The provider comes back: the clock job's next pass sends it; the failed one stays.
    fake.down.clear()
    later = NOW + timedelta(seconds=61)
    clock.move_to(later)
    assert alert_services.staff_alerts_deliver_due(now=later) == 1
    assert StaffAlertDelivery.objects.get(pk=down.pk).status == "sent"
    assert len(fake.dingtalk) == 1

    admin = make_staff(username="admin.he", role=Role.DEPARTMENT_MANAGER)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    page = client_for(User.objects.get(pk=admin.pk)).get(
        "/admin/core/staffalertdelivery/?status__exact=failed"
    )
    assert page.status_code == 200
    assert "invalid webhook url" in page.content.decode()


@pytest.mark.django_db
def test_one_event_told_to_two_leads_reaches_the_team_robot_once(
    fake: Fake, clock: time_machine.Traveller, team: Team, team_lead: User, team_agent: User
) -> None:
    make_staff(username="lead.qian", role=Role.TEAM_LEAD, team=team)
    _robot(team, AlertChannel.WECOM_ROBOT, WECOM_KEY)

    hand_raise(actor=team_agent, at=NOW)
    alert_services.staff_alerts_deliver_due(now=NOW)

    assert Notification.objects.filter(code="floor.hand_raised").count() == 2
    assert len(fake.wecom_robot) == 1


@pytest.mark.django_db
def test_notifications_that_are_not_alerts_and_unconfigured_people_send_nothing(
    fake: Fake, clock: time_machine.Traveller, team_lead: User
) -> None:
    alert_services.staff_alert_setting_save(user=team_lead, wecom_user_id="", wecom_app=True)
    _escalated(team_lead)
    notification_send(recipient=team_lead, subject="Hello", body="", link="", at=NOW)

    assert not StaffAlertDelivery.objects.exists()


@pytest.mark.django_db
def test_robot_webhook_and_secret_are_stored_encrypted(team: Team) -> None:
    robot = _robot(team, AlertChannel.DINGTALK, DING_TOKEN, DING_SECRET)

    stored = TeamAlertRobot.objects.get(pk=robot.pk)
    assert DING_TOKEN not in stored.webhook_ciphertext
    assert DING_SECRET not in stored.secret_ciphertext
    assert (stored.webhook, stored.secret) == (DING_TOKEN, DING_SECRET)
    # Saving again with empty fields keeps both (they are never shown again).
    alert_services.team_alert_robot_save(
        robot=stored, team=team, name="x", channel="dingtalk", webhook="", secret="", language="en"
    )
    assert (TeamAlertRobot.objects.get(pk=robot.pk).webhook, stored.secret) == (
        DING_TOKEN,
        DING_SECRET,
    )


@pytest.mark.django_db
def test_admin_adds_a_robot_through_the_form(client_for: Any, team: Team) -> None:
    admin = make_staff(username="admin.ma", role=Role.DEPARTMENT_MANAGER)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client: Client = client_for(User.objects.get(pk=admin.pk))

    answer = client.post(
        "/admin/core/teamalertrobot/add/",
        {
            "team": team.pk,
            "name": "二组钉钉群",
            "channel": "dingtalk",
            "language": "zh-hans",
            "is_active": "on",
            "webhook": f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}",
            "secret": DING_SECRET,
        },
    )

    assert answer.status_code == 302
    robot = TeamAlertRobot.objects.get(name="二组钉钉群")
    assert staff_alerts.webhook_token(AlertKind.DINGTALK, robot.webhook) == DING_TOKEN
    assert robot.secret == DING_SECRET


def test_webhook_token_reads_a_pasted_url_or_a_bare_key() -> None:
    assert (
        staff_alerts.webhook_token(
            AlertKind.WECOM_ROBOT, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
        )
        == "abc"
    )
    assert (
        staff_alerts.webhook_token(
            AlertKind.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/tok-1/"
        )
        == "tok-1"
    )
    assert staff_alerts.webhook_token(AlertKind.DINGTALK, " bare ") == "bare"


def test_dingtalk_query_encodes_the_signature_once() -> None:
    query = staff_alerts.dingtalk_query(
        access_token="t", secret="s", timestamp_ms=1_700_000_000_000
    )
    parsed = dict(urllib.parse.parse_qsl(query))
    assert parsed["sign"] == staff_alerts.dingtalk_sign(secret="s", timestamp_ms=1_700_000_000_000)
    assert "%" in query.split("sign=")[1] or "+" not in parsed["sign"]


@pytest.mark.django_db
def test_the_task_sends_at_once_and_the_clock_job_retries_what_failed(
    fake: Fake,
    clock: time_machine.Traveller,
    team: Team,
    team_lead: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _robot(team, AlertChannel.WECOM_ROBOT, WECOM_KEY)
    fake.down.add("/cgi-bin/webhook/send")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _escalated(team_lead)
    delivery = StaffAlertDelivery.objects.get()
    assert len(callbacks) == 2  # the e-mail and the alert task

    assert staff_alerts_deliver.call(delivery_ids=[delivery.pk]) == 0
    fake.down.clear()
    later = NOW + timedelta(minutes=2)
    clock.move_to(later)
    job = core_clock.job_schedule(kind=STAFF_ALERTS, key=STAFF_ALERTS, due_at=later)
    claimed = core_clock.claim_next(now=later)
    assert claimed is not None
    assert claimed.pk == job.pk
    assert core_clock.run_job(claimed, now=later)

    assert StaffAlertDelivery.objects.get().status == "sent"
    assert len(fake.wecom_robot) == 1
