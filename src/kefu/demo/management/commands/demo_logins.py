"""``kefu demo_logins``: print the featured demo accounts and their password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kefu.demo.builder import demo_logins, format_logins


class Command(BaseCommand):
    help = (
        "Print the featured demo logins (one per role): username, role, department, "
        "display name and password. Run `kefu demo` first."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            raise CommandError(_("No demo accounts found; run `kefu demo` first."))
        self.stdout.write(format_logins(logins))
