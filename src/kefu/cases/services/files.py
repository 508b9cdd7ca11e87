"""Files on the desk: replies that carry files, and every opening of a file audited.

A reply's files go out with the e-mail (``channels.email_out``); other channels
cannot carry them, so a reply with files goes by e-mail or not at all. Each
file may be as large as an inbound one (``KEFU_MAX_ATTACHMENT_BYTES``); a
reply carries at most ``MAX_REPLY_FILES``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.filetypes import media_type
from kefu.cases.models import Attachment, Case, Message
from kefu.cases.services.cases import IncomingAttachment, case_reply
from kefu.core.audit import audit_record
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.uploads import safe_filename

MAX_REPLY_FILES = 5
FILES_CHANNEL = "email"


def reply_files_check(*, files: Sequence[tuple[str, int]]) -> None:
    """Refuse ``files`` (pairs of name and size in bytes) that one reply may not carry:
    more than ``MAX_REPLY_FILES`` (``too_many_files``) or one larger than an inbound
    file may be (``file_too_large``, naming the file)."""
    if len(files) > MAX_REPLY_FILES:
        raise DomainError(
            CaseErrorCode.TOO_MANY_FILES,
            _("A reply can carry at most %(limit)s files; you chose %(count)s."),
            limit=MAX_REPLY_FILES,
            count=len(files),
        )
    limit: int = settings.KEFU_MAX_ATTACHMENT_BYTES
    for name, size in files:
        if size > limit:
            raise DomainError(
                CaseErrorCode.FILE_TOO_LARGE,
                _("“%(name)s” is %(size)s; a file can be at most %(limit)s."),
                name=name,
                size=filesizeformat(size),
                limit=filesizeformat(limit),
            )


@transaction.atomic
def case_reply_with_files(
    *,
    actor: User,
    case: Case,
    body: str,
    at: datetime,
    files: Sequence[IncomingAttachment],
    version: int | None = None,
    channel: str | None = None,
) -> Message:
    """``case_reply`` carrying ``files``, stored as the reply's attachments.

    Without files this is ``case_reply``. With files the reply goes by e-mail
    (``channel`` defaults to it; another channel is refused with
    ``files_need_email`` and nothing is written). The reply and its files are one
    transaction and the delivery is queued on commit, so the mail leaves with
    every file or not at all.
    """
    if not files:
        return case_reply(
            actor=actor, case=case, body=body, at=at, version=version, channel=channel
        )
    reply_files_check(files=[(item.filename, len(item.content)) for item in files])
    if channel and channel != FILES_CHANNEL:
        raise _files_need_email()
    message = case_reply(
        actor=actor, case=case, body=body, at=at, version=version, channel=FILES_CHANNEL
    )
    if message.channel != FILES_CHANNEL:
        raise _files_need_email()
    for item in files:
        name = safe_filename(item.filename, fallback="attachment")
        message.attachments.create(
            filename=name,
            content_type=media_type(item.content_type),
            size=len(item.content),
            file=ContentFile(item.content, name=name),
        )
    return message


def _files_need_email() -> DomainError:
    return DomainError(
        CaseErrorCode.FILES_NEED_EMAIL,
        _("Files can only be sent by e-mail: choose e-mail, or send the reply without files."),
    )


def attachments_carry_over(*, source: Message, target: Message) -> None:
    """Put ``source``'s files on ``target``, a resend of it (the stored files are shared,
    not copied). A resend on a channel that cannot carry files is refused
    (``files_need_email``); the caller's transaction then writes nothing."""
    files = list(source.attachments.all())
    if not files:
        return
    if target.channel != FILES_CHANNEL:
        raise DomainError(
            CaseErrorCode.FILES_NEED_EMAIL,
            _(
                "This reply carries files, which only e-mail can deliver: resend it by "
                "e-mail, or write a new reply without them."
            ),
        )
    Attachment.objects.bulk_create(
        Attachment(
            message=target,
            filename=item.filename,
            content_type=item.content_type,
            size=item.size,
            file=item.file.name,
        )
        for item in files
    )


def attachment_opened(*, actor: User, attachment: Attachment, at: datetime) -> None:
    """Record in the audit log that ``actor`` opened or downloaded ``attachment`` (a
    customer's files are personal data, like the contact details a reveal logs)."""
    audit_record(
        actor=actor,
        action="attachment.downloaded",
        target=attachment,
        at=at,
        after={"case": attachment.message.case.reference, "message": attachment.message_id},
    )
