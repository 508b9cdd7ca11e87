"""``kefu ingest-email`` and ``kefu quarantine``: the administrator's command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kefu.cases.models import Case, Message
from kefu.channels.models import QuarantinedMessage
from kefu.core.models import AuditEntry
from tests.channels.builders import gb2312_email, raw_email

pytestmark = pytest.mark.django_db

GARBAGE = b"\x00\x01 not an email at all \xff"


def _ingest(monkeypatch: pytest.MonkeyPatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("ingest_email", stdout=out)
    return out.getvalue().strip()


def _quarantine(*args: str) -> str:
    out = io.StringIO()
    call_command("quarantine", *args, stdout=out)
    return out.getvalue()


def test_ingest_email_reads_stdin_and_prints_the_case_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    printed = _ingest(monkeypatch, gb2312_email())

    assert printed == Case.objects.get().reference


def test_ingest_email_of_a_repeat_prints_the_same_case_and_stores_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _ingest(monkeypatch, gb2312_email())

    second = _ingest(monkeypatch, gb2312_email())

    assert second == first
    assert Message.objects.count() == 1


def test_ingest_email_of_garbage_exits_65_and_keeps_it_in_quarantine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GARBAGE)))

    with pytest.raises(CommandError) as caught:
        call_command("ingest_email")

    held = QuarantinedMessage.objects.get()
    assert caught.value.returncode == 65
    assert str(caught.value).startswith("no_sender: ")
    assert f"#{held.pk}" in str(caught.value)
    assert bytes(held.raw) == GARBAGE
    assert not Case.objects.exists()


def test_quarantine_list_shows_held_items_only_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(CommandError):
        _ingest(monkeypatch, GARBAGE)
    held = QuarantinedMessage.objects.get()
    QuarantinedMessage.objects.create(
        channel="email",
        raw=b"x",
        reason="old",
        error_code="empty_email",
        received_at=timezone.now(),
        status=QuarantinedMessage.Status.DISCARDED,
    )

    held_lines = _quarantine("list").splitlines()
    all_lines = _quarantine("list", "--status", "all").splitlines()

    assert len(held_lines) == 1
    assert held_lines[0].startswith(f"{held.pk}\t")
    assert "\tno_sender\tstdin\t" in held_lines[0]
    assert len(all_lines) == 2


def test_quarantine_replay_ingests_the_stored_bytes_and_marks_it_replayed() -> None:
    # As if an earlier version had failed on a message that is fine today.
    item = QuarantinedMessage.objects.create(
        channel="email",
        raw=raw_email(message_id="<later@example.cn>"),
        reason="processing failed",
        error_code="processing_failed",
        received_at=timezone.now(),
    )

    printed = _quarantine("replay", str(item.pk)).strip()

    item.refresh_from_db()
    case = Case.objects.get()
    assert printed == case.reference
    assert (item.status, item.case) == (QuarantinedMessage.Status.REPLAYED, case)
    assert item.replayed_at is not None
    assert Message.objects.get().created_at == item.received_at
    assert AuditEntry.objects.filter(action="quarantine.replayed").exists()


def test_quarantine_replay_of_a_still_broken_message_keeps_it_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(CommandError):
        _ingest(monkeypatch, GARBAGE)
    item = QuarantinedMessage.objects.get()

    with pytest.raises(CommandError):
        _quarantine("replay", str(item.pk))

    item.refresh_from_db()
    assert item.status == QuarantinedMessage.Status.HELD
    assert item.error_code == "no_sender"
    assert QuarantinedMessage.objects.count() == 1


def test_quarantine_replay_twice_is_refused() -> None:
    item = QuarantinedMessage.objects.create(
        channel="email",
        raw=raw_email(message_id="<twice@example.cn>"),
        reason="r",
        error_code="processing_failed",
        received_at=timezone.now(),
    )
    _quarantine("replay", str(item.pk))

    with pytest.raises(CommandError):
        _quarantine("replay", str(item.pk))

    assert Message.objects.count() == 1


def test_quarantine_discard_keeps_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError):
        _ingest(monkeypatch, GARBAGE)
    item = QuarantinedMessage.objects.get()

    _quarantine("discard", str(item.pk))

    item.refresh_from_db()
    assert item.status == QuarantinedMessage.Status.DISCARDED
    assert bytes(item.raw) == GARBAGE
    assert AuditEntry.objects.filter(action="quarantine.discarded").exists()


def test_quarantine_of_an_unknown_id_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="#999"):
        _quarantine("discard", "999")


def test_kefu_ingest_email_subprocess_exits_65_on_garbage(tmp_path: Path) -> None:
    """The installed console script, as a mail server pipe runs it, on its own database."""
    kefu = Path(sys.executable).with_name("kefu")
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_DATABASE_URL": f"sqlite:///{tmp_path / 'kefu.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([kefu, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=120)

    done = subprocess.run(
        [kefu, "ingest-email"], input=GARBAGE, env=env, capture_output=True, timeout=60
    )

    assert done.returncode == 65
    assert b"no_sender: " in done.stderr
