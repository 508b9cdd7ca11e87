"""Fields encrypted at rest (Fernet). Keys come from settings when used, never at import.

The key is ``settings.KEFU_FIELD_KEY`` when set: one or more Fernet keys
separated by commas, the first used to encrypt, all tried to decrypt, which is
how a key is rotated (see docs/floor.md). Without it, a key is derived from
``SECRET_KEY`` with HKDF-SHA256 under a fixed label, so changing ``SECRET_KEY``
without setting ``KEFU_FIELD_KEY`` to the old derived key first makes old
values unreadable.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"kefu.floor.field-encryption.v1"


class UndecryptableError(ValueError):
    """The ciphertext was made with a key that is no longer configured."""


def derived_key(secret: str) -> bytes:
    """The Fernet key HKDF derives from ``secret`` (urlsafe base64, 32 bytes)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _keys() -> list[bytes]:
    configured = getattr(settings, "KEFU_FIELD_KEY", None)
    if configured:
        return [part.strip().encode() for part in str(configured).split(",") if part.strip()]
    return [derived_key(settings.SECRET_KEY)]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(value: str) -> str:
    """Ciphertext of ``value`` under the current key; the empty string stays empty."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text of ``token``; raises ``UndecryptableError`` when no key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableError("no configured key opens this value") from exc


def rotate(token: str) -> str:
    """``token`` re-encrypted under the first configured key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableError("no configured key opens this value") from exc
