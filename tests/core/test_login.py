"""Sign-in: one generic failure message, rate-limited per account and per address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.models import LoginFailure, User
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
