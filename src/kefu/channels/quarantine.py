"""Keeping what could not be processed, and the administrator's decisions about it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.channels.errors import ChannelErrorCode
from kefu.channels.models import QuarantinedMessage
from kefu.core.audit import audit_record
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import User


def quarantine_hold(
    *,
    channel: str,
    error: DomainError,
    at: datetime,
    raw: bytes = b"",
    text: str = "",
    source: str = "",
) -> QuarantinedMessage:
    """Keep ``raw`` (or ``text``) whole with the reason it failed; returns the held row.

    Runs in its own transaction so the row survives when the caller's
    processing was rolled back.
    """
    with transaction.atomic():
        item = QuarantinedMessage.objects.create(
            channel=channel,
            raw=raw,
            text=text,
            source=source[:200],
            reason=error.text(),
            error_code=str(error.code)[:40],
            received_at=at,
        )
        audit_record(
            actor=None,
            action="quarantine.held",
            target=item,
            at=at,
            after={"channel": channel, "code": item.error_code, "source": item.source},
        )
    return item


def quarantine_get(*, quarantine_id: int) -> QuarantinedMessage:
    """The quarantined item, or ``quarantine_not_found``."""
    item = QuarantinedMessage.objects.filter(pk=quarantine_id).first()
    if item is None:
        raise NotFoundError(
            ChannelErrorCode.QUARANTINE_NOT_FOUND,
            _("No quarantined message #%(id)s."),
            id=quarantine_id,
        )
    return item


def quarantine_note_failure(*, item: QuarantinedMessage, error: DomainError) -> None:
    """Record why the latest attempt to process ``item`` failed; it stays as it is."""
    QuarantinedMessage.objects.filter(pk=item.pk).update(
        reason=error.text(), error_code=str(error.code)[:40]
    )


@transaction.atomic
def quarantine_discard(
    *, actor: User | None, quarantine_id: int, at: datetime
) -> QuarantinedMessage:
    """Mark a held item discarded. Its bytes stay, so a discard can still be replayed."""
    item = quarantine_get(quarantine_id=quarantine_id)
    updated = QuarantinedMessage.objects.filter(
        pk=item.pk, status=QuarantinedMessage.Status.HELD
    ).update(status=QuarantinedMessage.Status.DISCARDED)
    if updated != 1:
        raise ConflictError(
            ChannelErrorCode.NOT_HELD,
            _("Quarantined message #%(id)s is not held (it is %(status)s)."),
            id=item.pk,
            status=item.get_status_display(),
        )
    audit_record(
        actor=actor,
        action="quarantine.discarded",
        target=item,
        at=at,
        before={"status": item.status},
        after={"status": QuarantinedMessage.Status.DISCARDED},
    )
    item.refresh_from_db()
    return item
