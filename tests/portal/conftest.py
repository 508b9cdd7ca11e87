"""Fixtures of the portal tests: mail in memory, tasks at once, files in a temporary
folder, the wall clock pinned; ``portal_client`` signs a contact in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from pytest_django import Settings

from kefu.customers.models import Contact
from kefu.portal.access import COOKIE
from kefu.portal.services_signin import session_start
from tests.cases.builders import at

NOW = at("2026-11-23 10:00")

PortalClient = Callable[[Contact], Client]


@pytest.fixture(autouse=True)
def _portal_settings(settings: Settings, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_SMS_GATEWAY_URL = ""
    settings.KEFU_CHAT_OUTBOUND_URL = ""
    settings.KEFU_CHANNEL_BACKEND = "gateway"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://kefu.test"


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def portal_client(db: None) -> PortalClient:
    def make(contact: Contact) -> Client:
        client = Client()
        client.cookies[COOKIE] = session_start(contact=contact, at=NOW)
        client.cookies["kefu_portal_language"] = "en"
        return client

    return make
