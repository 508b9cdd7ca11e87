"""A customer answers a KANO survey from the link in Chinese (at phone width, with one
question first left out); the campaign page then shows the Better/Worse scatter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.core.roles import Role
from kefu.quality.models_campaigns import CampaignAnswer, CampaignInvitation
from kefu.quality.services import campaigns
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_answers_kano_in_chinese_and_the_scatter_shows(
    page: Page, live_server: LiveServer
) -> None:
    manager = make_staff(
        username="manager.chen", role=Role.DEPARTMENT_MANAGER, department=make_department()
    )
    now = timezone.now()
    campaign = campaigns.campaign_create(
        actor=manager,
        kind="kano",
        name="新服务功能调研",
        closes_at=now + timedelta(days=7),
        at=now,
        features=[
            campaigns.FeatureText(
                "self-booking",
                "如果您可以自己在网上预约上门时间，您觉得如何？",
                "If you could book the visit time online yourself, how would you feel?",
                "如果您不能自己在网上预约上门时间，您觉得如何？",
                "If you could not book the visit time online, how would you feel?",
            ),
            campaigns.FeatureText(
                "arrival-sms",
                "如果师傅出发时短信通知您，您觉得如何？",
                "If we texted you when the technician sets off, how would you feel?",
                "如果师傅出发时不通知您，您觉得如何？",
                "If we did not say when the technician sets off, how would you feel?",
            ),
        ],
    )
    make_contact(name="王芳", language="zh-hans")
    campaigns.campaign_invite(actor=manager, campaign=campaign, at=now)
    token = campaigns.invitation_token(CampaignInvitation.objects.get())

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/quality/c/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    first = page.get_by_role("group", name="如果您可以自己在网上预约上门时间，您觉得如何？")
    first.get_by_label("喜欢", exact=True).check()
    page.get_by_role("group", name="如果您不能自己在网上预约上门时间，您觉得如何？").get_by_label(
        "无所谓"
    ).check()
    page.get_by_role("group", name="如果师傅出发时短信通知您，您觉得如何？").get_by_label(
        "理所当然"
    ).check()
    # The last question is left out: the form comes back with the error, nothing stored.
    page.get_by_role("button").last.click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not CampaignAnswer.objects.exists()
    screenshot(page, "campaign-kano-phone-error")
    page.get_by_role("group", name="如果师傅出发时不通知您，您觉得如何？").get_by_label(
        "不喜欢"
    ).check()
    page.get_by_role("button").last.click()
    expect(page.get_by_role("status")).to_be_visible()
    screenshot(page, "campaign-kano-phone-thanks")
    assert CampaignAnswer.objects.count() == 2

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("manager.chen")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/quality/campaigns/{campaign.pk}/")
    chart = page.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(page.get_by_role("cell", name="arrival-sms")).to_be_visible()
    expect(page.get_by_test_id("response-rate")).to_have_text("100%")
    screenshot(page, "campaign-kano-results")
