"""Backup and restore of the database and the attachments, as one archive.

An archive is a gzipped tar holding ``manifest.json``, the database (a SQLite
copy made with SQLite's online backup API, or ``pg_dump --format=custom``)
and ``media/`` (every stored attachment).

At rest: the archive is written 0600, its folder (``var/backups``, or a folder
the backup creates) 0700; with a passphrase the whole archive is encrypted
(``kefu.core.backup_crypto``). Encrypted fields stay ciphertexts inside it; the
manifest names the field key's fingerprint, never the key.

Consistency: the database is copied first, in one snapshot, then the media
files. Attachments are written before the row that names them commits and are
never changed afterwards, so every file the snapshot refers to is already on
disk when the files are copied; a file newer than the snapshot is harmless.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

from kefu.core import backup_crypto, field_keys

FORMAT = 1
_SQLITE_NAME = "database.sqlite3"
_PG_NAME = "database.pgdump"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    engine: str
    files: int
    size: int
    field_key: str = ""
    encrypted: bool = False
    warnings: tuple[str, ...] = ()


def _private_folder(folder: Path) -> None:
    """Create ``folder`` 0700 when missing; kefu's own backups folder is made 0700 always."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is reduced by the umask
    elif folder == (Path(settings.VAR_DIR) / "backups").resolve():
        folder.chmod(0o700)


def _private_file(path: Path) -> io.BufferedWriter:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an old file of that name keeps no wider mode
    return os.fdopen(descriptor, "wb")


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)  # an online, consistent snapshot
        return
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (apt-get install -y postgresql-client)")
    args, env = _pg_env()
    done = subprocess.run(  # noqa: S603
        [pg_dump, "--format=custom", "--no-owner", "--file", str(target), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(destination: Path, *, at: datetime, passphrase: str = "") -> Summary:
    """Write an archive of the database and the attachments to ``destination``.

    The file is 0600; with ``passphrase`` it is encrypted as a whole.
    """
    engine = _engine()
    destination = destination.resolve()
    _private_folder(destination.parent)
    key = field_keys.configured_keys()[0]
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / (_SQLITE_NAME if engine == "sqlite" else _PG_NAME)
        _dump_database(engine, database)
        media = _media_files()
        root = Path(settings.MEDIA_ROOT)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "engine": engine,
            "created_at": at.isoformat(),
            "database": {"name": database.name, "sha256": _sha256(database)},
            "migrations": MigrationRecorder(connection).migration_qs.count(),
            "media": [str(PurePosixPath(*p.relative_to(root).parts)) for p in media],
            # Encrypted fields need this key after a restore; the key is not in the archive.
            "field_key": {
                "fingerprint": field_keys.fingerprint(key),
                "source": field_keys.key_source(),
            },
        }
        partial = destination.with_name(destination.name + ".partial")
        with _private_file(partial) as raw:
            sink: Any = backup_crypto.EncryptingWriter(raw, passphrase) if passphrase else raw
            _write_archive(sink, manifest, database, media)
            if passphrase:
                sink.close()
        partial.replace(destination)  # never a half-written archive under the real name
    return Summary(
        destination,
        engine,
        len(media),
        destination.stat().st_size,
        field_key=manifest["field_key"]["fingerprint"],
        encrypted=bool(passphrase),
    )


def _write_archive(sink: Any, manifest: dict[str, Any], database: Path, media: list[Path]) -> None:
    with tarfile.open(fileobj=sink, mode="w:gz") as archive:
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        archive.add(database, arcname=database.name)
        for path, name in zip(media, manifest["media"], strict=True):
            archive.add(path, arcname=f"media/{name}")


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"unsafe entry in the archive: {member.name!r}")
    return name


def _plain_archive(archive_path: Path, passphrase: str, scratch: Path) -> Path:
    """The unencrypted archive: ``archive_path`` itself, or its decryption in ``scratch``."""
    try:
        encrypted = backup_crypto.is_encrypted(archive_path)
    except OSError as exc:
        raise BackupError(f"cannot read {archive_path}: {exc}") from exc
    if not encrypted:
        return archive_path
    if not passphrase:
        raise BackupError(
            f"{archive_path} is encrypted: give its passphrase with --passphrase-file "
            "or KEFU_BACKUP_PASSPHRASE"
        )
    plain = scratch / "archive.tar.gz"
    try:
        backup_crypto.decrypt_file(archive_path, plain, passphrase)
    except backup_crypto.PassphraseError as exc:
        raise BackupError(f"cannot decrypt {archive_path}: {exc}") from exc
    return plain


def _manifest_of(plain: Path, shown: Path) -> dict[str, Any]:
    try:
        with tarfile.open(plain, "r:gz") as archive:
            handle = archive.extractfile("manifest.json")
            if handle is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.load(handle)
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{shown} is not a kefu backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def read_manifest(archive_path: Path, *, passphrase: str = "") -> dict[str, Any]:
    """The manifest of a backup (decrypted with ``passphrase`` when it is encrypted)."""
    with tempfile.TemporaryDirectory() as scratch:
        plain = _plain_archive(archive_path, passphrase, Path(scratch))
        return _manifest_of(plain, archive_path)


def _field_key_warnings(manifest: dict[str, Any]) -> tuple[str, ...]:
    wanted = (manifest.get("field_key") or {}).get("fingerprint")
    if not wanted:
        return ()
    have = {field_keys.fingerprint(key) for key in field_keys.configured_keys()}
    if wanted in have:
        return ()
    return (
        f"the backup's encrypted fields (national IDs) were written under the field key "
        f"{wanted} ({manifest['field_key'].get('source', '')}), which is not configured "
        "here: set KEFU_FIELD_KEY to that key (docs/operations.md) or they cannot be read",
    )


def restore(archive_path: Path, *, passphrase: str = "") -> Summary:
    """Replace the database and the attachments with the archive's.

    Stop the web, worker and clock processes first: the database is replaced
    under them. ``passphrase`` opens an encrypted archive.
    """
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        plain = _plain_archive(archive_path, passphrase, Path(scratch))
        manifest = _manifest_of(plain, archive_path)
        if manifest["engine"] != engine:
            raise BackupError(
                f"the backup is of a {manifest['engine']} database; this kefu uses {engine}"
            )
        unpacked_root = Path(scratch) / "unpacked"
        unpacked_root.mkdir(mode=0o700)
        with tarfile.open(plain, "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.name != "manifest.json"]
            for member in members:
                _safe_member(member)
            archive.extractall(unpacked_root, members=members, filter="data")
        database = unpacked_root / manifest["database"]["name"]
        if _sha256(database) != manifest["database"]["sha256"]:
            raise BackupError("the database in the archive is damaged (checksum differs)")
        _load_database(engine, database)
        unpacked = unpacked_root / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        if unpacked.exists():
            shutil.copytree(unpacked, media_root, dirs_exist_ok=True)
    return Summary(
        archive_path,
        engine,
        len(manifest["media"]),
        archive_path.stat().st_size,
        field_key=(manifest.get("field_key") or {}).get("fingerprint", ""),
        encrypted=plain != archive_path,
        warnings=_field_key_warnings(manifest),
    )


def _load_database(engine: str, database: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as source:
            source.backup(connection.connection)
        return
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise BackupError("pg_restore is not installed (apt-get install -y postgresql-client)")
    args, env = _pg_env()
    connections.close_all()
    done = subprocess.run(  # noqa: S603
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(database),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
