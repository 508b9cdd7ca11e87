"""An incident's first notice goes to an SMS contact through Aliyun (a local fake that
checks the signature): the lead sees the SMS delivery on the incident page with its
template and status; the customer opens the link in the SMS and reads the whole notice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.channels.models import SmsTemplate
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation
from kefu.incidents import services
from kefu.incidents.models import Delivery, Incident
from tests.browser.conftest import screenshot
from tests.channels import sms_fakes
from tests.channels.sms_fakes import FakeSms
from tests.core.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aliyun(settings: Settings, live_server: LiveServer) -> Iterator[FakeSms]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    settings.SITE_URL = live_server.url
    with sms_fakes.aliyun_fake({"SMS_460002": ["ref", "link"]}) as fake:
        settings.KEFU_SMS_PROVIDER = "aliyun"
        settings.KEFU_ALIYUN_SMS_ENDPOINT = fake.url
        settings.KEFU_ALIYUN_ACCESS_KEY_ID = sms_fakes.ALIYUN_KEY_ID
        settings.KEFU_ALIYUN_ACCESS_KEY_SECRET = sms_fakes.ALIYUN_SECRET
        settings.KEFU_ALIYUN_SMS_SIGN_NAME = sms_fakes.ALIYUN_SIGN
        SmsTemplate.objects.filter(purpose="incident_first_notice").update(
            aliyun_template_code="SMS_460002"
        )
        yield fake


def _confirmed_incident(lead: User) -> Incident:
    now = timezone.now()
    org = Organisation.objects.create(name="华东置业", region="上海", created_at=now)
    contact = Contact.objects.create(
        organisation=org,
        name="王芳",
        phone="138 0013 8000",
        language="zh-hans",
        preferred_channels=["sms"],
        created_at=now,
    )
    incident = services.incident_create(
        actor=lead,
        title="三号楼停工",
        kind=Incident.Kind.CLIENT_FUNDING,
        cause="甲方付款审批延迟",
        next_steps="与甲方财务每日跟进",
        started_at=now,
        expected_from=date(2099, 12, 1),
        update_interval_hours=[3, 6],
        auto_send_updates=True,
        at=now,
    )
    services.incident_pick_affected(actor=lead, incident=incident, contacts=[contact.pk], at=now)
    services.incident_confirm(actor=lead, incident=incident, at=now)
    return incident


def test_sms_delivery_shows_its_template_and_the_link_opens_the_notice(
    page: Page, browser: Browser, live_server: LiveServer, aliyun: FakeSms
) -> None:
    lead = make_staff(username="lead.zhao", role=Role.TEAM_LEAD)
    incident = _confirmed_incident(lead)
    assert Delivery.objects.get(channel="sms").status == "sent"
    (sent,) = aliyun.sent
    assert sent["TemplateCode"] == "SMS_460002"
    link = json.loads(sent["TemplateParam"])["link"]

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(lead.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    grid = page.get_by_test_id("delivery-grid")
    expect(grid.get_by_test_id("template-sms")).to_contain_text("SMS_460002")
    expect(grid.locator(".st-sent")).to_have_count(1)
    screenshot(page, "sms-1-incident-grid-template")

    # The customer, with no session, opens the link from the SMS.
    customer = browser.new_context(locale="zh-CN").new_page()
    customer.goto(link)
    notice = customer.get_by_test_id("full-notice")
    expect(notice).to_contain_text(incident.reference)
    expect(notice).to_contain_text("甲方付款审批延迟")
    screenshot(customer, "sms-2-full-notice")
    customer.context.close()
