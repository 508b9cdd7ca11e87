"""Signing in with a one-time code by e-mail or SMS; codes hashed, single-use, short-lived,
rate-limited; the answer never tells whether an address is a customer's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from kefu.customers.models import Contact
from kefu.portal.access import COOKIE
from kefu.portal.models import PortalSession, SignInCode
from kefu.portal.services_signin import CODES_PER_HOUR, SESSION_HOURS
from tests.cases.builders import make_contact
from tests.portal.conftest import NOW

pytestmark = pytest.mark.django_db


def _ask(client: Client, address: str, channel: str = "email") -> int:
    response = client.post("/portal/login/", {"channel": channel, "address": address})
    return response.status_code


def _code_from_mail() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def _verify(client: Client, address: str, code: str, channel: str = "email") -> int:
    response = client.post(
        "/portal/login/code/", {"channel": channel, "address": address, "code": code}
    )
    return response.status_code


def test_an_emailed_code_signs_the_contact_in_once() -> None:
    contact = make_contact(email="li.na@example.com")
    client = Client()
    assert _ask(client, "Li.Na@Example.com") == 200
    assert mail.outbox[-1].to == ["li.na@example.com"]
    code = _code_from_mail()
    # Only a keyed hash is stored, never the code.
    row = SignInCode.objects.get(address="li.na@example.com")
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert _verify(client, "li.na@example.com", code) == 302
    assert client.cookies[COOKIE].value
    assert client.get("/portal/").status_code == 200
    session = PortalSession.objects.get(contact=contact)
    assert session.expires_at == NOW + timedelta(hours=SESSION_HOURS)
    # The same code a second time signs nobody in.
    assert _verify(Client(), "li.na@example.com", code) == 422


def test_an_unknown_address_reads_exactly_like_a_known_one_and_gets_no_mail() -> None:
    make_contact(email="known@example.com")
    known = Client().post("/portal/login/", {"channel": "email", "address": "known@example.com"})
    mail.outbox.clear()
    unknown = Client().post("/portal/login/", {"channel": "email", "address": "nobody@example.com"})
    assert unknown.status_code == known.status_code == 200
    text_known = known.content.decode().replace("known@example.com", "X")
    text_unknown = unknown.content.decode().replace("nobody@example.com", "X")
    # The CSRF token differs between the two; everything else is the same page.
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", text_known) == strip.sub("", text_unknown)
    assert mail.outbox == []
    assert _verify(Client(), "nobody@example.com", "000000") == 422


def test_a_wrong_code_fails_and_five_wrong_tries_spend_the_code() -> None:
    make_contact(email="wang@example.com")
    client = Client()
    _ask(client, "wang@example.com")
    code = _code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(5):
        assert _verify(client, "wang@example.com", wrong) == 422
    assert _verify(client, "wang@example.com", code) == 422


def test_a_code_expires_after_ten_minutes() -> None:
    make_contact(email="zhao@example.com")
    client = Client()
    _ask(client, "zhao@example.com")
    code = _code_from_mail()
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        assert _verify(client, "zhao@example.com", code) == 422


def test_codes_are_limited_per_address_whether_or_not_it_is_a_customer() -> None:
    make_contact(email="limit@example.com")
    for _n in range(CODES_PER_HOUR):
        assert _ask(Client(), "limit@example.com") == 200
        assert _ask(Client(), "stranger@example.com") == 200
    assert _ask(Client(), "limit@example.com") == 429
    assert _ask(Client(), "stranger@example.com") == 429
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        assert _ask(Client(), "limit@example.com") == 200


def test_sms_code_through_the_outbox(settings: object, tmp_path: object) -> None:
    from kefu.channels.dev_outbox import outbox_list

    settings.KEFU_CHANNEL_BACKEND = "outbox"  # type: ignore[attr-defined]
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    contact = make_contact(phone="+8613900001111", email="")
    client = Client()
    assert _ask(client, "139 0000 1111", channel="sms") == 200
    entry = outbox_list()[0]
    assert entry.channel == "sms"
    assert entry.to == "+8613900001111"
    code = re.search(r"\b(\d{6})\b", entry.body)
    assert code is not None
    assert _verify(client, "13900001111", code.group(1), channel="sms") == 302
    assert PortalSession.objects.filter(contact=contact).exists()
    for _n in range(CODES_PER_HOUR - 1):
        assert _ask(Client(), "+86 139 0000 1111", channel="sms") == 200
    assert _ask(Client(), "13900001111", channel="sms") == 429


def test_a_session_expires_and_signing_out_ends_it(portal_client: object) -> None:
    contact: Contact = make_contact()
    client = portal_client(contact)  # type: ignore[operator]
    assert client.get("/portal/").status_code == 200
    with time_machine.travel(NOW + timedelta(hours=SESSION_HOURS, minutes=1), tick=False):
        response = client.get("/portal/")
        assert response.status_code == 302
        assert "/portal/login/" in response["Location"]
    client = portal_client(contact)  # type: ignore[operator]
    client.post("/portal/logout/")
    assert client.get("/portal/").status_code == 302


def test_a_staff_login_opens_no_portal_page(agent: object, client_for: object) -> None:
    client = client_for(agent)  # type: ignore[operator]
    response = client.get("/portal/")
    assert response.status_code == 302
    assert "/portal/login/" in response["Location"]


def test_pages_set_a_strict_content_security_policy() -> None:
    response = Client().get("/portal/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "private, no-store"


def test_the_portal_speaks_the_contacts_language_and_switches() -> None:
    make_contact(email="en@example.com", language="en")
    client = Client()
    _ask(client, "en@example.com")
    assert "sign-in code" in mail.outbox[-1].body
    _verify(client, "en@example.com", _code_from_mail())
    page = client.get("/portal/")
    assert 'lang="en"' in page.content.decode()
    client.post("/portal/language/", {"language": "zh-hans", "next": "/portal/"})
    assert 'lang="zh-hans"' in client.get("/portal/").content.decode()
