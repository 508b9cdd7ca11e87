"""``kefu workforce import-history FILE [--queue NAME]``: workforce data at the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.workforce import services


class Command(BaseCommand):
    help = "Workforce data: import-history FILE imports contacts per interval from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        history = commands.add_parser(
            "import-history",
            help="Import interval_start,queue,offered,answered,abandoned,aht rows. Good rows "
            "are imported, bad lines are listed with what to fix.",
        )
        history.add_argument("file", type=Path)
        history.add_argument("--queue", default="default", help="Queue for rows without one.")
        history.add_argument("--user", default="", help="Audit the import under this user.")
        history.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-history":
            self._import_history(options)

    def _import_history(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user named %(name)r.") % {"name": options["user"]})
        try:
            summary = services.history_import_csv(
                actor=actor, data=data, default_queue=options["queue"], at=timezone.now()
            )
        except DomainError as exc:
            raise CommandError(exc.text()) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.to_json(), ensure_ascii=False))
        else:
            for item in summary.rejected:
                self.stderr.write(
                    _("line %(line)s: %(reason)s") % {"line": item.line, "reason": item.reason}
                )
            self.stdout.write(
                _("Imported %(imported)s, updated %(updated)s, rejected %(rejected)s.")
                % {
                    "imported": summary.imported,
                    "updated": summary.updated,
                    "rejected": len(summary.rejected),
                }
            )
        if summary.rejected and not (summary.imported or summary.updated):
            raise CommandError(_("Nothing was imported."))
