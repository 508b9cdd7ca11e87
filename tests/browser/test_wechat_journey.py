"""A WeChat customer's conversation on the case page: the messages pulled from WeCom
(text and a photo), WeChat's reply window, and the agent's reply reaching send_msg."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Case
from kefu.channels.models import WecomKfAccount
from kefu.channels.wecom_kf import wecom_sync
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team
from tests.channels import wecom_fake
from tests.channels.wecom_fake import OPEN_KFID, FakeWecom
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USER = "wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw"
# A 1x1 PNG: the customer's photo of the leak.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2e4d3a40000000049454e44ae426082"
)


@pytest.fixture
def wecom(settings: Settings) -> Iterator[FakeWecom]:
    for fake in wecom_fake.serve():
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        settings.KEFU_CHANNEL_BACKEND = "gateway"
        settings.KEFU_WECOM_CORP_ID = wecom_fake.CORP_ID
        settings.KEFU_WECOM_KF_SECRET = wecom_fake.SECRET
        settings.KEFU_WECOM_TOKEN = wecom_fake.CALLBACK_TOKEN
        settings.KEFU_WECOM_AES_KEY = wecom_fake.AES_KEY
        settings.KEFU_WECOM_API_BASE = fake.url
        yield fake


def test_the_case_page_shows_the_wechat_conversation_and_its_window(
    page: Page, live_server: LiveServer, wecom: FakeWecom
) -> None:
    service = make_department()
    team = nine_to_six_team(service)
    agent = make_staff(
        username="agent.wang", role=Role.AGENT, team=team, department=service, language="en"
    )
    WecomKfAccount.objects.create(open_kfid=OPEN_KFID, name="官方客服")
    wecom.nicknames[USER] = "小明"
    wecom.media["MEDIA_IMG"] = ("leak.png", "image/png", PNG)
    # The customer last wrote 44 h 30 min ago: the window closes in 3 h.
    sent = int((timezone.now() - timedelta(hours=44, minutes=30)).timestamp())
    base = {"open_kfid": OPEN_KFID, "external_userid": USER, "send_time": sent, "origin": 3}
    wecom.pages[""] = {
        "next_cursor": "c1",
        "has_more": 0,
        "msg_list": [
            {
                **base,
                "msgid": "m1",
                "msgtype": "text",
                "text": {"content": "你好，洗衣机漏水了，照片发给你们。"},
            },
            {**base, "msgid": "m2", "msgtype": "image", "image": {"media_id": "MEDIA_IMG"}},
        ],
    }
    wecom_sync(open_kfid=OPEN_KFID, token="sync-token", at=timezone.now())
    case = Case.objects.get(channel="wechat")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    window = page.get_by_test_id("wechat-window")
    expect(window).to_contain_text("WeChat window closes in 3 h")
    expect(window).to_contain_text("5 of 5 replies left")
    expect(page.locator("body")).to_contain_text("你好，洗衣机漏水了，照片发给你们。")
    expect(page.locator("body")).to_contain_text("leak.png")
    screenshot(page, "wechat-case-window")

    page.locator("#id_body").fill("小明您好，师傅今天下午上门检修。")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_test_id("wechat-window")).to_contain_text("4 of 5 replies left")
    expect(page.locator("body")).to_contain_text("小明您好，师傅今天下午上门检修。")
    assert [m["text"]["content"] for m in wecom.sent] == ["小明您好，师傅今天下午上门检修。"]
    assert wecom.sent[0]["touser"] == USER
    screenshot(page, "wechat-case-replied")
