"""One poison mail never stops the mail after it: a database error on one mail quarantines
that mail (``kefu ingest-email`` exits 65, not 75; the IMAP poller moves past it); only a
database that cannot be reached is a temporary fault (exit 75, the mail server retries).

The poison is real database behaviour, not a mock: a trigger refuses any message whose
body holds ``POISON`` (SQLite raises an integrity error, PostgreSQL a data exception,
the error NUL in text used to raise there). These tests run on both engines; the last
one is the PostgreSQL pass's own (``postgres_only``).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError, connection, transaction
from django.utils import timezone

from kefu.cases.models import Case, Message
from kefu.channels.email_in import email_ingest
from kefu.channels.errors import (
    ChannelErrorCode,
    MessageQuarantinedError,
    MessageUnreadableError,
)
from kefu.channels.imap import imap_poll
from kefu.channels.models import ImapCursor, QuarantinedMessage
from kefu.channels.replay import quarantine_replay
from kefu.customers.models import Contact
from tests.channels.builders import raw_email
from tests.channels.test_imap import CONFIG, FakeImap

pytestmark = pytest.mark.django_db

POISON = raw_email(body=b"POISON in the body", message_id="<poison@example.cn>")
GOOD = raw_email(message_id="<good@example.cn>", sender="li.si@example.cn")
NUL_MAIL = raw_email(
    body="设备\x00坏了".encode(), subject="漏\x00水", message_id="<nul@example.cn>"
)


@pytest.fixture
def poison_trigger() -> Iterator[None]:
    """The database refuses a message whose body holds POISON (dropped with the test's
    transaction on both engines, and explicitly for safety)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION kefu_test_poison() RETURNS trigger AS $$ BEGIN "
                "IF NEW.body LIKE '%POISON%' THEN "
                "RAISE EXCEPTION 'poison mail' USING ERRCODE = '22000'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER kefu_test_poison BEFORE INSERT ON cases_message "
                "FOR EACH ROW EXECUTE FUNCTION kefu_test_poison()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER kefu_test_poison BEFORE INSERT ON cases_message "
                "WHEN NEW.body LIKE '%POISON%' BEGIN SELECT RAISE(ABORT, 'poison mail'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS kefu_test_poison ON cases_message")
            cursor.execute("DROP FUNCTION IF EXISTS kefu_test_poison()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS kefu_test_poison")


def _ingest(monkeypatch: pytest.MonkeyPatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("ingest_email", stdout=out)
    return out.getvalue().strip()


@pytest.mark.usefixtures("poison_trigger")
def test_a_database_error_on_one_mail_quarantines_it_and_the_next_mail_goes_through() -> None:
    with pytest.raises(MessageQuarantinedError) as caught:
        email_ingest(raw=POISON, at=timezone.now(), source="stdin")

    result = email_ingest(raw=GOOD, at=timezone.now(), source="stdin")

    held = QuarantinedMessage.objects.get()
    assert caught.value.code == ChannelErrorCode.STORE_FAILED
    assert caught.value.quarantine_id == held.pk
    assert bytes(held.raw) == POISON
    assert held.error_code == "store_failed"
    assert "poison mail" in held.reason
    # Nothing of the poison mail was half stored.
    assert not Message.objects.filter(external_id="<poison@example.cn>").exists()
    assert not Contact.objects.filter(email="zhang.san@example.cn").exists()
    assert result.is_new_case
    assert Case.objects.get().contact.email == "li.si@example.cn"


@pytest.mark.usefixtures("poison_trigger")
def test_ingest_email_exits_65_on_a_mail_the_database_refuses_not_75(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(CommandError) as caught:
        _ingest(monkeypatch, POISON)
    printed = _ingest(monkeypatch, GOOD)

    assert caught.value.returncode == 65
    assert str(caught.value).startswith("store_failed: ")
    assert f"#{QuarantinedMessage.objects.get().pk}" in str(caught.value)
    assert printed == Case.objects.get().reference


@pytest.mark.usefixtures("poison_trigger")
def test_imap_poller_moves_past_a_mail_the_database_refuses() -> None:
    server = FakeImap({1: POISON, 2: GOOD})

    result = imap_poll(config=CONFIG, connect=lambda config: server)

    assert (result.fetched, result.quarantined, result.stored) == (2, 1, 1)
    assert server.seen == {1, 2}
    assert ImapCursor.objects.get().last_uid == 2
    assert QuarantinedMessage.objects.get().source == "imap INBOX uid 1"
    assert Message.objects.get().external_id == "<good@example.cn>"


def test_replay_of_a_mail_the_database_refused_keeps_it_held_until_it_goes_in(
    poison_trigger: None,
) -> None:
    with pytest.raises(MessageQuarantinedError):
        email_ingest(raw=POISON, at=timezone.now(), source="stdin")
    held = QuarantinedMessage.objects.get()

    with pytest.raises(MessageUnreadableError) as caught:
        quarantine_replay(actor=None, quarantine_id=held.pk, at=timezone.now())
    held.refresh_from_db()
    assert caught.value.code == ChannelErrorCode.STORE_FAILED
    assert held.status == QuarantinedMessage.Status.HELD

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER kefu_test_poison ON cases_message")
        else:
            cursor.execute("DROP TRIGGER kefu_test_poison")
    result = quarantine_replay(actor=None, quarantine_id=held.pk, at=timezone.now())

    held.refresh_from_db()
    assert held.status == QuarantinedMessage.Status.REPLAYED
    assert result.message is not None
    assert result.message.body == "POISON in the body"


def test_nul_mail_then_a_good_mail_both_go_through_ingest_email(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _ingest(monkeypatch, NUL_MAIL)
    second = _ingest(monkeypatch, GOOD)

    nul_case = Case.objects.get(reference=first)
    assert nul_case.subject == "漏水"
    assert Message.objects.get(case=nul_case).body == "设备坏了"
    assert Case.objects.get(reference=second).contact.email == "li.si@example.cn"
    assert not QuarantinedMessage.objects.exists()


@pytest.mark.postgres_only
def test_on_postgresql_the_nul_mail_then_a_good_mail_both_go_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The adversarial pass's case: PostgreSQL refuses NUL in text, which made
    ``kefu ingest-email`` exit 75 on this mail for ever and stop all mail behind it."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (KEFU_DATABASE_URL=postgresql://...)")
    with pytest.raises(DataError), transaction.atomic():
        Contact.objects.create(name="a\x00b", email="nul@example.cn", created_at=timezone.now())

    first = _ingest(monkeypatch, NUL_MAIL)
    second = _ingest(monkeypatch, GOOD)

    assert Message.objects.get(case__reference=first).body == "设备坏了"
    assert Case.objects.get(reference=second).contact.email == "li.si@example.cn"


def test_ingest_email_exits_75_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    """A temporary fault: the mail server keeps the mail and tries again later."""
    kefu = Path(sys.executable).with_name("kefu")
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        # Nothing listens on port 9 (discard): the connection is refused at once.
        "KEFU_DATABASE_URL": "postgresql://kefu@127.0.0.1:9/kefu",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    done = subprocess.run(
        [kefu, "ingest-email"], input=GOOD, env=env, capture_output=True, timeout=60
    )

    assert done.returncode == 75, done.stderr
    assert b"Traceback" not in done.stderr
