"""Writes of the core app: languages, API tokens, login throttling, notifications."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.alert_services import staff_alerts_plan
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, NotFoundError, RateLimitedError
from kefu.core.locks import lock_keys
from kefu.core.models import ApiToken, LoginFailure, Notification, User
from kefu.core.notifications import notification_kind, notification_render, params_store
from kefu.core.roles import Perm
from kefu.core.timefmt import zone_of

TOKEN_PREFIX_LENGTH = 8


class CoreErrorCode(StrEnum):
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_USER = "unknown_user"
    TOO_MANY_FAILURES = "too_many_login_failures"
    UNKNOWN_NOTIFICATION = "unknown_notification"
    UNKNOWN_TOKEN = "unknown_token"  # noqa: S105  (an error code, not a secret)
    INVALID_EXPIRY = "invalid_token_expiry"


def user_set_language(*, actor: User, language: str, at: datetime) -> User:
    """Remember ``language`` as ``actor``'s interface language."""
    known = {code for code, _name in settings.LANGUAGES}
    if language not in known:
        raise DomainError(
            CoreErrorCode.UNKNOWN_LANGUAGE,
            _("Unknown language %(language)s; choose one of %(known)s."),
            language=language,
            known=", ".join(sorted(known)),
        )
    if actor.language != language:
        before = actor.language
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action="user.language_changed",
            target=actor,
            at=at,
            before={"language": before},
            after={"language": language},
        )
    return actor


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


MAX_TOKEN_DAYS = 3650


@transaction.atomic
def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    at: datetime,
    expires_in_days: int | None = None,
) -> IssuedToken:
    """Issue a new API token for ``user``; the secret is returned once, never stored.

    ``actor`` None means the operator at the command line; otherwise the actor
    must be the user themself or hold ``MANAGE_TOKENS``. With
    ``expires_in_days`` the token stops working that many days after ``at``;
    without, it works until revoked.
    """
    if actor is not None and actor.pk != user.pk:
        authorize(actor, Perm.MANAGE_TOKENS)
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise DomainError(
            CoreErrorCode.INVALID_EXPIRY,
            _("A token expires after 1 to %(max)s days (got %(days)s)."),
            max=MAX_TOKEN_DAYS,
            days=expires_in_days,
        )
    expires_at = at + timedelta(days=expires_in_days) if expires_in_days else None
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = f"kefu_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        created_at=at,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token.created",
        target=token,
        at=at,
        after={"name": name, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return IssuedToken(token=token, secret=secret)


def api_token_authenticate(*, secret: str, at: datetime) -> User | None:
    """Return the active user a bearer ``secret`` belongs to, or None."""
    # The random part may itself hold underscores: split off the two heads only.
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != "kefu":
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.user.is_active:
        return None
    # Touch at most once a minute so reads do not turn every request into a write.
    if token.last_used_at is None or at - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    return token.user


def api_token_revoke(*, actor: User | None, token: ApiToken, at: datetime) -> ApiToken:
    """Revoke ``token`` for good; its owner or a token manager may do it.

    ``actor`` None means the operator at the command line. Revoking a revoked
    token changes nothing. The token answers 401 from its next request on.
    """
    if actor is not None and actor.pk != token.user_id:
        authorize(actor, Perm.MANAGE_TOKENS)
    # Compare-and-swap: two revocations at once record one.
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=at):
        token.revoked_at = at
        audit_record(actor=actor, action="api_token.revoked", target=token, at=at)
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_revoke_by_prefix(*, actor: User | None, prefix: str, at: datetime) -> ApiToken:
    """Revoke the token whose public prefix is ``prefix`` (as ``kefu api-token list`` shows).

    A token the actor may not manage answers as a missing one.
    """
    token = ApiToken.objects.filter(prefix=prefix.strip().lower()).first()
    if token is None or (
        actor is not None
        and actor.pk != token.user_id
        and not actor.has_role_perm(Perm.MANAGE_TOKENS)
    ):
        raise NotFoundError(CoreErrorCode.UNKNOWN_TOKEN, _("No such API token."))
    return api_token_revoke(actor=actor, token=token, at=at)


