"""API tokens revocable (command, admin, API) and with an optional expiry; an expired
or revoked token answers 401 (issue 23, weakness 12)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation

from kefu.core import services
from kefu.core.models import ApiToken, AuditEntry, User
from kefu.core.roles import Role

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


def _kefu(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def _me(secret: str) -> int:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code


def test_a_token_with_an_expiry_stops_working_after_it(agent: User) -> None:
    with time_machine.travel("2026-12-01 09:00 +08:00", tick=False):
        secret = _kefu("create", "--user", agent.username, "--expires-in-days", "30")
        assert _me(secret) == 200
    with time_machine.travel("2026-12-31 08:59 +08:00", tick=False):
        assert _me(secret) == 200
    with time_machine.travel("2026-12-31 09:00 +08:00", tick=False):
        assert _me(secret) == 401
        assert "expired" in _kefu("list", "--user", agent.username)


def test_a_token_without_expiry_works_until_revoked(agent: User) -> None:
    secret = _kefu("create", "--user", agent.username)
    token = ApiToken.objects.get(user=agent)
    assert token.expires_at is None
    with time_machine.travel(timezone.now() + timedelta(days=3000)):
        assert _me(secret) == 200


@pytest.mark.parametrize("days", ["0", "-3", "4000"])
def test_an_impossible_expiry_is_refused(agent: User, days: str) -> None:
    with pytest.raises(CommandError, match="1 to 3650 days"):
        _kefu("create", "--user", agent.username, "--expires-in-days", days)
    assert not ApiToken.objects.exists()


def test_kefu_api_token_revoke_prefix(agent: User) -> None:
    secret = _kefu("create", "--user", agent.username)
    prefix = secret.split("_")[1]

    out = _kefu("revoke", prefix)

    assert prefix in out
    assert _me(secret) == 401
    assert "revoked" in _kefu("list", "--user", agent.username)
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
    # Twice changes nothing.
    _kefu("revoke", prefix)
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_kefu_api_token_revoke_unknown_prefix_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No such API token"):
        _kefu("revoke", "deadbeef")


def test_the_api_lists_my_tokens_without_secrets(agent: User) -> None:
    issued = services.api_token_create(actor=None, user=agent, name="ci", at=timezone.now())
    headers = {"Authorization": f"Bearer {issued.secret}"}

    response = Client().get("/api/v1/tokens", headers=headers)

    assert response.status_code == 200
    assert [item["prefix"] for item in response.json()] == [issued.token.prefix]
    assert issued.secret not in response.content.decode()


def test_the_api_revokes_my_own_token(agent: User) -> None:
    issued = services.api_token_create(actor=None, user=agent, name="ci", at=timezone.now())
    headers = {"Authorization": f"Bearer {issued.secret}"}

    response = Client().post(f"/api/v1/tokens/{issued.token.prefix}/revoke", headers=headers)

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert Client().get("/api/v1/me", headers=headers).status_code == 401


def test_an_agent_cannot_revoke_a_colleagues_token_and_learns_nothing(
    agent: User, make_user: MakeUser
) -> None:
    colleague = make_user(Role.AGENT, username="agent.wang")
    theirs = services.api_token_create(actor=None, user=colleague, name="", at=timezone.now())
    mine = services.api_token_create(actor=None, user=agent, name="", at=timezone.now())

    response = Client().post(
        f"/api/v1/tokens/{theirs.token.prefix}/revoke",
        headers={"Authorization": f"Bearer {mine.secret}"},
    )

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_token"
    assert _me(theirs.secret) == 200


def test_an_administrator_revokes_anyones_token_through_the_api(
    agent: User, make_user: MakeUser
) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="admin.he")
    theirs = services.api_token_create(actor=None, user=agent, name="", at=timezone.now())
    mine = services.api_token_create(actor=None, user=admin, name="", at=timezone.now())

    response = Client().post(
        f"/api/v1/tokens/{theirs.token.prefix}/revoke",
        headers={"Authorization": f"Bearer {mine.secret}"},
    )

    assert response.status_code == 200
    assert _me(theirs.secret) == 401


def test_the_admin_revokes_selected_tokens(agent: User) -> None:
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123456")
    issued = services.api_token_create(actor=None, user=agent, name="", at=timezone.now())
    client = Client()
    client.force_login(root)

    response = client.post(
        "/admin/core/apitoken/",
        {"action": "revoke", "_selected_action": [str(issued.token.pk)]},
    )

    assert response.status_code == 302
    assert _me(issued.secret) == 401
    assert client.get(f"/admin/core/apitoken/{issued.token.pk}/change/").status_code == 200
