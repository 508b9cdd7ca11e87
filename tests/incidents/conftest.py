"""Fixtures of the incidents tests: tasks run at once, mail in memory, no SMS gateway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from pytest_django import Settings

from tests.incidents.builders import NOW


@pytest.fixture(autouse=True)
def _incident_settings(settings: Settings, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_SMS_GATEWAY_URL = ""
    settings.KEFU_CHAT_OUTBOUND_URL = ""
    settings.KEFU_EMAIL_DOMAIN = "kefu.test"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://kefu.test"


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    # Services get their instant passed in; tasks also read the clock (for leases),
    # so the wall clock stands at the tests' "now".
    with time_machine.travel(NOW, tick=False):
        yield