@transaction.atomic
def login_attempt_start(*, username: str, ip_address: str | None, at: datetime) -> None:
    """Count one sign-in attempt, before its password is checked; refuse it over the limit.

    The attempt is stored as a failure (``login_record_success`` removes it
    when the password was right), then the account's and the address's
    failures in the window are counted, this one included, in one
    transaction under a lock per account and per address. So N concurrent
    guesses against a limit of L get at most L password checks. Raises
    ``RateLimitedError`` when either count passes the limit; the refused
    attempt is rolled back, so refusals do not prolong a lockout. Accounts and
    addresses are limited separately: one address cannot guess many accounts,
    many addresses cannot guess one account, and nothing is locked globally.
    """
    account = username.lower()[:150]
    keys = [f"login-account:{account}"]
    if ip_address:
        keys.append(f"login-address:{ip_address}")
    lock_keys(*keys)
    LoginFailure.objects.create(username=account, ip_address=ip_address, at=at)
    recent = LoginFailure.objects.filter(
        at__gte=at - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    )
    limit = settings.LOGIN_FAILURE_LIMIT
    by_account = recent.filter(username=account).count()
    by_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    if by_account > limit or by_address > limit:
        raise RateLimitedError(
            CoreErrorCode.TOO_MANY_FAILURES,
            _("Too many failed sign-ins. Wait a few minutes and try again."),
        )


def login_record_success(*, username: str, at: datetime) -> None:
    """A successful login clears the account's failures, its own attempt included
    (the address's failures on other accounts stay)."""
    LoginFailure.objects.filter(username=username.lower()[:150]).delete()


def login_failures_prune(*, before: datetime) -> int:
    """Delete failures older than ``before``; returns how many went."""
    deleted, _detail = LoginFailure.objects.filter(at__lt=before).delete()
    return deleted


def notification_send(
    *,
    recipient: User,
    link: str,
    at: datetime,
    code: str = "",
    params: Mapping[str, object] | None = None,
    subject: str | Promise = "",
    body: str | Promise = "",
) -> Notification:
    """Notify a staff member in the product and, through a task, by email.

    ``code`` names a registered kind (:mod:`kefu.core.notifications`); the row
    keeps the code and ``params`` and is rendered in the reader's language when
    read. The subject and body are also stored as first rendered in the
    recipient's language, the fallback should the code ever go away. Without a
    code, ``subject`` and ``body`` are plain text shown as written.
    """
    stored = params_store(params or {})
    if code and notification_kind(code) is None:
        raise ValueError(f"unknown notification kind {code!r}")
    with translation.override(recipient.language), timezone.override(zone_of(recipient)):
        rendered = notification_render(code, stored) if code else None
        subject_text, body_text = rendered or (str(subject), str(body))
        notification = Notification.objects.create(
            recipient=recipient,
            code=code,
            params=stored,
            subject=subject_text[:200],
            body=body_text,
            link=link,
            created_at=at,
        )
        # Alerts also go to WeCom, DingTalk or Feishu, through due rows of their own.
        staff_alerts_plan(notification=notification)
    from kefu.core.tasks import notification_email

    if recipient.email:
        transaction.on_commit(lambda: notification_email.enqueue(notification_id=notification.pk))
    return notification


def notification_mark_read(*, actor: User, notification_id: int, at: datetime) -> None:
    """Mark one of ``actor``'s own notifications read."""
    updated = Notification.objects.filter(
        Q(pk=notification_id), Q(recipient=actor), Q(read_at__isnull=True)
    ).update(read_at=at)
    if (
        not updated
        and not Notification.objects.filter(pk=notification_id, recipient=actor).exists()
    ):
        raise NotFoundError(CoreErrorCode.UNKNOWN_NOTIFICATION, _("No such notification."))
