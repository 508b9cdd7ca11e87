"""``kefu wecom_sync``: pull WeChat Customer Service messages without a callback.

For after an outage, when WeCom's callbacks went unanswered: reads every
listed kf account (or the one named) on from its stored cursor, as a
callback would. Exits 75 (EX_TEMPFAIL) when WeCom cannot be reached, so a
cron job tries again later; what was read before the failure stays stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels.models import WecomKfAccount
from kefu.channels.wecom_api import WecomApiError
from kefu.channels.wecom_kf import wecom_sync

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Pull new WeChat Customer Service messages (sync_msg) for the listed kf accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--open-kfid", default="", help="only this kf account")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = WecomKfAccount.objects.order_by("pk")
        if options["open_kfid"]:
            accounts = accounts.filter(open_kfid=options["open_kfid"])
        for account in accounts:
            try:
                # No callback token: WeCom allows this, at a lower rate.
                result = wecom_sync(open_kfid=account.open_kfid, token="", at=timezone.now())
            except WecomApiError as exc:
                raise CommandError(str(exc), returncode=EX_TEMPFAIL) from exc
            self.stdout.write(
                _("%(account)s: %(stored)s new messages, %(held)s held in quarantine.")
                % {"account": account, "stored": result.stored, "held": result.quarantined}
            )
