"""The rest of the seeds, in the browser (issue 21): a department manager raises an internal
case, a collaborator from 工程部 completes their task on it, and the customer accepts the
continuation plan on the signed page while the incident shows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Case
from kefu.collab.models import Collaborator
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.incidents import services as incidents
from kefu.incidents.models import ContinuationPlan, Incident
from kefu.incidents.services.plans import plan_send, plan_token
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff
from tests.incidents.builders import make_contact, make_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = "2026-03-10 10:00+08:00"  # a Tuesday morning in Beijing


@pytest.fixture(autouse=True)
def _tuesday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _signed_in(browser: Browser, live_server: LiveServer, user: User) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The countdowns run in the page: its clock starts where the server's does.
    page.clock.install(time=timezone.now())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_internal_request_collaborator_task_and_the_customers_say_on_the_plan(
    browser: Browser, live_server: LiveServer
) -> None:
    service = make_department()
    team = nine_to_six_team(service)
    agent = make_staff(username="agent.wang", role=Role.AGENT, team=team, department=service)
    lead = make_staff(username="lead.zhao", role=Role.TEAM_LEAD, team=team, department=service)
    sales = make_department(name="销售部", code="sales")
    manager = make_staff(username="sales.qian", role=Role.DEPARTMENT_MANAGER, department=sales)
    engineering = make_department(name="工程部", code="engineering")
    engineer = make_staff(username="eng.li", role=Role.AGENT, department=engineering)

    # 1. The sales manager raises an internal request to the service centre.
    requester = _signed_in(browser, live_server, manager)
    requester.goto(f"{live_server.url}/cases/requests/")
    form = requester.get_by_test_id("request-form")
    form.locator("select[name=department]").select_option(str(service.pk))
    form.locator("select[name=category]").select_option("internal_request")
    form.locator("input[name=subject]").fill("3 号楼业主需要回访")
    form.locator("textarea[name=body]").fill("业主反映卫生间渗水，请客服今天回访并安排工程部查看。")
    form.locator("button[type=submit]").click()
    expect(requester.get_by_test_id("request-thread")).to_contain_text("卫生间渗水")
    case = Case.objects.get()
    assert case.contact.user == manager
    Case.objects.filter(pk=case.pk).update(owner=agent)
    screenshot(requester, "collab-internal-request")

    # 2. The owner asks 工程部 for help on the case page.
    desk = _signed_in(browser, live_server, agent)
    desk.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = desk.get_by_test_id("collab-panel")
    panel.locator("summary", has_text="请同事协助").click()
    invite = panel.get_by_test_id("invite-form")
    invite.locator("select[name=user]").select_option(str(engineer.pk))
    invite.locator("textarea[name=task]").fill("今天下午到现场查看渗水原因")
    invite.locator("button[type=submit]").click()
    expect(desk.get_by_test_id("collaborators")).to_contain_text("今天下午到现场查看渗水原因")

    # 3. The engineer finishes the task from the same case page.
    helper = _signed_in(browser, live_server, engineer)
    helper.goto(f"{live_server.url}/cases/{case.pk}/")
    done = helper.get_by_test_id("task-done-form")
    done.locator("textarea[name=note]").fill("防水层破损，周四返修")
    done.locator("button[type=submit]").click()
    expect(helper.get_by_test_id("task-done")).to_be_visible()
    assert Collaborator.objects.get().done_at is not None
    screenshot(helper, "collab-task-done")

    # 4. During a stoppage, the customer accepts the continuation plan on the signed page.
    org = make_customer()
    customer = make_contact(org, name="业主王芳", email="wang@example.com", channels=["email"])
    now = timezone.now()
    incident = incidents.incident_create(
        actor=lead,
        title="三号楼停工",
        kind=Incident.Kind.CLIENT_FUNDING,
        cause="甲方付款审批延迟",
        next_steps="与甲方财务每日跟进",
        started_at=now,
        expected_from=now.date(),
        update_interval_hours=[3, 6],
        auto_send_updates=True,
        at=now,
    )
    incidents.incident_pick_affected(actor=lead, incident=incident, organisations=[org.pk], at=now)
    incidents.incident_confirm(actor=lead, incident=incident, at=now)
    plan = incidents.plan_add(
        actor=lead,
        incident=incident,
        kind=ContinuationPlan.Kind.STAGED_ACCEPTANCE,
        parts="先验收二层水电，三层暂停",
        at=now,
    )
    mail.outbox.clear()
    plan_send(actor=lead, plan=plan, at=now)
    token = plan_token(plan_id=plan.pk, contact_id=customer.pk)

    signed = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    signed.goto(f"{live_server.url}/incidents/plan/{token}/")
    expect(signed.get_by_test_id("plan-page")).to_contain_text("先验收二层水电")
    signed.locator("button[value=accept]").click()
    expect(signed.get_by_test_id("plan-done")).to_be_visible()
    screenshot(signed, "collab-plan-accepted-phone")

    owner = _signed_in(browser, live_server, lead)
    owner.goto(f"{live_server.url}/incidents/{incident.pk}/")
    expect(owner.get_by_test_id("plan-answers")).to_contain_text("业主王芳")
    screenshot(owner, "collab-incident-shows-acceptance")
