"""Backup and restore of the database and the attachments, as one archive.

An archive is a gzipped tar holding ``manifest.json``, the database (a SQLite
copy made with SQLite's online backup API, or ``pg_dump --format=custom``)
and ``media/`` (every stored attachment).

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


def backup(destination: Path, *, at: datetime) -> Summary:
    """Write an archive of the database and the attachments to ``destination``."""
    engine = _engine()
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
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
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for path, name in zip(media, manifest["media"], strict=True):
                archive.add(path, arcname=f"media/{name}")
        partial.replace(destination)  # never a half-written archive under the real name
    return Summary(destination, engine, len(media), destination.stat().st_size)


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"unsafe entry in the archive: {member.name!r}")
    return name


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            handle = archive.extractfile("manifest.json")
            if handle is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.load(handle)
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive_path} is not a kefu backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(archive_path: Path) -> Summary:
    """Replace the database and the attachments with the archive's.

    Stop the web, worker and clock processes first: the database is replaced
    under them.
    """
    manifest = read_manifest(archive_path)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; this kefu uses {engine}"
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive_path, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name != "manifest.json"]
        for member in members:
            _safe_member(member)
        archive.extractall(scratch, members=members, filter="data")
        database = Path(scratch) / manifest["database"]["name"]
        if _sha256(database) != manifest["database"]["sha256"]:
            raise BackupError("the database in the archive is damaged (checksum differs)")
        _load_database(engine, database)
        unpacked = Path(scratch) / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        if unpacked.exists():
            shutil.copytree(unpacked, media_root, dirs_exist_ok=True)
    return Summary(archive_path, engine, len(manifest["media"]), archive_path.stat().st_size)


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
