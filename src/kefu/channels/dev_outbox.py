"""The development outbox: SMS, chat and e-mail that a local desk "sends" without a
gateway, kept in ``var/dev_outbox.jsonl`` and listed at ``/dev/outbox/``.

``KEFU_CHANNEL_BACKEND`` picks where SMS and chat go: ``gateway`` (the HTTP
gateways of ``sms.py`` and ``chat.py``, the default in production) or ``outbox``
(the default only with ``KEFU_DEBUG`` or the demo, ``KEFU_DEMO``). E-mail reaches
the outbox through its Django e-mail backend (:class:`OutboxEmailBackend`), the
default ``KEFU_EMAIL_BACKEND`` when the outbox is on. The setting is read on every
send, so a test's settings override takes effect at once.

A file rather than a table: the web process, the worker and the clock loop all
write to it, and it needs no migration of a development convenience.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string

from kefu.cases.delivery import DeliveryError, FailureCode, Notice
from kefu.cases.models import Message
from kefu.customers.models import Contact

OUTBOX = "outbox"
_lock = threading.Lock()
# The page lists the newest entries, at most this many.
SHOWN = 200


@dataclass(frozen=True)
class OutboxEntry:
    """One message the outbox took in place of a gateway."""

    id: str
    channel: str
    to: str
    subject: str
    body: str
    reference: str
    sent_at: datetime


def outbox_is_on() -> bool:
    """Whether ``/dev/outbox/`` answers: with ``KEFU_DEBUG`` or the demo, never else."""
    return bool(settings.DEBUG or settings.KEFU_DEMO)


def uses_outbox() -> bool:
    """Whether SMS and chat go to the outbox instead of their gateways."""
    return str(settings.KEFU_CHANNEL_BACKEND) == OUTBOX


def outbox_path() -> Path:
    return Path(settings.VAR_DIR) / "dev_outbox.jsonl"


def outbox_record(*, channel: str, to: str, subject: str, body: str, reference: str) -> str:
    """Append one message to the outbox; returns its id, prefixed with ``outbox:``."""
    entry_id = get_random_string(16)
    line = json.dumps(
        {
            "id": entry_id,
            "channel": channel,
            "to": to,
            "subject": subject,
            "body": body,
            "reference": reference,
            "sent_at": timezone.now().isoformat(),
        },
        ensure_ascii=False,
    )
    path = outbox_path()
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return f"outbox:{entry_id}"


def outbox_list(*, limit: int = SHOWN) -> list[OutboxEntry]:
    """The newest ``limit`` entries, newest first; unreadable lines are skipped."""
    path = outbox_path()
    if not path.exists():
        return []
    entries: list[OutboxEntry] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(raw)
            entries.append(
                OutboxEntry(
                    id=str(row["id"]),
                    channel=str(row["channel"]),
                    to=str(row["to"]),
                    subject=str(row.get("subject", "")),
                    body=str(row["body"]),
                    reference=str(row.get("reference", "")),
                    sent_at=datetime.fromisoformat(str(row["sent_at"])),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return list(reversed(entries[-limit:]))


def _address(channel: str, contact: Contact) -> str:
    address = contact.phone if channel == "sms" else contact.im_handle
    if not address:
        raise DeliveryError(
            f"the contact has no address for {channel}",
            permanent=True,
            code=FailureCode.NO_ADDRESS,
        )
    return str(address)


def routed(channel: str, gateway: Callable[[Message], str]) -> Callable[[Message], str]:
    """The adapter for ``channel``: the outbox when it is chosen, else ``gateway``."""

    def send(message: Message) -> str:
        if not uses_outbox():
            return gateway(message)
        contact = message.contact or message.case.contact
        return outbox_record(
            channel=channel,
            to=_address(channel, contact),
            subject="",
            body=message.body,
            reference=message.case.reference,
        )

    return send


def routed_notice(channel: str, gateway: Callable[[Notice], str]) -> Callable[[Notice], str]:
    """The notice sender for ``channel``: the outbox when it is chosen, else ``gateway``."""

    def send(notice: Notice) -> str:
        if not uses_outbox():
            return gateway(notice)
        return outbox_record(
            channel=channel,
            to=_address(channel, notice.contact),
            subject=notice.subject,
            body=notice.body,
            reference=notice.reference,
        )

    return send


class OutboxEmailBackend(BaseEmailBackend):
    """A Django e-mail backend that puts every message in the development outbox."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for email in email_messages:
            body: Any = email.body
            outbox_record(
                channel="email",
                to=", ".join(str(address) for address in email.to),
                subject=str(email.subject),
                body=str(body),
                reference=str(email.extra_headers.get("X-Kefu-Reference", "")),
            )
        return len(email_messages)
