"""On a 390 px phone (390x844) the incident page, KANO, SERVQUAL, Pareto, the workforce
history and recruitment fit the screen: no page scrolls sideways (wide tables scroll
inside their own box), and chart labels are at least 11 px."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from kefu.demo.builder import DEMO_PASSWORD, build_demo
from kefu.incidents.models import Incident
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 6, 10, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
PAGES = [
    ("incident", "/incidents/{incident}/"),
    ("kano", "/quality/kano/"),
    ("servqual", "/quality/servqual/"),
    ("pareto", "/quality/pareto/"),
    ("workforce-history", "/workforce/history/"),
    ("recruitment", "/floor/recruitment/"),
]
# The smallest font size (px) of any text in an SVG chart on the page, or null.
_SMALLEST_CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll('svg text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  return sizes.length ? Math.min(...sizes) : null;
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_analysis_and_incident_pages_fit_a_390px_phone(
    phone: Page, live_server: LiveServer
) -> None:
    with time_machine.travel(NOW, tick=True):
        build_demo(seed=5)
        incident = Incident.objects.order_by("pk").first()
        assert incident is not None
        phone.goto(f"{live_server.url}/login/")
        phone.get_by_label("用户名").fill("admin")
        phone.get_by_label("密码").fill(DEMO_PASSWORD)
        phone.get_by_role("button", name="登录").click()
        phone.wait_for_url(f"{live_server.url}/**")
        wide: dict[str, int] = {}
        small: dict[str, float] = {}
        for name, path in PAGES:
            response = phone.goto(live_server.url + path.format(incident=incident.pk))
            assert response is not None
            assert response.status == 200, name
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[name] = width
            smallest = phone.evaluate(_SMALLEST_CHART_TEXT)
            if smallest is not None and smallest < 11:
                small[name] = smallest
            screenshot(phone, f"phone-390-{name}")
    assert wide == {}, "pages wider than the 390 px screen"
    assert small == {}, "chart labels under 11 px"
