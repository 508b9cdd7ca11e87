"""Polling an IMAP mailbox for new mail (stdlib imaplib).

One pass: log in, select the mailbox, search the unseen messages by UID, and
take those above the remembered UID in batches (``batch_size``, default
:data:`BATCH_SIZE`): one ``UID FETCH`` per batch reads the messages without
touching their flags, each is ingested in its own transaction (a failure goes
to quarantine, which is committed too) and its UID remembered right after that
commit, and one ``UID STORE +FLAGS (\\Seen)`` per batch acknowledges the
messages committed. A message is never acknowledged before its commit: a pass
cut short mid-batch acknowledges what was committed (or, killed outright,
nothing), and the next pass acknowledges the unseen messages at or below the
remembered UID without fetching them again. A fetch that fails stops the pass,
so nothing is skipped; the next pass starts from the same place.
"""

from __future__ import annotations

import imaplib
import logging
import re
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
#: Messages per ``UID FETCH`` (and per ``STORE``): round trips against memory held.
BATCH_SIZE = 25
_FETCHED_UID = re.compile(rb"\bUID (\d+)")


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
    batch_size: int = BATCH_SIZE,
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
        return _ingest_unseen(
            client, config=config, cursor=cursor, now=now, batch_size=max(1, batch_size)
        )
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("IMAP logout from %s failed", config.host)


def _ingest_unseen(
    client: ImapClient,
    *,
    config: ImapConfig,
    cursor: ImapCursor,
    now: Callable[[], datetime],
    batch_size: int,
) -> PollResult:
    result = PollResult()
    data = _check(client.uid("SEARCH", "UNSEEN"), "SEARCH")
    uids = sorted({int(uid) for chunk in data if chunk for uid in bytes(chunk).split()})
    # Committed by an earlier pass that stopped before acknowledging them.
    _store_seen(client, [uid for uid in uids if uid <= cursor.last_uid])
    new = [uid for uid in uids if uid > cursor.last_uid]
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        committed: list[int] = []
        fetched, missing = _fetch_batch(client, batch)
        try:
            for uid, raw in fetched:
                result.fetched += 1
                try:
                    outcome = email_ingest(
                        raw=raw, at=now(), source=f"imap {config.mailbox} uid {uid}"
                    )
                except MessageQuarantinedError:
                    # Seen even when quarantined: the quarantine holds it now.
                    result.quarantined += 1
                else:
                    if outcome.is_duplicate:
                        result.duplicates += 1
                    else:
                        result.stored += 1
                    result.cases.append(outcome.case.reference)
                cursor.last_uid = uid
                ImapCursor.objects.filter(pk=cursor.pk).update(last_uid=uid, polled_at=now())
                committed.append(uid)
        except BaseException:
            # Acknowledge what was committed before the failure, then let it through.
            try:
                _store_seen(client, committed)
            except (ImapError, imaplib.IMAP4.error, OSError):
                logger.warning("IMAP STORE on %s failed; the next pass marks them", config.host)
            raise
        _store_seen(client, committed)
        if missing:
            # Stop here: a later UID remembered would skip this message for good.
            raise ImapError(missing)
    ImapCursor.objects.filter(pk=cursor.pk).update(polled_at=now())
    return result


def _store_seen(client: ImapClient, uids: list[int]) -> None:
    """One ``UID STORE`` marking ``uids`` seen (nothing sent for none)."""
    if uids:
        _check(client.uid("STORE", ",".join(map(str, uids)), "+FLAGS", "(\\Seen)"), "STORE")


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


def _fetch_batch(client: ImapClient, uids: list[int]) -> tuple[list[tuple[int, bytes]], str]:
    """``(uid, raw)`` for ``uids`` in order from one ``UID FETCH``, up to the first
    message the server did not give, and why it did not ("" when none is missing).

    A server that refuses the batch is asked for the messages one by one, so the
    messages before the one it cannot give are still taken in.
    """
    status, data = client.uid("FETCH", ",".join(map(str, uids)), "(BODY.PEEK[])")
    if status != "OK":
        if len(uids) == 1:
            return [], f"FETCH {uids[0]} refused: {data!r}"
        out: list[tuple[int, bytes]] = []
        for uid in uids:
            one, why = _fetch_batch(client, [uid])
            out += one
            if why:
                return out, why
        return out, ""
    got: dict[int, bytes] = {}
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            found = _FETCHED_UID.search(bytes(item[0]))
            if found:
                got.setdefault(int(found.group(1)), item[1])
    out = []
    for uid in uids:
        if uid not in got:
            return out, f"FETCH {uid} returned no message"
        out.append((uid, got[uid]))
    return out, ""


def _quoted(mailbox: str) -> str:
    if mailbox.startswith('"') or not any(ch in mailbox for ch in ' "\\'):
        return mailbox
    escaped = mailbox.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
