"""``kefu backup [FILE]``: the database and the attachments in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.backup import BackupError, backup
from kefu.core.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = "Write the database and every attachment to one archive (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="Where to write (default: var/backups/kefu-<time>.tar.gz).",
        )
        parser.add_argument(
            "--passphrase-file",
            help="Encrypt the archive with the passphrase on this file's first line "
            "(default: KEFU_BACKUP_PASSPHRASE; neither: not encrypted).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        default = Path(settings.VAR_DIR) / "backups" / f"kefu-{now:%Y%m%d-%H%M%S}.tar.gz"
        target = Path(options["file"]) if options["file"] else default
        try:
            summary = backup(target, at=now, passphrase=passphrase(options["passphrase_file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backed up the %(engine)s database and %(files)s attachments to %(path)s")
            % {"engine": summary.engine, "files": summary.files, "path": summary.path}
        )
        if summary.encrypted:
            self.stdout.write(_("The archive is encrypted: keep its passphrase apart from it."))
        self.stdout.write(
            _(
                "Keep the field key (fingerprint %(fingerprint)s) with this backup: without "
                "it, the national IDs in it cannot be read."
            )
            % {"fingerprint": summary.field_key}
        )
