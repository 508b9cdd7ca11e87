"""The coach's Django side: admin entries, the active lexicon, the CLI, the API, the page."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kefu.assist import selectors, services
from kefu.assist.errors import AssistErrorCode, AssistInvalidError
from kefu.assist.models import LexiconEntry
from kefu.core.errors import PermissionDeniedError
from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role

pytestmark = pytest.mark.django_db
MakeUser = Callable[..., User]


def test_manager_adds_an_entry_and_the_active_lexicon_uses_it(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = selectors.active_lexicon()
    from kefu.assist.engine import polarity, read_customer

    # The rules alone: the statistical second opinion already reads this one upset.
    monkeypatch.setattr(polarity, "_switched_off", True)

    assert not read_customer("你们真是一群饭桶", lexicon=before).upset
    entry = services.lexicon_entry_add(
        actor=manager, list_name="negative", term="饭桶", weight=1.5, emotion="anger",
        at=timezone.now(),
    )  # fmt: skip
    after = selectors.active_lexicon()

    assert after.version != before.version
    assert after.version.startswith(before.version.split("+")[0] + "+1.")
    assert read_customer("你们真是一群饭桶", lexicon=after).upset
    assert AuditEntry.objects.filter(action="assist.lexicon_entry_add").exists()
    assert selectors.active_lexicon() is after  # cached while nothing changes

    services.lexicon_entry_set_active(
        actor=manager, entry=entry, is_active=False, at=timezone.now()
    )
    assert selectors.active_lexicon().version == before.version


def test_agent_may_not_extend_the_lists(agent: User) -> None:
    with pytest.raises(PermissionDeniedError):
        services.lexicon_entry_add(actor=agent, list_name="negative", term="x", at=timezone.now())
    assert not LexiconEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"list_name": "negative", "pattern": "(unclosed"}, AssistErrorCode.INVALID_ENTRY),
        ({"list_name": "negative", "pattern": "a*"}, AssistErrorCode.INVALID_ENTRY),
        ({"list_name": "nope", "term": "x"}, AssistErrorCode.UNKNOWN_LIST),
        ({"list_name": "negative"}, AssistErrorCode.INVALID_ENTRY),
        ({"list_name": "negative", "term": "x", "emotion": "rage"}, AssistErrorCode.INVALID_ENTRY),
    ],
)
def test_bad_entries_are_domain_errors_and_store_nothing(
    manager: User, fields: dict[str, str], code: AssistErrorCode
) -> None:
    with pytest.raises(AssistInvalidError) as caught:
        services.lexicon_entry_add(actor=manager, at=timezone.now(), **fields)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.text()
    assert not LexiconEntry.objects.exists()


def test_admin_form_shows_a_bad_pattern_as_an_error(make_user: MakeUser) -> None:
    admin_user = make_user(Role.ADMINISTRATOR, username="root.wu")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True)
    client = Client()
    client.force_login(admin_user)

    response = client.post(
        "/admin/assist/lexiconentry/add/",
        {"list_name": "negative", "pattern": "(oops", "language": "any", "weight": "1"},
    )
    created = client.post(
        "/admin/assist/lexiconentry/add/",
        {"list_name": "negative", "term": "饭桶", "language": "zh", "weight": "1.2",
         "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert created.status_code == 302
    entry = LexiconEntry.objects.get()
    assert entry.created_by == admin_user
    assert "饭桶" in {e.term for e in selectors.active_lexicon()["negative"].entries}


def test_cli_analyze_reads_lines_and_reports_bad_ones() -> None:
    lines = "\n".join(
        [
            json.dumps({"text": "呵呵，你们服务真好……", "role": "customer"}, ensure_ascii=False),
            "not json",
            json.dumps({"role": "agent"}),
            json.dumps({"text": "x", "role": "boss"}),
            json.dumps({"text": "这个我们做不到", "role": "agent", "language": "en"},
                       ensure_ascii=False),
            json.dumps({"text": "我们会尽快处理", "role": "agent", "context": {"complaint": True}},
                       ensure_ascii=False),
        ]
    )  # fmt: skip
    out = io.StringIO()
    call_command("assist", "analyze", stdin=io.StringIO(lines + "\n"), stdout=out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]

    assert len(results) == 6
    assert results[0]["sentiment"] == "negative"
    assert set(results[0]) >= {"sentiment", "upset", "emotions", "escalation_risk", "threat"}
    assert [r["error"]["line"] for r in results[1:4]] == [2, 3, 4]
    assert results[4]["flags"][0]["code"] == "negative_phrasing"
    assert results[4]["flags"][0]["message"].startswith("Negative")
    assert "missing_commitment_time" in {f["code"] for f in results[5]["flags"]}
    assert "呵呵" in out.getvalue()  # not escaped


def test_api_analyze_for_customer_and_agent(
    client: Client, agent: User, bearer_for: Callable[[User], dict[str, str]]
) -> None:
    headers = bearer_for(agent)
    reading = client.post(
        "/api/v1/assist/analyze",
        {"text": "不然我就去12315投诉了", "role": "customer", "context": {"contact_count": 3}},
        content_type="application/json",
        headers=headers,
    )
    coaching = client.post(
        "/api/v1/assist/analyze",
        {"text": "We can't do that.", "role": "agent", "language": "en"},
        content_type="application/json",
        headers=headers,
    )
    bad = client.post(
        "/api/v1/assist/analyze",
        {"text": "x", "role": "boss"},
        content_type="application/json",
        headers=headers,
    )

    assert reading.status_code == 200
    assert reading.json()["threat"] is True
    assert reading.json()["threat_kinds"] == ["regulator"]
    assert coaching.status_code == 200
    assert coaching.json()["flags"][0]["suggestion"] == "What we can do is"
    assert bad.status_code == 422


def test_api_needs_work_cases(
    client: Client, make_user: MakeUser, bearer_for: Callable[[User], dict[str, str]]
) -> None:
    analyst = make_user(Role.REALTIME_ANALYST, username="rta.he")
    anonymous = client.post(
        "/api/v1/assist/analyze", {"text": "x", "role": "customer"},
        content_type="application/json",
    )  # fmt: skip
    denied = client.post(
        "/api/v1/assist/analyze", {"text": "x", "role": "customer"},
        content_type="application/json", headers=bearer_for(analyst),
    )  # fmt: skip
    assert anonymous.status_code == 401
    assert denied.status_code == 403


def test_page_needs_login(client: Client) -> None:
    response = client.get("/assist/")
    assert response.status_code == 302


def test_page_reads_and_coaches_with_htmx(
    agent: User, manager: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(agent).get("/assist/")
    result = client_for(agent).post(
        "/assist/",
        {"customer": "呵呵，你们服务真好……再不修我就去12315", "draft": "这个我们做不到。"},
        headers={"HX-Request": "true"},
    )
    manager_page = client_for(manager).get("/assist/")

    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="customer"' in body
    assert "/admin/assist/lexiconentry/" not in body
    assert "/admin/assist/lexiconentry/" in manager_page.content.decode()
    html = result.content.decode()
    assert result.status_code == 200
    assert "<html" not in html
    assert 'data-testid="assist-threat"' in html
    assert '<mark class="coach-flag" data-code="negative_phrasing">做不到</mark>' in html
    assert '<mark class="assist-cue" data-code="sarcasm"' in html


def test_page_survives_junk(agent: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(agent).post(
        "/assist/", {"customer": "\x00" * 10 + "😡" * 5000, "draft": "！" * 50_000}
    )
    assert response.status_code == 200
