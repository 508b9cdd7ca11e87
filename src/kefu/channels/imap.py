"""Polling an IMAP mailbox for new mail (stdlib imaplib).

One pass: log in, select the mailbox, search the unseen messages by UID,
and for each one above the remembered UID fetch it without touching its
flags, ingest it (a failure goes to quarantine), mark it seen and remember
its UID. A fetch that fails stops the pass, so nothing is skipped; the next
pass starts from the same place.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from kefu.channels.email_in import email_ingest
from kefu.channels.errors import MessageQuarantinedError
from kefu.channels.models import ImapCursor

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30


class ImapClient(Protocol):
    """The part of ``imaplib.IMAP4`` the poller uses (tests pass a fake)."""

    def login(self, user: str, password: str) -> tuple[str, Any]: ...

    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, Any]: ...

    def response(self, code: str) -> tuple[str, Any]: ...

    def uid(self, command: str, *args: str) -> tuple[str, Any]: ...

    def logout(self) -> tuple[str, Any]: ...


class ImapError(Exception):
    """The IMAP server refused a command or answered something unreadable."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    user: str
    password: str
    use_ssl: bool
    mailbox: str

    @classmethod
    def from_settings(cls) -> ImapConfig:
        return cls(
            host=settings.KEFU_IMAP_HOST,
            port=settings.KEFU_IMAP_PORT,
            user=settings.KEFU_IMAP_USER,
            password=settings.KEFU_IMAP_PASSWORD,
            use_ssl=settings.KEFU_IMAP_SSL,
            mailbox=settings.KEFU_IMAP_MAILBOX,
        )

    @property
    def key(self) -> str:
        """Names the mailbox for its cursor: user, server and folder."""
        return f"{self.user}@{self.host}:{self.port}/{self.mailbox}"[:300]


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    cases: list[str] = field(default_factory=list)


def imap_connect(config: ImapConfig) -> ImapClient:
    """A connected client for ``config`` (TLS from the start when ``use_ssl``)."""
    if config.use_ssl:
        return imaplib.IMAP4_SSL(config.host, config.port, timeout=TIMEOUT_SECONDS)
    return imaplib.IMAP4(config.host, config.port, timeout=TIMEOUT_SECONDS)


def imap_poll(
    *,
    config: ImapConfig,
    connect: Callable[[ImapConfig], ImapClient] = imap_connect,
    now: Callable[[], datetime] = timezone.now,
) -> PollResult:
    """Run one pass over the mailbox; see the module docstring.

    Raises ``ImapError`` (or ``imaplib.IMAP4.error``, ``OSError``) when the
    server cannot be used; what was ingested before that is kept and remembered.
    """
    client = connect(config)
    try:
        _check(client.login(config.user, config.password), "LOGIN")
        _check(client.select(_quoted(config.mailbox)), "SELECT")
        cursor = _cursor(config, uid_validity=_uid_validity(client))
        return _ingest_unseen(client, config=config, cursor=cursor, now=now)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("IMAP logout from %s failed", config.host)


def _ingest_unseen(
    client: ImapClient, *, config: ImapConfig, cursor: ImapCursor, now: Callable[[], datetime]
) -> PollResult:
    result = PollResult()
    data = _check(client.uid("SEARCH", "UNSEEN"), "SEARCH")
    uids = sorted({int(uid) for chunk in data if chunk for uid in bytes(chunk).split()})
    for uid in uids:
        if uid > cursor.last_uid:
            raw = _fetch(client, uid)
            result.fetched += 1
            try:
                outcome = email_ingest(raw=raw, at=now(), source=f"imap {config.mailbox} uid {uid}")
            except MessageQuarantinedError:
                result.quarantined += 1
            else:
                if outcome.is_duplicate:
                    result.duplicates += 1
                else:
                    result.stored += 1
                result.cases.append(outcome.case.reference)
        # Seen even when quarantined: the quarantine holds it now.
        _check(client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)"), "STORE")
        if uid > cursor.last_uid:
            cursor.last_uid = uid
            ImapCursor.objects.filter(pk=cursor.pk).update(last_uid=uid, polled_at=now())
    ImapCursor.objects.filter(pk=cursor.pk).update(polled_at=now())
    return result


def _cursor(config: ImapConfig, *, uid_validity: int) -> ImapCursor:
    cursor, _created = ImapCursor.objects.get_or_create(mailbox=config.key)
    if cursor.uid_validity != uid_validity:
        # Old UIDs mean nothing under a new UIDVALIDITY; Message-IDs still stop repeats.
        cursor.uid_validity = uid_validity
        cursor.last_uid = 0
        cursor.save(update_fields=["uid_validity", "last_uid"])
    return cursor


def _check(answer: tuple[str, Any], command: str) -> list[Any]:
    status, data = answer
    if status != "OK":
        raise ImapError(f"{command} refused: {data!r}")
    return list(data or [])


def _uid_validity(client: ImapClient) -> int:
    _code, data = client.response("UIDVALIDITY")
    for item in data or []:
        if item:
            try:
                return int(item)
            except (TypeError, ValueError):
                continue
    return 0


def _fetch(client: ImapClient, uid: int) -> bytes:
    data = _check(client.uid("FETCH", str(uid), "(BODY.PEEK[])"), "FETCH")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise ImapError(f"FETCH {uid} returned no message")


def _quoted(mailbox: str) -> str:
    if mailbox.startswith('"') or not any(ch in mailbox for ch in ' "\\'):
        return mailbox
    escaped = mailbox.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
