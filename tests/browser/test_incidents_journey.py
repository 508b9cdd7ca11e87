"""A lead confirms a stoppage affecting three customers, watches the delivery grid,
advances the clock past the update interval, sends the no-news update, completes the
readiness checklist, sends the resumption notice and opens the review."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation
from kefu.incidents.models import Delivery, Incident, Notice
from tests.browser.conftest import screenshot
from tests.core.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead_with_customers(db: None, settings: Settings) -> User:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_SMS_GATEWAY_URL = ""
    now = timezone.now()
    for n, (name, person, channels) in enumerate(
        [
            ("华东置业", "王芳", ["email", "sms"]),
            ("申城物业", "李强", ["phone", "email"]),
            ("浦江建设", "Anna Smith", ["email"]),
        ]
    ):
        org = Organisation.objects.create(name=name, region="上海", created_at=now)
        Contact.objects.create(
            organisation=org,
            name=person,
            email=f"c{n}@example.com",
            phone=f"1380000000{n}",
            language="en" if person == "Anna Smith" else "zh-hans",
            preferred_channels=channels,
            created_at=now,
        )
    return make_staff(username="lead.zhao", role=Role.TEAM_LEAD)


def test_stoppage_notice_rhythm_resumption_and_review(
    page: Page, live_server: LiveServer, lead_with_customers: User
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(lead_with_customers.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/incidents/")
    form = page.get_by_test_id("new-incident")
    form.locator("#id_title").fill("三号楼停工")
    form.locator("#id_kind").select_option("client_funding")
    form.locator("#id_cause").fill("甲方付款审批延迟，财务总监出差")
    form.locator("#id_next_steps").fill("每日与甲方财务确认审批进度")
    tomorrow = (timezone.localdate() + timedelta(days=7)).isoformat()
    form.locator("#id_expected_from").fill(tomorrow)
    form.locator("#id_intervals").fill("3, 6, 12, 24")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("incident-status")).to_be_visible()

    page.get_by_test_id("picker").locator("#pick-regions").select_option("上海")
    page.get_by_test_id("picker").get_by_role("button").click()
    expect(page.get_by_test_id("affected")).to_contain_text("王芳")
    expect(page.get_by_test_id("affected")).to_contain_text("Anna Smith")
    # The first notice is previewed, in both languages, before anything goes.
    page.get_by_test_id("preview-first-notice").click()
    expect(page.get_by_test_id("preview-zh-hans")).to_contain_text("甲方付款审批延迟")
    expect(page.get_by_test_id("preview-en")).to_contain_text("Work stopped: 三号楼停工")
    screenshot(page, "incidents-0-first-notice-preview")
    page.get_by_test_id("confirm").click()

    grid = page.get_by_test_id("delivery-grid")
    expect(grid).to_contain_text("李强")
    # Email to all three and a call task for 李强; SMS fails (no gateway) and no channel is left.
    expect(grid.locator(".st-sent")).to_have_count(4)
    expect(grid.locator(".st-failed")).to_have_count(2)
    expect(page.get_by_test_id("calls")).to_contain_text("李强")
    screenshot(page, "incidents-1-confirmed-grid")
    incident = Incident.objects.get()
    assert incident.status == "confirmed"
    assert Delivery.objects.filter(notice__kind="first").count() == 6
    assert len([m for m in mail.outbox if m.to[0].startswith("c")]) == 3

    assert incident.confirmed_at is not None
    past_interval = incident.confirmed_at + timedelta(hours=3, minutes=1)
    call_command("clocks", "--once", "--now", past_interval.isoformat())
    page.reload()
    draft = page.get_by_test_id("update-draft")
    expect(draft.locator("#id_body_en")).to_have_value(re.compile("No change since"))
    screenshot(page, "incidents-2-update-draft")
    draft.get_by_role("button").click()
    expect(page.get_by_test_id("update-draft")).to_have_count(0)
    assert Notice.objects.get(kind="update").status == "sent"

    page.get_by_test_id("start-resumption").click()
    checklist = page.get_by_test_id("readiness")
    for _item in range(4):
        checklist.locator("form button").first.click()
    expect(page.get_by_test_id("readiness").locator("li")).to_have_count(4)
    expect(page.get_by_test_id("readiness")).not_to_contain_text("☐")
    form = page.get_by_test_id("resume-form")
    form.locator("#id_resume_on").fill(tomorrow)
    form.locator("#id_work_plan").fill("先恢复主体结构，再做机电")
    form.locator("#id_risks").fill("雨季施工")
    form.locator("#id_progress_plan").fill("加班两周追回一周")
    form.locator("#id_compensation").fill("工期顺延，免收一个月管理费")
    form.locator("#id_supervision").fill("欢迎甲方代表每天上午驻场监督")
    screenshot(page, "incidents-3-checklist-done")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("resume-form")).to_have_count(0)
    assert Incident.objects.get().status == "resumed"

    page.goto(f"{live_server.url}/incidents/{incident.pk}/review/")
    expect(page.get_by_test_id("review-timeline")).to_contain_text("三号楼停工")
    expect(page.get_by_test_id("export-pdf")).to_be_visible()
    screenshot(page, "incidents-4-review")
