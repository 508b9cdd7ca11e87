"""``kefu api-token create --user NAME``: issue an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import services
from kefu.core.models import User


class Command(BaseCommand):
    help = "Manage API tokens. The secret is printed once and stored only as a hash."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a new token for a user.")
        create.add_argument("--user", required=True, help="Username of the token's owner.")
        create.add_argument("--name", default="", help="What the token is for.")
        listing = sub.add_parser("list", help="List a user's tokens (never the secrets).")
        listing.add_argument("--user", required=True)

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(name)r.") % {"name": username}) from None

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        if options["action"] == "create":
            if not user.is_active:
                raise CommandError(_("User %(name)r is inactive.") % {"name": user.username})
            issued = services.api_token_create(
                actor=None, user=user, name=options["name"], at=timezone.now()
            )
            self.stdout.write(issued.secret)
            return
        for token in user.api_tokens.all():
            state = _("revoked") if token.revoked_at else _("active")
            self.stdout.write(f"{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d}\t{state}")
