"""Access beyond the matrix: confidential cases, audited PII reveals, CSRF and cookies."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from tests.cases.builders import make_contact, open_case
from tests.core.factories import PASSWORD, make_department, make_staff

Bearer = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db


def test_confidential_case_is_invisible_outside_its_department(bearer_for: Bearer) -> None:
    inside = make_staff(role=Role.TEAM_LEAD, department=make_department(code="svc"))
    outside = make_staff(
        role=Role.DEPARTMENT_MANAGER, department=make_department(name="工程部", code="eng")
    )
    case = open_case(when="2026-11-16 09:00", owner=inside)
    case.department_id = inside.department_id  # type: ignore[assignment]
    case.is_confidential = True
    case.save(update_fields=["department", "is_confidential"])
    client = Client()
    assert client.get(f"/api/v1/cases/{case.pk}", headers=bearer_for(inside)).status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}", headers=bearer_for(outside)).status_code == 404
    listed = client.get("/api/v1/cases", headers=bearer_for(outside)).json()["items"]
    assert case.pk not in [item["id"] for item in listed]
    page = Client()
    page.force_login(outside)
    assert page.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_contact_pii_reveal_is_audited_and_refused_to_agents(bearer_for: Bearer) -> None:
    contact = make_contact(phone="13812345678")
    lead = make_staff(role=Role.TEAM_LEAD)
    agent = make_staff(role=Role.AGENT)
    url = f"/api/v1/contacts/{contact.pk}/reveal"
    body = {"fields": ["phone"]}
    refused = Client().post(url, body, content_type="application/json", headers=bearer_for(agent))
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="contact.pii_revealed").exists()
    shown = Client().post(url, body, content_type="application/json", headers=bearer_for(lead))
    assert shown.status_code == 200
    assert "13812345678" in shown.content.decode()
    entry = AuditEntry.objects.get(action="contact.pii_revealed")
    assert entry.actor == lead


def test_candidate_national_id_reveal_is_audited(bearer_for: Bearer) -> None:
    lead = make_staff(role=Role.TEAM_LEAD)
    headers = bearer_for(lead)
    created = (
        Client()
        .post(
            "/api/v1/people/candidates",
            {"name": "王芳", "national_id": "110101199003071234", "expected_pay": 6000},
            content_type="application/json",
            headers=headers,
        )
        .json()
    )
    before = AuditEntry.objects.count()
    revealed = Client().post(f"/api/v1/people/candidates/{created['id']}/reveal", headers=headers)
    assert revealed.json() == {"national_id": "110101199003071234"}
    entries = AuditEntry.objects.order_by("-pk")[: AuditEntry.objects.count() - before]
    assert any("reveal" in entry.action for entry in entries)
    assert all(entry.actor == lead for entry in entries)


def test_form_posts_need_the_csrf_token() -> None:
    agent = make_staff(role=Role.AGENT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    case = open_case(when="2026-11-16 09:00", owner=agent)
    url = reverse("cases:note", args=[case.pk])
    assert client.post(url, {"body": "内部备注"}).status_code == 403
    client.get(reverse("cases:case", args=[case.pk]))  # sets the CSRF cookie
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    accepted = client.post(url, {"body": "内部备注"}, headers={"X-CSRFToken": token})
    assert accepted.status_code in (200, 302)


def test_login_form_needs_the_csrf_token() -> None:
    make_staff(role=Role.AGENT, username="csrf.user")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": "csrf.user", "password": "x"})
    assert response.status_code == 403


def test_session_cookie_is_http_only(agent: User) -> None:
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": agent.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_make_cookies_secure_and_pass_the_deploy_check(
    tmp_path: object,
) -> None:
    """``kefu check --deploy`` with the production environment: cookies secure, HSTS on."""
    env = {
        "PATH": "/usr/bin:/bin",
        "KEFU_SECRET_KEY": "x" * 60 + "-production-secret-for-the-deploy-check",
        "KEFU_DEBUG": "false",
        "KEFU_SECURE_COOKIES": "true",
        "KEFU_ALLOWED_HOSTS": "kefu.example.cn",
        "KEFU_VAR_DIR": str(tmp_path),
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kefu.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert shown.stdout.split() == ["True", "True", "True", "True", "True"], shown.stderr[-2000:]
    check = subprocess.run(
        [sys.executable, "-m", "kefu", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


# Login throttling (per account and per address) is tested in tests/core/test_login.py:
# test_account_is_locked_after_limit_even_with_right_password,
# test_address_is_limited_across_accounts, test_success_clears_the_account_failures.
