"""The agent sees a suggested article on a case and inserts it into the reply (a link,
then the text), sends the reply; a visitor at phone width finds the article on the
public help pages by a Chinese substring and switches it to English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from kefu.cases.models import Message
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import make_contact, nine_to_six_team, open_case
from tests.core.factories import PASSWORD, make_department, make_staff
from tests.kb.builders import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_inserts_a_suggested_article_into_the_reply(
    page: Page, live_server: LiveServer
) -> None:
    department = make_department()
    team = nine_to_six_team(department)
    agent = make_staff(role=Role.AGENT, username="agent.kb", team=team, department=department)
    lead = make_staff(role=Role.TEAM_LEAD, username="lead.kb", team=team, department=department)
    make_article(
        author=agent,
        reviewer=lead,
        slug="bathroom-leak",
        title_zh="卫生间渗水怎么办",
        body_zh="## 处理步骤\n\n先**关闭总阀**，再拍照发给我们。",
    )
    make_article(
        author=agent, reviewer=lead, slug="invoice", title_zh="发票怎么开", body_zh="在订单页申请。"
    )
    case = open_case(
        when="2026-12-01 10:00",
        contact=make_contact(name="李娜"),
        owner=agent,
        subject="家里漏水",
        body="你好，我家卫生间渗水，楼下天花板都湿了，怎么办？",
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    panel = page.get_by_test_id("kb-panel")
    suggestion = panel.get_by_test_id("kb-suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("卫生间渗水怎么办")

    body = page.locator("#id_body")
    body.fill("李女士您好，")
    suggestion.get_by_test_id("kb-insert-link").click()
    link = f"卫生间渗水怎么办: {live_server.url}/kb/help/a/bathroom-leak/?lang=zh-hans"
    expect(page.locator("#id_body")).to_have_value(f"李女士您好，\n\n{link}")
    suggestion.get_by_test_id("kb-insert-text").click()
    expect(page.locator("#id_body")).to_have_value(
        f"李女士您好，\n\n{link}\n\n处理步骤\n\n先关闭总阀，再拍照发给我们。"
    )
    screenshot(page, "kb-case-panel-inserted")

    page.locator("#id_body").press("End")
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_test_id("thread")).to_contain_text("先关闭总阀")
    sent = Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).get()
    assert link in sent.body

    # The link works for the customer, without signing in, at phone width.
    phone = page.context.browser
    assert isinstance(phone, Browser)
    visitor = phone.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}).new_page()
    visitor.goto(f"{live_server.url}/kb/help/")
    visitor.get_by_role("searchbox").fill("生间渗")
    visitor.get_by_role("searchbox").press("Enter")
    results = visitor.get_by_test_id("help-results")
    expect(results.get_by_role("link")).to_have_count(1)
    results.get_by_role("link", name="卫生间渗水怎么办").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("卫生间渗水怎么办")
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(visitor, "kb-help-article-phone")
    visitor.context.close()
