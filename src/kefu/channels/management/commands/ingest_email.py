"""``kefu ingest-email``: take in one email from standard input (a mail server's pipe).

Prints the case reference. A message that cannot be processed, or that the
database refuses, is kept in quarantine and the command exits 65 (EX_DATAERR)
naming the reason; only when the database cannot be reached (nor the quarantine
written) it exits 75 (EX_TEMPFAIL), so the mail server keeps the message and
tries again later.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels.email_in import email_ingest
from kefu.channels.errors import MessageQuarantinedError

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one email (RFC 822 bytes) from standard input and file it on its case."
    # A mail server starts one process per mail: the system checks would load the
    # URLconf and every API schema (more than half of the start-up) for nothing.
    # `kefu check` and every other command still run them.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        try:
            result = email_ingest(raw=raw, at=timezone.now(), source="stdin")
        except MessageQuarantinedError as exc:
            # The code first: it is stable across languages, for scripts and logs.
            reason = _("%(reason)s Kept in quarantine as #%(id)s.") % {
                "reason": exc.text(),
                "id": exc.quarantine_id,
            }
            raise CommandError(f"{exc.code}: {reason}", returncode=EX_DATAERR) from exc
        except DatabaseError as exc:
            raise CommandError(
                _("The database is not available (%(error)s); try again later.") % {"error": exc},
                returncode=EX_TEMPFAIL,
            ) from exc
        self.stdout.write(result.case.reference)
