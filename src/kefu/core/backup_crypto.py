"""Passphrase encryption of backup archives: scrypt, then AES-256-GCM in 1 MiB chunks.

Layout: ``MAGIC`` (16 bytes), scrypt salt (16), log2 of scrypt's N (1), a nonce
prefix (7), then chunks, each a 4-byte big-endian length and the ciphertext of up
to 1 MiB. A chunk's nonce is the prefix, its 4-byte index and a last-chunk flag;
the header is authenticated with every chunk. So a changed byte, a reordered or
missing chunk and a cut-off end are all refused, and memory stays at one chunk
whatever the archive's size.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"KEFU-BACKUP-GCM1"
CHUNK = 1 << 20
_LOG_N = 15  # scrypt N = 32768, r = 8: 32 MiB and about 0.1 s per key
_HEADER = len(MAGIC) + 16 + 1 + 7


class PassphraseError(ValueError):
    """The passphrase is wrong, or the encrypted archive was changed or cut short."""


def _key(passphrase: str, salt: bytes, log_n: int) -> bytes:
    if not 10 <= log_n <= 20:
        raise PassphraseError("unknown key-derivation settings")
    return Scrypt(salt=salt, length=32, n=1 << log_n, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int, *, last: bool) -> bytes:
    return prefix + struct.pack(">I?", index, last)


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` starts like an encrypted backup."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted to ``target``."""

    def __init__(self, target: IO[bytes], passphrase: str) -> None:
        if not passphrase:
            raise ValueError("an empty passphrase encrypts nothing")
        salt, prefix = os.urandom(16), os.urandom(7)
        self._header = MAGIC + salt + bytes([_LOG_N]) + prefix
        self._aead = AESGCM(_key(passphrase, salt, _LOG_N))
        self._prefix = prefix
        self._target = target
        self._buffer = bytearray()
        self._index = 0
        target.write(self._header)

    def _emit(self, data: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._index, last=last)
        sealed = self._aead.encrypt(nonce, data, self._header)
        self._target.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Chunks are written whole; nothing to flush before ``close``."""

    def close(self) -> None:
        """Write the last chunk (possibly empty), which marks the end."""
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Decrypt ``source`` into ``target`` (created 0600); ``PassphraseError`` when it fails."""
    with source.open("rb") as handle:
        header = handle.read(_HEADER)
        if len(header) != _HEADER or not header.startswith(MAGIC):
            raise PassphraseError("not an encrypted kefu backup")
        salt = header[len(MAGIC) : len(MAGIC) + 16]
        log_n = header[len(MAGIC) + 16]
        prefix = header[len(MAGIC) + 17 :]
        aead = AESGCM(_key(passphrase, salt, log_n))
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            index = 0
            while True:
                size_bytes = handle.read(4)
                if len(size_bytes) != 4:
                    raise PassphraseError("the encrypted archive is cut short")
                (size,) = struct.unpack(">I", size_bytes)
                if size > CHUNK + 16:
                    raise PassphraseError("the encrypted archive is damaged")
                sealed = handle.read(size)
                last = handle.peek(1)[:1] == b"" if hasattr(handle, "peek") else False
                try:
                    plain = aead.decrypt(_nonce(prefix, index, last=last), sealed, header)
                except InvalidTag:
                    raise PassphraseError(
                        "wrong passphrase, or the encrypted archive was changed"
                    ) from None
                out.write(plain)
                if last:
                    return
                index += 1
