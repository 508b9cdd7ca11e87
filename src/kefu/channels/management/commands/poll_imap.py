"""``kefu poll-imap [--once] [--batch-size N]``: fetch new mail from the configured IMAP mailbox."""

from __future__ import annotations

import imaplib
import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from kefu.channels.imap import BATCH_SIZE, ImapConfig, ImapError, imap_poll

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Poll the IMAP mailbox (KEFU_IMAP_*) and file each new email on its case."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and stop.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between passes (default 60)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Messages per IMAP fetch and per acknowledgement (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.KEFU_IMAP_HOST:
            raise CommandError(_("KEFU_IMAP_HOST is not set; there is no mailbox to poll."))
        config = ImapConfig.from_settings()
        if options["once"]:
            try:
                self._pass(config, options["batch_size"])
            except (ImapError, imaplib.IMAP4.error, OSError, DatabaseError) as exc:
                raise CommandError(_("Polling failed: %(error)s") % {"error": exc}) from exc
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        while not stop.is_set():
            try:
                self._pass(config, options["batch_size"])
            except (ImapError, imaplib.IMAP4.error, OSError, DatabaseError):
                # One bad pass must not end the loop; the next one starts where this stopped.
                logger.exception("IMAP poll of %s failed", config.host)
            stop.wait(max(1, options["interval"]))

    def _pass(self, config: ImapConfig, batch_size: int) -> None:
        result = imap_poll(config=config, batch_size=batch_size)
        if result.fetched:
            self.stdout.write(
                _(
                    "%(fetched)s fetched: %(stored)s stored, %(duplicates)s repeats, "
                    "%(quarantined)s quarantined."
                )
                % {
                    "fetched": result.fetched,
                    "stored": result.stored,
                    "duplicates": result.duplicates,
                    "quarantined": result.quarantined,
                }
            )
