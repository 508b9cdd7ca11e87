"""The field key is separate from the secret key (issue 23, weakness 12)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pytest_django.fixtures import Settings

from kefu.core import field_keys
from kefu.floor import crypto


@pytest.fixture
def var_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.KEFU_FIELD_KEY = ""
    return tmp_path


def test_without_a_configured_key_one_is_generated_0600(var_dir: Path) -> None:
    ciphertext = crypto.encrypt("11010119900307123X")

    key_file = var_dir / "field_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Fernet(key_file.read_bytes()).decrypt(ciphertext.encode()) == b"11010119900307123X"


def test_a_new_secret_key_leaves_stored_ids_readable(var_dir: Path, settings: Settings) -> None:
    ciphertext = crypto.encrypt("11010119900307123X")

    settings.SECRET_KEY = "a-brand-new-secret-key-" + "y" * 40

    assert crypto.decrypt(ciphertext) == "11010119900307123X"


def test_ids_stored_under_the_old_derived_key_still_open(var_dir: Path, settings: Settings) -> None:
    legacy = Fernet(field_keys.derived_key(settings.SECRET_KEY)).encrypt(b"110101199003071234")

    assert crypto.decrypt(legacy.decode()) == "110101199003071234"
    # New values go under the generated key, not the derived one.
    assert crypto.decrypt(crypto.encrypt("x")) == "x"
    with pytest.raises(InvalidToken):
        Fernet(field_keys.derived_key(settings.SECRET_KEY)).decrypt(crypto.encrypt("x").encode())


def test_a_configured_key_is_used_alone(var_dir: Path, settings: Settings) -> None:
    key = Fernet.generate_key()
    settings.KEFU_FIELD_KEY = key.decode()

    ciphertext = crypto.encrypt("x")

    assert Fernet(key).decrypt(ciphertext.encode()) == b"x"
    assert not (var_dir / "field_key").exists()
    assert field_keys.key_source() == "KEFU_FIELD_KEY"
