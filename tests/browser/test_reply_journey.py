"""Replies that never vanish, in Chinese and English: a colleague's collision keeps the
draft and shows what changed; a failed SMS says why on the message and is resent by
e-mail; the page shows the colleague on the case."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases import services
from kefu.cases.models import Case, Message
from kefu.cases.services.replies import case_presence_touch
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "王女士您好，师傅明天上午十点前上门检修热水器，请保持电话畅通。"


@pytest.fixture
def desk(db: None, settings: Settings) -> tuple[User, User]:
    # Deliveries run at once, so a failing SMS fails before the page comes back.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.KEFU_SMS_GATEWAY_URL = ""
    service = make_department()
    team = nine_to_six_team(service)
    agent = make_staff(username="agent.wang", role=Role.AGENT, team=team, department=service)
    lead = make_staff(username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=service)
    return agent, lead


def _phone_case(agent: User) -> Case:
    contact = make_contact(name="王芳", phone="13912345678", channels=["sms", "email"])
    return services.case_open(
        actor=None,
        contact=contact,
        subject="热水器不出热水",
        body="（来电）客户说热水器从昨天起不出热水。",
        channel="phone",
        at=timezone.now(),
        team=agent.team,
        owner=agent,
    )


def _sign_in(page: Page, base: str, user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_colleagues_collision_keeps_the_draft(
    page: Page, live_server: LiveServer, desk: tuple[User, User], language: str
) -> None:
    agent, lead = desk
    case = _phone_case(agent)
    case_presence_touch(actor=lead, case=case, at=timezone.now())
    _sign_in(page, live_server.url, agent, language)

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("colleagues")).to_contain_text(str(lead))
    body = page.locator("#id_body")
    body.fill(DRAFT)
    body.press("End")  # the keyup that saves the draft
    expect(page.locator("#draft-status")).not_to_be_empty()
    page.reload()
    expect(page.locator("#id_body")).to_have_value(DRAFT)
    # The lead answers the customer while the agent is still writing.
    services.case_reply(
        actor=lead,
        case=Case.objects.get(pk=case.pk),
        body="组长：已为您加急处理。",
        at=timezone.now(),
    )
    page.locator("#id_channel").select_option("email")
    page.locator("#reply-heading ~ form button.primary").click()

    expect(page.get_by_test_id("changes")).to_contain_text("组长：已为您加急处理。")
    expect(page.locator("#id_body")).to_have_value(DRAFT)
    assert not Message.objects.filter(case=case, body=DRAFT).exists()
    screenshot(page, f"reply-collision-{language}")

    page.locator("#reply-heading ~ form button.primary").click()
    expect(page.get_by_test_id("thread")).to_contain_text(DRAFT)
    expect(page.locator("#id_body")).to_have_value("")
    assert Message.objects.get(case=case, body=DRAFT).channel == "email"
    screenshot(page, f"reply-collision-sent-{language}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_failed_sms_is_resent_by_email(
    page: Page, live_server: LiveServer, desk: tuple[User, User], language: str
) -> None:
    agent, _lead = desk
    case = _phone_case(agent)
    _sign_in(page, live_server.url, agent, language)

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("#id_channel")).to_have_value("sms")
    page.locator("#id_body").fill(DRAFT)
    page.locator("#reply-heading ~ form button.primary").click()

    failed = Message.objects.get(case=case, direction="out")
    assert failed.delivery_status == "failed"
    failure = page.get_by_test_id(f"delivery-failure-{failed.pk}")
    expect(failure.get_by_test_id("failure-text")).not_to_be_empty()
    expect(page.locator("body")).not_to_contain_text("KEFU_SMS_GATEWAY_URL")
    if language == "en":
        expect(failure).to_contain_text("SMS sending is not set up on this desk yet")
    screenshot(page, f"reply-sms-failed-{language}")

    failure.locator('button[name="channel"][value="email"]').click()

    expect(failure).not_to_contain_text(DRAFT)
    resend = Message.objects.get(resent_from=failed)
    assert (resend.channel, resend.delivery_status) == ("email", "sent")
    assert mail.outbox[-1].body == DRAFT
    expect(page.get_by_test_id("thread").locator("li")).to_have_count(3)
    if language == "en":
        expect(page.locator(".events")).to_contain_text("Resent the undelivered SMS reply by Email")
        expect(page.locator(".events")).to_contain_text(
            "Replied to the customer by SMS; not delivered"
        )
    screenshot(page, f"reply-sms-resent-{language}")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_test_id(f"delivery-failure-{failed.pk}")).to_be_visible()
    screenshot(page, f"reply-sms-resent-phone-{language}")
