"""The backup passphrase of ``kefu backup`` and ``kefu restore``: a file, or the setting."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def passphrase(file_name: str | None) -> str:
    """``--passphrase-file``'s first line when given, else ``KEFU_BACKUP_PASSPHRASE``."""
    if not file_name:
        return str(getattr(settings, "KEFU_BACKUP_PASSPHRASE", "") or "")
    try:
        lines = Path(file_name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("Cannot read the passphrase file %(path)s: %(error)s")
            % {"path": file_name, "error": exc}
        ) from exc
    text = lines[0].strip() if lines else ""
    if len(text) < 12:
        raise CommandError(
            _("The passphrase in %(path)s must be at least 12 characters long.")
            % {"path": file_name}
        )
    return text
