"""The customer portal and the status page at phone width (390px) in Chinese: a customer
signs in with an e-mailed code, finds an article by a Chinese substring, opens a case,
replies with a photo, sees the agent's answer and the promised time; a second customer
cannot reach the first one's case by changing the URL; the status page shows an outage
and its updates as they are posted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services as case_services
from kefu.cases.models import Case, Message
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation, Project
from kefu.incidents import services as incident_services
from kefu.incidents.models import Incident
from kefu.portal.access import COOKIE
from kefu.portal.models import PortalSettings, StatusComponent
from kefu.portal.services_signin import session_start
from tests.browser.conftest import screenshot
from tests.core.factories import make_staff
from tests.kb.builders import make_article
from tests.portal.builders import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _portal_settings(settings: Settings, live_server: LiveServer, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    settings.KEFU_SMS_GATEWAY_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url


def _customer(name: str, email: str) -> Contact:
    now = timezone.now()
    org = Organisation.objects.create(name=f"{name}的公司", created_at=now)
    return Contact.objects.create(
        organisation=org,
        name=name,
        email=email,
        language="zh-hans",
        preferred_channels=["email"],
        created_at=now,
    )


def test_a_customer_signs_in_finds_help_opens_a_case_and_follows_it(
    phone: Page, live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    agent = make_staff(role=Role.AGENT, username="agent.portal")
    manager = make_staff(role=Role.DEPARTMENT_MANAGER, username="manager.portal")
    make_article(author=agent, reviewer=manager, slug="leak", title_zh="卫生间渗水怎么办")
    contact = _customer("李娜", "lina@example.com")

    phone.goto(f"{live_server.url}/portal/")
    expect(phone.get_by_test_id("portal-sign-in")).to_be_visible()
    phone.fill("#id_address", "lina@example.com")
    phone.locator("form button[type=submit].primary").click()
    expect(phone.get_by_test_id("portal-code")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert code is not None
    assert mail.outbox[-1].to == ["lina@example.com"]
    screenshot(phone, "portal-01-code")
    phone.fill("#id_code", code.group(1))
    phone.locator("form button[type=submit].primary").click()
    expect(phone.get_by_test_id("portal-cases")).to_be_visible()
    assert phone.locator("html").get_attribute("lang") == "zh-hans"

    phone.fill("#help-q", "渗水")
    phone.locator("[data-testid=portal-help-search] button").click()
    expect(phone.get_by_test_id("portal-help-hit").first).to_contain_text("卫生间渗水怎么办")
    screenshot(phone, "portal-02-help")

    phone.goto(f"{live_server.url}/portal/cases/new/")
    phone.fill("#id_subject", "厨房水管漏水")
    phone.select_option("#id_category", "emergency")
    phone.fill("#id_body", "厨房水槽下面的水管一直在滴水。")
    phone.locator("[data-testid=portal-case-new] button[type=submit]").click()
    expect(phone.get_by_test_id("portal-case")).to_contain_text("厨房水管漏水")
    case = Case.objects.get(subject="厨房水管漏水")
    assert case.contact == contact
    assert case.category == "emergency"

    photo = tmp_path / "leak.png"
    photo.write_bytes(PNG)
    phone.fill("#id_body", "这是漏水的照片。")
    phone.set_input_files("#id_attachments", str(photo))
    phone.locator("[data-testid=portal-reply] button[type=submit]").click()
    expect(phone.get_by_test_id("portal-thread")).to_contain_text("这是漏水的照片。")
    expect(phone.get_by_test_id("portal-file")).to_have_text("leak.png")
    assert Message.objects.get(body="这是漏水的照片。").attachments.count() == 1

    now = timezone.now()
    case.refresh_from_db()
    case_services.case_reply(actor=agent, case=case, body="师傅明天上午上门更换水管。", at=now)
    case.refresh_from_db()
    due = now + timedelta(days=1)
    case_services.commitment_create(
        actor=agent, case=case, what="师傅上门更换水管", due_at=due, at=now
    )
    phone.reload()
    expect(phone.get_by_test_id("portal-thread")).to_contain_text("师傅明天上午上门更换水管。")
    promised = phone.get_by_test_id("portal-next-step")
    expect(promised).to_contain_text("师傅上门更换水管")
    expect(promised).to_contain_text(timezone.localtime(due).strftime("%Y-%m-%d %H:%M"))
    expect(promised).to_contain_text("北京时间")
    assert agent.username not in phone.content()
    screenshot(phone, "portal-03-case")

    # A second customer changes the URL to the first one's case: nothing.
    other = _customer("王强", "wq@example.com")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [
            {
                "name": COOKIE,
                "value": session_start(contact=other, at=timezone.now()),
                "url": live_server.url,
            }
        ]
    )
    intruder = context.new_page()
    response = intruder.goto(f"{live_server.url}/portal/cases/{case.reference}/")
    assert response is not None
    assert response.status == 404
    assert "厨房水管漏水" not in intruder.content()
    intruder.goto(f"{live_server.url}/portal/")
    expect(intruder.get_by_test_id("portal-cases")).not_to_contain_text(case.reference)
    screenshot(intruder, "portal-04-intruder-list")
    context.close()


def test_the_status_page_shows_an_outage_and_its_updates_as_they_are_posted(
    phone: Page, live_server: LiveServer
) -> None:
    lead = make_staff(role=Role.TEAM_LEAD, username="lead.status")
    PortalSettings.objects.create(pk=1, status_page_enabled=True)
    now = timezone.now()
    org = Organisation.objects.create(name="华东置业", created_at=now)
    project = Project.objects.create(organisation=org, name="在线报修平台")
    Contact.objects.create(
        organisation=org,
        name="赵敏",
        email="zm@example.com",
        preferred_channels=["email"],
        created_at=now,
    )
    StatusComponent.objects.create(
        name_zh="在线报修平台", name_en="Online repairs", project=project
    )
    phone.goto(f"{live_server.url}/status/")
    expect(phone.get_by_test_id("status-summary")).to_have_class(re.compile("up"))

    incident = incident_services.incident_create(
        actor=lead,
        title="在线报修平台无法登录",
        kind=Incident.Kind.SYSTEM_OUTAGE,
        cause="机房网络故障",
        started_at=now,
        expected_from=timezone.localdate() + timedelta(days=1),
        update_interval_hours=[3],
        at=now,
    )
    incident.projects.add(project)
    incident_services.incident_pick_affected(
        actor=lead, incident=incident, organisations=[org.pk], at=now
    )
    incident_services.incident_confirm(actor=lead, incident=incident, at=now)
    phone.reload()
    expect(phone.get_by_test_id("status-summary")).to_have_class(re.compile("down"))
    expect(phone.get_by_test_id("status-current")).to_contain_text("在线报修平台无法登录")
    expect(phone.get_by_test_id("status-update")).to_have_count(1)

    incident.refresh_from_db()
    incident_services.update_send(
        actor=lead,
        incident=incident,
        at=timezone.now(),
        body_zh="网络已恢复一半，工程师仍在处理。",
    )
    phone.reload()
    updates = phone.get_by_test_id("status-update")
    expect(updates).to_have_count(2)
    expect(updates.nth(1)).to_contain_text("网络已恢复一半，工程师仍在处理。")
    expect(phone.locator(".days li.hit")).to_have_count(1)
    screenshot(phone, "status-01-outage")
