"""Sign-in: one generic failure message, rate-limited per account and per address."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from kefu.core.models import LoginFailure, User
from kefu.core.requests import client_address
from tests.core.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> str:
    response = client.post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_login_page_is_chinese_by_default(client: Client) -> None:
    response = client.get(reverse("core:login"))

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_correct_password_signs_in_and_lands_on_overview(client: Client, agent: User) -> None:
    location = post_login(client, agent.username, PASSWORD)

    assert location == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_message(client: Client, agent: User) -> None:
    wrong_password = post_login(client, agent.username, "nope")
    unknown_user = post_login(client, "nobody", "nope")

    generic = "登录失败"
    assert generic in wrong_password
    assert generic in unknown_user
    assert LoginFailure.objects.count() == 2


def test_account_is_locked_after_limit_even_with_right_password(
    client: Client, agent: User, settings: pytest.FixtureRequest
) -> None:
    for n in range(5):
        post_login(client, agent.username, "wrong", ip=f"10.0.0.{n}")

    page = post_login(client, agent.username, PASSWORD, ip="10.9.9.9")

    assert "登录失败次数过多" in page
    assert "_auth_user_id" not in client.session


def test_address_is_limited_across_accounts(client: Client, agent: User) -> None:
    for n in range(5):
        post_login(client, f"guess{n}", "wrong", ip="10.0.0.7")

    blocked = post_login(client, agent.username, PASSWORD, ip="10.0.0.7")
    other_address = post_login(client, agent.username, PASSWORD, ip="10.0.0.8")

    assert "登录失败次数过多" in blocked
    assert other_address == reverse("core:home")


def test_success_clears_the_account_failures(client: Client, agent: User) -> None:
    post_login(client, agent.username, "wrong")

    post_login(client, agent.username, PASSWORD)

    assert not LoginFailure.objects.filter(username=agent.username).exists()


def test_logout_needs_post_and_ends_the_session(client: Client, agent: User) -> None:
    client.force_login(agent)

    response = client.post(reverse("core:logout"))

    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def post_admin_login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> str:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_admin_login_counts_failures_with_the_normal_login(client: Client) -> None:
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    post_login(client, admin.username, "wrong", ip="10.0.1.1")
    for n in range(4):
        post_admin_login(client, admin.username, "wrong", ip=f"10.0.1.{n + 2}")

    page = post_admin_login(client, admin.username, PASSWORD, ip="10.0.2.1")

    assert "登录失败次数过多" in page
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="root").count() == 5


def test_admin_login_succeeds_under_the_limit_and_clears_the_failures(client: Client) -> None:
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    post_admin_login(client, "root", "wrong")

    location = post_admin_login(client, "root", PASSWORD)

    assert location == "/admin/"
    assert not LoginFailure.objects.filter(username="root").exists()


def test_refused_attempts_do_not_prolong_the_lockout(
    client: Client, agent: User, settings: pytest.FixtureRequest
) -> None:
    for n in range(5):
        post_login(client, agent.username, "wrong", ip=f"10.0.0.{n}")

    for n in range(3):
        post_login(client, agent.username, "wrong", ip=f"10.0.3.{n}")

    assert LoginFailure.objects.filter(username=agent.username).count() == 5


def test_failures_outside_the_window_no_longer_count(client: Client, agent: User) -> None:
    with time_machine.travel("2026-12-01 09:00 +08:00", tick=False):
        for n in range(5):
            post_login(client, agent.username, "wrong", ip=f"10.0.0.{n}")
    with time_machine.travel("2026-12-01 09:16 +08:00", tick=False):
        location = post_login(client, agent.username, PASSWORD)

    assert location == reverse("core:home")


# --- the client address behind a reverse proxy


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.KEFU_TRUSTED_PROXIES = ["10.8.0.0/24"]
    settings.KEFU_TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address(_request("192.0.2.7", "203.0.113.9")) == "192.0.2.7"


@pytest.mark.usefixtures("behind_proxy")
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.8.0.5", "203.0.113.9", "203.0.113.9"),
        # A client-written hop to the left of the real one is never believed.
        ("10.8.0.5", "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        # Two trusted proxies in a row: the first untrusted hop is the client.
        ("10.8.0.5", "203.0.113.9, 10.8.0.6", "203.0.113.9"),
        ("10.8.0.5", "[2001:db8::1]:4711", "2001:db8::1"),
        ("10.8.0.5", "203.0.113.9:5555", "203.0.113.9"),
        # The peer is not a proxy: its own header is its own invention.
        ("192.0.2.7", "203.0.113.9", "192.0.2.7"),
        # No header, or junk in it: the last trusted address.
        ("10.8.0.5", None, "10.8.0.5"),
        ("10.8.0.5", "not-an-address", "10.8.0.5"),
    ],
)
def test_client_address_behind_a_trusted_proxy(
    remote: str, forwarded: str | None, expected: str
) -> None:
    assert client_address(_request(remote, forwarded)) == expected


@pytest.mark.usefixtures("behind_proxy")
def test_behind_a_proxy_failures_from_one_client_do_not_lock_out_the_others(
    client: Client, agent: User
) -> None:
    for n in range(6):
        client.post(
            reverse("core:login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.8.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )

    attacker = client.post(
        reverse("core:login"),
        {"username": agent.username, "password": PASSWORD},
        REMOTE_ADDR="10.8.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    colleague = client.post(
        reverse("core:login"),
        {"username": agent.username, "password": PASSWORD},
        REMOTE_ADDR="10.8.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )

    assert "登录失败次数过多" in attacker.content.decode()
    assert colleague.status_code == 302
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KEFU_TRUSTED_PROXY_HEADER": "X-Forwarded-For"}, "needs KEFU_TRUSTED_PROXIES"),
        ({"KEFU_TRUSTED_PROXIES": "10.0.0.1"}, "needs KEFU_TRUSTED_PROXY_HEADER"),
        (
            {"KEFU_TRUSTED_PROXIES": "10.0.0.300", "KEFU_TRUSTED_PROXY_HEADER": "X-Real-IP"},
            "is not an IP address",
        ),
        (
            {"KEFU_TRUSTED_PROXIES": "10.0.0.1", "KEFU_TRUSTED_PROXY_HEADER": "X Real"},
            "expected a header name",
        ),
    ],
)
def test_bad_proxy_settings_stop_start_up(
    env: dict[str, str], message: str, tmp_path: Path
) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environment.update(env, KEFU_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", "import kefu.settings"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert message in done.stderr
