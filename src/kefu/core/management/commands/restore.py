"""``kefu restore FILE``: replace the database and the attachments with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kefu.core.backup import BackupError, read_manifest, restore
from kefu.core.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = (
        "Replace the database and the attachments with those of a backup made by "
        "'kefu backup'. Stop the web, worker and clock processes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive written by 'kefu backup'.")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--passphrase-file",
            help="The passphrase of an encrypted archive, on this file's first line "
            "(default: KEFU_BACKUP_PASSPHRASE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        secret = passphrase(options["passphrase_file"])
        try:
            manifest = read_manifest(path, passphrase=secret)
            if not options["no_input"]:
                answer = input(
                    _(
                        "This replaces the current database and attachments with the backup "
                        "of %(created)s. Type 'yes' to go on: "
                    )
                    % {"created": manifest["created_at"]}
                )
                if answer.strip().lower() != "yes":
                    raise CommandError(_("Restore cancelled; nothing was changed."))
            summary = restore(path, passphrase=secret)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the %(engine)s database and %(files)s attachments from %(path)s")
            % {"engine": summary.engine, "files": summary.files, "path": summary.path}
        )
        for warning in summary.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
