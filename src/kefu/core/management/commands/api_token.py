"""``kefu api-token create|list|revoke``: issue, list and revoke API tokens.

``create --user NAME [--expires-in-days N]`` prints the secret once;
``revoke PREFIX`` stops a token for good (the prefix is what ``list`` shows).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import services
from kefu.core.errors import DomainError
from kefu.core.models import User


class Command(BaseCommand):
    help = "Manage API tokens. The secret is printed once and stored only as a hash."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a new token for a user.")
        create.add_argument("--user", required=True, help="Username of the token's owner.")
        create.add_argument("--name", default="", help="What the token is for.")
        create.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Stop working after this many days (default: until revoked).",
        )
        listing = sub.add_parser("list", help="List a user's tokens (never the secrets).")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix (see list).")
        revoke.add_argument("prefix", help="The token's prefix, the part after 'kefu_'.")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(name)r.") % {"name": username}) from None

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["action"] == "revoke":
            try:
                token = services.api_token_revoke_by_prefix(
                    actor=None, prefix=options["prefix"], at=now
                )
            except DomainError as exc:
                raise CommandError(exc.text()) from exc
            self.stdout.write(
                _("Revoked the token %(prefix)s of %(user)s.")
                % {"prefix": token.prefix, "user": token.user.username}
            )
            return
        user = self._user(options["user"])
        if options["action"] == "create":
            if not user.is_active:
                raise CommandError(_("User %(name)r is inactive.") % {"name": user.username})
            try:
                issued = services.api_token_create(
                    actor=None,
                    user=user,
                    name=options["name"],
                    at=now,
                    expires_in_days=options["expires_in_days"],
                )
            except DomainError as exc:
                raise CommandError(exc.text()) from exc
            self.stdout.write(issued.secret)
            return
        for token in user.api_tokens.all():
            if token.revoked_at:
                state = _("revoked")
            elif token.expires_at and token.expires_at <= now:
                state = _("expired")
            else:
                state = _("active")
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "-"
            self.stdout.write(
                f"{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d}\t{expires}\t{state}"
            )
