"""``kefu clocks``: run the clock loop, or everything due at one instant with ``--once``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import clock


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is read in the project time zone."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--now: %(value)r is not an ISO 8601 instant such as 2026-10-09T14:00+08:00")
            % {"value": text}
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


class Command(BaseCommand):
    help = "Run the clock loop that fires SLA clocks, update cadences and reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run everything due once, then exit (for tests and cron).",
        )
        parser.add_argument(
            "--now", help="With --once: the instant to run at (ISO 8601); default: now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"] and not options["once"]:
            raise CommandError(_("--now only makes sense with --once"))
        if options["once"]:
            clock.ensure_recurring(now=timezone.now())
            now = parse_instant(options["now"]) if options["now"] else timezone.now()
            result = clock.tick(now=now)
            self.stdout.write(
                _("Ran %(ran)d due jobs at %(now)s; %(failed)d failed.")
                % {"ran": result.ran, "now": now.isoformat(), "failed": result.failed}
            )
            if result.failed:
                raise CommandError(_("Some jobs failed; see the log and the scheduled jobs list."))
            return
        status = clock.ClockLoop(
            idle_seconds=settings.CLOCK_IDLE_SECONDS,
            failure_limit=settings.PROCESS_FAILURE_LIMIT,
            retry_max_seconds=settings.PROCESS_RETRY_MAX_SECONDS,
        ).run()
        if status:
            raise CommandError(
                _(
                    "The database stayed out of reach for %(count)d tries in a row; "
                    "exiting so that the supervisor starts the clock loop again."
                )
                % {"count": settings.PROCESS_FAILURE_LIMIT},
                returncode=status,
            )
