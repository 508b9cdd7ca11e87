"""``kefu quarantine list|replay ID|discard ID``: what the channels could not process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels import selectors
from kefu.channels.models import QuarantinedMessage
from kefu.channels.quarantine import quarantine_discard
from kefu.channels.replay import quarantine_replay
from kefu.core.errors import DomainError


class Command(BaseCommand):
    help = "List, replay or discard messages kept in quarantine."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="List quarantined messages (held ones by default).")
        listing.add_argument(
            "--status",
            choices=[*QuarantinedMessage.Status.values, "all"],
            default=QuarantinedMessage.Status.HELD,
        )
        replay = sub.add_parser("replay", help="Process a quarantined message again.")
        replay.add_argument("id", type=int)
        discard = sub.add_parser("discard", help="Mark a held message discarded (kept).")
        discard.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list(options["status"])
            return
        try:
            if action == "replay":
                result = quarantine_replay(
                    actor=None, quarantine_id=options["id"], at=timezone.now()
                )
                self.stdout.write(result.case.reference)
            else:
                item = quarantine_discard(
                    actor=None, quarantine_id=options["id"], at=timezone.now()
                )
                self.stdout.write(_("#%(id)s discarded.") % {"id": item.pk})
        except DomainError as exc:
            raise CommandError(exc.text()) from exc

    def _list(self, status: str) -> None:
        items = selectors.quarantine_list(status=None if status == "all" else status)
        for item in items:
            reference = item.case.reference if item.case_id and item.case else ""
            reason = " ".join(item.reason.split())[:120]
            self.stdout.write(
                f"{item.pk}\t{item.received_at:%Y-%m-%d %H:%M}\t{item.channel}\t"
                f"{item.status}\t{item.error_code}\t{item.source}\t{reference}\t{reason}"
            )
