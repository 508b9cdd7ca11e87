"""Fields encrypted at rest (Fernet). Keys come from ``kefu.core.field_keys`` when used.

The first configured key encrypts, every one decrypts, which is how a key is
rotated (docs/floor.md). Without ``KEFU_FIELD_KEY`` the key is the one kefu
generated into ``VAR_DIR/field_key``, separate from ``SECRET_KEY``.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from kefu.core.field_keys import configured_keys, derived_key

__all__ = ["UndecryptableError", "decrypt", "derived_key", "encrypt", "rotate"]


class UndecryptableError(ValueError):
    """The ciphertext was made with a key that is no longer configured."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in configured_keys()])


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
