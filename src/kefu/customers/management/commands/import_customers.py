"""``kefu import-customers FILE``: import organisations and contacts from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.customers import services
from kefu.customers.errors import CsvImportError


class Command(BaseCommand):
    help = (
        "Import organisations and contacts from a CSV file (UTF-8 or GBK). The whole file "
        "is checked first; if any line has a problem, every problem is printed and nothing "
        "is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, as the export writes it.")
        parser.add_argument(
            "--user",
            default="",
            help="Record the import in the audit log under this user (who must be allowed "
            "to import). Without it the audit log shows the operator as 'system'.",
        )

    def _actor(self, username: str) -> User | None:
        if not username:
            return None
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user named %(name)r.") % {"name": username}) from None

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        actor = self._actor(options["user"])
        try:
            result = services.customers_import_csv(actor=actor, data=data, at=timezone.now())
        except CsvImportError as exc:
            for error in exc.errors:
                self.stderr.write(
                    _("line %(line)s: %(reason)s") % {"line": error.line, "reason": error.reason}
                )
            raise CommandError(exc.text()) from None
        except DomainError as exc:
            raise CommandError(exc.text()) from None
        self.stdout.write(
            _(
                "Organisations created: %(organisations_created)s, updated: "
                "%(organisations_updated)s. Contacts created: %(contacts_created)s, updated: "
                "%(contacts_updated)s, unchanged: %(contacts_unchanged)s."
            )
            % {
                "organisations_created": result.organisations_created,
                "organisations_updated": result.organisations_updated,
                "contacts_created": result.contacts_created,
                "contacts_updated": result.contacts_updated,
                "contacts_unchanged": result.contacts_unchanged,
            }
        )
