"""``kefu export-customers [--output FILE]``: organisations and contacts as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.customers import services


class Command(BaseCommand):
    help = (
        "Export organisations and contacts as CSV (UTF-8 with a BOM, for Excel). Phone "
        "numbers are masked unless --user names someone allowed to reveal them; such an "
        "export is recorded in the audit log under that user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Write here instead of standard output."
        )
        parser.add_argument(
            "--user", default="", help="Export as this user (full phones if their role allows)."
        )
        parser.add_argument(
            "--masked", action="store_true", help="Mask phone numbers even for --user."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user named %(name)r.") % {"name": options["user"]})
        try:
            data = services.customers_export_csv(
                actor=actor, masked=options["masked"], at=timezone.now()
            )
        except DomainError as exc:
            raise CommandError(exc.text()) from None
        output: Path | None = options["output"]
        if output is None:
            # The text keeps its byte-order mark and CRLF line ends, as in a file.
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": output, "reason": exc.strerror}
            ) from None
        self.stderr.write(_("Wrote %(path)s.") % {"path": output})
