"""Shared by the analysts' commands: read a file, report bad lines, print the result."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kefu.quality.analysis import Outcome


def read_text(path: str) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (Excel in China)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(
            _("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror},
            returncode=2,
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def finish(command: BaseCommand, outcome: Outcome, *, as_json: bool, human: str) -> None:
    """Errors to stderr and exit status 2 with nothing on stdout; else the result."""
    if outcome.errors:
        for line in outcome.errors:
            command.stderr.write(line)
        raise CommandError(
            _("%(count)s problem(s) found; nothing was computed.") % {"count": len(outcome.errors)},
            returncode=2,
        )
    if as_json:
        command.stdout.write(json.dumps(outcome.result, ensure_ascii=False, indent=2))
    else:
        command.stdout.write(human)
