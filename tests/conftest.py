"""Shared fixtures: staff of each role, a client signed in as each, an API token, and
the Chinese font PDF exports need."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from kefu.core import services
from kefu.core.calendar_overrides import calendar_cache_clear
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.process_cache import process_caches_clear
from kefu.core.roles import Role
from kefu.quality.exports import font_path
from tests.core.factories import make_staff

MakeUser = Callable[..., User]


@pytest.fixture(autouse=True, scope="session")
def _shifted_clock() -> Iterator[None]:
    """``KEFU_TEST_CLOCK_SHIFT_DAYS=400`` runs the whole suite with the wall clock that
    many days ahead (``make test`` does, once): a test that does not pin the clock it
    depends on fails there, not on some later day. Tests that pin their own clock
    travel inside it. Only the wall clock moves (time-machine); the monotonic clock
    that timeouts and waits use does not."""
    days = os.environ.get("KEFU_TEST_CLOCK_SHIFT_DAYS", "")
    if not days:
        yield
        return
    with time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True):
        yield


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language, whatever a request before it activated
    in this thread (the test client runs views in the test's own thread)."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides() -> None:
    """A test's calendar overrides are rolled back with its transaction; so is what
    this process cached of them."""
    calendar_cache_clear()
    process_caches_clear()


@pytest.fixture
def make_user(db: None) -> MakeUser:
    def make(role: str = Role.AGENT, username: str | None = None) -> User:
        return make_staff(role=role, username=username)

    return make


@pytest.fixture
def agent(make_user: MakeUser) -> User:
    return make_user(Role.AGENT, username="agent.li")


@pytest.fixture
def lead(make_user: MakeUser) -> User:
    return make_user(Role.TEAM_LEAD, username="lead.zhao")


@pytest.fixture
def manager(make_user: MakeUser) -> User:
    return make_user(Role.DEPARTMENT_MANAGER, username="manager.chen")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer_for() -> Callable[[User], dict[str, str]]:
    def make(user: User) -> dict[str, str]:
        issued = services.api_token_create(actor=None, user=user, name="test", at=timezone.now())
        return {"Authorization": f"Bearer {issued.secret}"}

    return make


@pytest.fixture
def cjk_font() -> None:
    """PDF exports need a Chinese font (Debian's fonts-wqy-microhei, which .ci/run
    installs): outside CI a missing one skips the test with the reason; in CI
    (``CI=true``) it fails."""
    try:
        font_path()
    except DomainError:
        reason = "no Chinese font for PDF exports (apt-get install -y fonts-wqy-microhei)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI needs it")
        pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (``CI=true``) nothing may be skipped: a skip fails the run, so a missing
    server, browser or font can never pass for green."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        if reporter is not None:
            reporter.write_line(f"CI: {len(skipped)} test(s) skipped; CI allows none.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
