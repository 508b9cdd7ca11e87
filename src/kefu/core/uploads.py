"""File names from outside (mail attachments, uploaded evidence) made safe to store.

Only the last path element is kept, whether the sender wrote it with ``/`` or
``\\`` (``../../etc/passwd`` -> ``passwd``, ``..\\..\\x`` -> ``x``); control
characters and NUL bytes go, and so do leading dots (no hidden files, no
``..``). What is left is stored under the record's own folder in MEDIA_ROOT.
Pure: no Django import.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

MAX_NAME = 200


def safe_filename(name: str, *, fallback: str = "file") -> str:
    """``name`` reduced to one harmless path element of at most ``MAX_NAME`` characters."""
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip(". ")
    return name[-MAX_NAME:] or fallback
