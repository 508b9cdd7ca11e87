"""Backups at rest (issue 23, weakness 12): 0600 in a 0700 folder, optionally encrypted
with a passphrase, and the field key named in every backup."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from kefu.core import field_keys
from kefu.core.backup_crypto import MAGIC
from kefu.customers.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def var(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.KEFU_FIELD_KEY = ""
    settings.KEFU_BACKUP_PASSPHRASE = ""
    Path(settings.VAR_DIR).mkdir()
    return Path(settings.VAR_DIR)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_text("correct horse battery staple\n", encoding="utf-8")
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_default_backup_is_0600_in_a_0700_folder(var: Path) -> None:
    (var / "backups").mkdir(mode=0o755)

    _run("backup")

    folder = var / "backups"
    (archive,) = folder.iterdir()
    assert _mode(folder) == 0o700
    assert _mode(archive) == 0o600


def test_a_backup_into_a_new_folder_creates_it_0700(var: Path, tmp_path: Path) -> None:
    archive = tmp_path / "offsite" / "nightly" / "kefu.tar.gz"

    _run("backup", str(archive))

    assert _mode(archive.parent) == 0o700
    assert _mode(archive) == 0o600


def test_the_manifest_names_the_field_key_by_fingerprint_only(var: Path, tmp_path: Path) -> None:
    archive = tmp_path / "kefu.tar.gz"

    out, _err = _run("backup", str(archive))

    key = field_keys.configured_keys()[0]
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        manifest = json.load(handle)
        names = tar.getnames()
    assert manifest["field_key"]["fingerprint"] == field_keys.fingerprint(key)
    assert "field_key" not in names
    assert key.decode() not in archive.read_bytes().decode("latin-1")
    assert field_keys.fingerprint(key) in out


def test_an_encrypted_backup_round_trip(var: Path, tmp_path: Path, passphrase_file: Path) -> None:
    Organisation.objects.create(name="加密之前的公司", created_at=timezone.now())
    archive = tmp_path / "kefu.tar.gz.enc"

    out, _err = _run("backup", str(archive), "--passphrase-file", str(passphrase_file))

    data = archive.read_bytes()
    assert data.startswith(MAGIC)
    assert "加密之前的公司".encode() not in data
    assert b"SQLite format" not in data
    assert "encrypted" in out
    Organisation.objects.all().delete()

    _run("restore", str(archive), "--no-input", "--passphrase-file", str(passphrase_file))

    assert Organisation.objects.filter(name="加密之前的公司").exists()


def test_the_passphrase_may_come_from_the_environment_setting(
    var: Path, tmp_path: Path, settings: Settings
) -> None:
    settings.KEFU_BACKUP_PASSPHRASE = "another long passphrase"
    archive = tmp_path / "kefu.enc"
    _run("backup", str(archive))
    assert archive.read_bytes().startswith(MAGIC)

    _run("restore", str(archive), "--no-input")


def test_an_encrypted_backup_is_refused_without_or_with_a_wrong_passphrase(
    var: Path, tmp_path: Path, passphrase_file: Path
) -> None:
    archive = tmp_path / "kefu.enc"
    _run("backup", str(archive), "--passphrase-file", str(passphrase_file))
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all", encoding="utf-8")

    with pytest.raises(CommandError, match="is encrypted: give its passphrase"):
        _run("restore", str(archive), "--no-input")
    with pytest.raises(CommandError, match="wrong passphrase"):
        _run("restore", str(archive), "--no-input", "--passphrase-file", str(wrong))


@pytest.mark.parametrize("damage", ["flip", "cut"])
def test_a_changed_or_cut_encrypted_backup_is_refused(
    var: Path, tmp_path: Path, passphrase_file: Path, damage: str
) -> None:
    archive = tmp_path / "kefu.enc"
    _run("backup", str(archive), "--passphrase-file", str(passphrase_file))
    data = bytearray(archive.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    else:
        del data[-100:]
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="cannot decrypt"):
        _run("restore", str(archive), "--no-input", "--passphrase-file", str(passphrase_file))


def test_a_short_passphrase_is_refused(var: Path, tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_text("secret", encoding="utf-8")

    with pytest.raises(CommandError, match="at least 12 characters"):
        _run("backup", str(tmp_path / "kefu.enc"), "--passphrase-file", str(short))


def test_restore_warns_when_the_backups_field_key_is_not_configured(
    var: Path, tmp_path: Path, settings: Settings
) -> None:
    archive = tmp_path / "kefu.tar.gz"
    _run("backup", str(archive))
    wanted = field_keys.fingerprint(field_keys.configured_keys()[0])
    settings.KEFU_FIELD_KEY = Fernet.generate_key().decode()

    _out, err = _run("restore", str(archive), "--no-input")

    assert wanted in err
    assert "KEFU_FIELD_KEY" in err
