"""The keys of fields encrypted at rest (a candidate's national ID), read when used.

``settings.KEFU_FIELD_KEY`` when set: one or more Fernet keys separated by
commas, the first encrypts, all decrypt (rotation, docs/floor.md). Without it,
kefu generates a key into ``VAR_DIR/field_key`` (mode 0600) on first use: the
field key is separate from ``SECRET_KEY``, so rotating the secret key never
makes stored IDs unreadable. Values written before the key was separate were
encrypted under a key derived from ``SECRET_KEY``; it stays as the last key to
decrypt with while ``KEFU_FIELD_KEY`` is unset.

A backup holds the ciphertexts, never the key: keep the key with the backup
(``kefu backup`` prints its fingerprint, ``kefu restore`` warns when the
backup's key is not configured).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"kefu.floor.field-encryption.v1"
KEY_FILE_NAME = "field_key"


def derived_key(secret: str) -> bytes:
    """The Fernet key HKDF derives from ``secret`` (urlsafe base64, 32 bytes)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


def generated_key() -> bytes:
    """The key in ``VAR_DIR/field_key``, created (0600) when missing."""
    path = Path(settings.VAR_DIR) / KEY_FILE_NAME
    if not path.exists():
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


def configured_keys() -> list[bytes]:
    """Every key to decrypt with, the one to encrypt with first."""
    configured = str(getattr(settings, "KEFU_FIELD_KEY", "") or "")
    if configured:
        return [part.strip().encode() for part in configured.split(",") if part.strip()]
    return [generated_key(), derived_key(settings.SECRET_KEY)]


def fingerprint(key: bytes) -> str:
    """A short public name of ``key`` (SHA-256, 16 hex digits), safe to print and store."""
    return hashlib.sha256(key).hexdigest()[:16]


def key_source() -> str:
    """Where the encrypting key comes from, for the backup manifest and messages."""
    if getattr(settings, "KEFU_FIELD_KEY", ""):
        return "KEFU_FIELD_KEY"
    return str(Path(settings.VAR_DIR) / KEY_FILE_NAME)
