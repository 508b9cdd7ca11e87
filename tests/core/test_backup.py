"""``kefu backup`` and ``kefu restore``: a round trip brings back every row and file."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pytest_django.fixtures import Settings

from kefu.cases.models import Attachment, Case, Message
from kefu.cases.services import IncomingAttachment
from kefu.customers.models import Organisation
from tests.cases.builders import make_contact, open_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_a_backup_round_trip_restores_rows_and_attachments(media: Path, tmp_path: Path) -> None:
    contact = make_contact(name="李娜")
    case = open_case(when="2026-11-23 10:00", contact=contact, body="附件是漏水的照片。")
    message = Message.objects.get(case=case)
    from kefu.cases.services.cases import _save_attachments

    _save_attachments(message, [IncomingAttachment("漏水.jpg", "image/jpeg", b"\xff\xd8photo")])
    stored = Attachment.objects.get(message=message)
    photo = media / stored.file.name
    assert photo.read_bytes() == b"\xff\xd8photo"
    archive = tmp_path / "backups" / "kefu.tar.gz"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "1" in out.getvalue()
    assert archive.exists()

    # Disaster: the case and its photo are gone.
    Case.objects.all().delete()
    photo.unlink()
    Organisation.objects.create(name="备份之后才有的公司", created_at=case.created_at)

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    restored = Case.objects.get(reference=case.reference)
    assert restored.contact.name == "李娜"
    assert Message.objects.get(case=restored).body == "附件是漏水的照片。"
    assert photo.read_bytes() == b"\xff\xd8photo"
    assert not Organisation.objects.filter(name="备份之后才有的公司").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")

    with translation.override("en"), pytest.raises(CommandError, match="not a kefu backup"):
        call_command("restore", str(junk), "--no-input")


def test_restore_refuses_path_traversal(media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "kefu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("../../outside.txt")
        evil.size = 4
        target.addfile(evil, io.BytesIO(b"evil"))

    with translation.override("en"), pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(hostile), "--no-input")
    assert not (tmp_path.parent / "outside.txt").exists()


def test_restore_needs_a_yes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "kefu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with translation.override("en"), pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(archive))
