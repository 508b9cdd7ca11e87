"""Pages: navigation for every domain, the language switch, the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.models import AuditEntry, User
from kefu.core.navigation import NAVIGATION, NavItem, navigation_for
from kefu.core.roles import Role
from tests.conftest import MakeUser

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_overview_links_every_domain(client_for: ClientFor, agent: User) -> None:
    page = client_for(agent).get(reverse("core:home")).content.decode()

    for item in navigation_for(agent):
        assert f'href="{item.url}"' in page
    assert reverse("core:audit") not in page


@pytest.mark.parametrize("item", NAVIGATION, ids=lambda item: item.key)
def test_each_domain_page_renders(
    client_for: ClientFor, make_user: MakeUser, item: NavItem
) -> None:
    administrator = make_user(Role.ADMINISTRATOR, username="admin.nav")
    url = item.url

    response = client_for(administrator).get(url)

    assert response.status_code == 200, url
    assert '<html lang="zh-hans">' in response.content.decode()


def test_language_switch_is_remembered_for_the_user(client_for: ClientFor, agent: User) -> None:
    client = client_for(agent)

    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    agent.refresh_from_db()
    fresh = Client()
    fresh.force_login(agent)
    page = fresh.get(reverse("core:home")).content.decode()

    assert response.status_code == 302
    assert agent.language == "en"
    assert '<html lang="en">' in page
    assert "Sign out" in page
    assert AuditEntry.objects.filter(
        action="user.language_changed", target_id=str(agent.pk)
    ).exists()


def test_language_switch_refuses_unknown_language(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).post(reverse("core:set_language"), {"language": "fr"})

    agent.refresh_from_db()
    assert response.status_code == 400
    assert agent.language == "zh-hans"


def test_language_switch_never_redirects_off_site(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_audit_log_is_for_managers_only(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).get(reverse("core:audit"))

    assert response.status_code == 403


def test_manager_filters_the_audit_log(client_for: ClientFor, manager: User, agent: User) -> None:
    now = timezone.now()
    audit_record(actor=agent, action="case.replied", target=agent, at=now)
    audit_record(actor=manager, action="user.language_changed", target=manager, at=now)

    page = client_for(manager).get(reverse("core:audit"), {"action": "replied"}).content.decode()

    assert "case.replied" in page
    assert "user.language_changed" not in page


def test_audit_filter_as_htmx_returns_only_the_rows(client_for: ClientFor, manager: User) -> None:
    response = client_for(manager).get(reverse("core:audit"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "<table>" in response.content.decode()


def test_audit_log_is_append_only(agent: User) -> None:
    entry = audit_record(actor=agent, action="x", target=agent, at=timezone.now())

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().update(action="y")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_static_assets_are_served_locally(client: Client) -> None:
    page = client.get(reverse("core:login")).content.decode()

    assert "/static/kefu/kefu.css" in page
    assert "/static/django_htmx/htmx-2.min.js" in page or "htmx" in page
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client: Client) -> None:
    first = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.post(reverse("core:set_language"), {"language": "en", "next": "/login/"})
    chosen = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert '<html lang="zh-hans">' in first.content.decode()
    assert '<html lang="en">' in chosen.content.decode()
