"""``kefu assist analyze``: read JSON lines from stdin, write one JSON line per input.

Each input line is ``{"text": ..., "role": "customer"|"agent", "context": {...},
"language": "zh-hans"|"en"}`` (context and language optional). A customer line
gets the coach's reading, an agent line its coaching (messages in ``language``
or the active language). A bad line gets ``{"error": {"line": n, "message": ...}}``
and the run goes on; the exit status is 0 unless stdin cannot be read.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.assist.analysis import ROLES, analyze


class Command(BaseCommand):
    help = "The conflict coach from the shell: analyze JSON lines from stdin."
    # Tests pass a stream as stdin=...; the shell gives sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "analyze",
            help="Read JSON lines (text, role, context) from stdin; write one JSON line each.",
        )

    def _one(self, raw: str, number: int) -> dict[str, Any]:
        try:
            item = json.loads(raw)
        except ValueError:
            return _error(number, _("The line is not JSON."))
        if not isinstance(item, dict):
            return _error(number, _("The line must be a JSON object."))
        text = item.get("text")
        if not isinstance(text, str):
            return _error(number, _("The line has no text."))
        role = item.get("role")
        if role not in ROLES:
            return _error(number, _("The role must be customer or agent."))
        context = item.get("context") or {}
        if not isinstance(context, dict):
            return _error(number, _("The context must be a JSON object."))
        language = item.get("language")
        if language not in ("zh-hans", "en"):
            language = get_language() or "zh-hans"
        return analyze(text=text, role=role, context=context, language=language)

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        try:
            lines = iter(stdin.readline, "")
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                result = self._one(raw, number)
                self.stdout.write(json.dumps(result, ensure_ascii=False))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read stdin: %(error)s") % {"error": exc}) from exc


def _error(number: int, message: str) -> dict[str, Any]:
    return {"error": {"line": number, "message": message}}
