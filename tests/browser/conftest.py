"""Browser tests: Playwright drives Debian's Chromium against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI needs it")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Migrations that seed rows the product needs (idempotent ``seed(apps, schema_editor)``).
SEEDING_MIGRATIONS = (
    "kefu.cases.migrations.0003_default_sla_policies",
    "kefu.cases.migrations.0005_default_reply_templates",
    "kefu.quality.migrations.0002_seed_servqual_items_and_rubric",
    "kefu.channels.migrations.0003_sms_templates",
)


@pytest.fixture(autouse=True)
def seeded_rows(transactional_db: None) -> None:
    """Browser tests are transactional: the database is flushed after each one, which
    also removes the rows migrations seed (SLA policies, reply templates, the QA rubric,
    the SERVQUAL wording). Seed them again before each test, as migrate did."""
    from django.apps import apps

    for name in SEEDING_MIGRATIONS:
        import_module(name).seed(apps, None)
