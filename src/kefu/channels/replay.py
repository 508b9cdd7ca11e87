"""Replaying a quarantined message through its channel's ingestion again."""

from __future__ import annotations

from datetime import datetime

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.channels.email_in import (
    TEMPORARY_DATABASE_ERRORS,
    IngestResult,
    database_refusal,
    email_receive,
)
from kefu.channels.errors import ChannelErrorCode, MessageUnreadableError
from kefu.channels.models import QuarantinedMessage
from kefu.channels.quarantine import quarantine_get, quarantine_note_failure
from kefu.core.audit import audit_record
from kefu.core.errors import ConflictError
from kefu.core.models import User


def quarantine_replay(*, actor: User | None, quarantine_id: int, at: datetime) -> IngestResult:
    """Ingest a held (or discarded) email or WeChat message again from its stored bytes.

    The message is dated when it first arrived, so the SLA counts from then.
    On success the item is marked replayed with the resulting case. When it
    still cannot be read, ``MessageUnreadableError`` is raised and the item
    stays as it was with the new reason (also when the database refuses it,
    code ``store_failed``). A message already stored in the
    meantime is recognised by its Message-ID and not stored twice.
    """
    item = quarantine_get(quarantine_id=quarantine_id)
    if item.status == QuarantinedMessage.Status.REPLAYED:
        raise ConflictError(
            ChannelErrorCode.NOT_HELD,
            _("Quarantined message #%(id)s was already replayed."),
            id=item.pk,
        )
    if item.channel not in ("email", "wechat"):
        raise ConflictError(
            ChannelErrorCode.REPLAY_UNSUPPORTED,
            _("Only email and WeChat messages can be replayed; #%(id)s came by %(channel)s."),
            id=item.pk,
            channel=item.channel,
        )
    try:
        with transaction.atomic():
            result = _ingest(item)
            # The status is re-checked so two administrators replaying at once
            # leave one audit entry.
            updated = QuarantinedMessage.objects.filter(pk=item.pk, status=item.status).update(
                status=QuarantinedMessage.Status.REPLAYED, replayed_at=at, case=result.case
            )
            if updated != 1:
                raise ConflictError(
                    ChannelErrorCode.NOT_HELD,
                    _("Quarantined message #%(id)s was already replayed."),
                    id=item.pk,
                )
            audit_record(
                actor=actor,
                action="quarantine.replayed",
                target=item,
                at=at,
                before={"status": item.status},
                after={"status": QuarantinedMessage.Status.REPLAYED, "case": result.case.reference},
            )
    except MessageUnreadableError as exc:
        quarantine_note_failure(item=item, error=exc)
        raise
    except TEMPORARY_DATABASE_ERRORS:
        raise
    except DatabaseError as exc:
        error = database_refusal(exc)
        quarantine_note_failure(item=item, error=error)
        raise error from exc
    return result


def _ingest(item: QuarantinedMessage) -> IngestResult:
    if item.channel == "wechat":
        from kefu.channels.wecom_kf import wecom_replay

        message, repeat = wecom_replay(raw=bytes(item.raw), at=item.received_at)
        return IngestResult(
            case=message.case, message=message, is_new_case=False, is_duplicate=repeat
        )
    return email_receive(raw=bytes(item.raw), at=item.received_at)
