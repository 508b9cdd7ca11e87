"""Taking in one email: onto the case it answers, or as a new case.

Threading, in order: a stored Message-ID named in In-Reply-To or References
(most recent first); a case reference such as ``KF-2026-000123`` in the
subject; otherwise a new case. Either way the sender must be on the case
(``kefu.cases.participants``): ids and references are easy to copy or guess,
so a mail naming someone else's case opens a new case for its sender, noted
on both for an agent to review. The same Message-ID twice is stored once.

A mail the database refuses (a data or integrity error) is poison: it goes to
quarantine like an unreadable one, so the mail behind it still comes in. Only a
database that cannot be reached is a temporary fault the caller retries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Message
from kefu.cases.participants import contact_may_write_to_case
from kefu.cases.services import (
    IncomingAttachment,
    case_open_message,
    customer_notice,
    message_receive,
)
from kefu.cases.services.intake import case_note_misdirected
from kefu.channels.contacts import contact_for_sender
from kefu.channels.email_parse import (
    EmailParseError,
    ParsedAttachment,
    ParsedEmail,
    ParseProblem,
    clean_line,
    parse_email,
)
from kefu.channels.errors import ChannelErrorCode, MessageQuarantinedError, MessageUnreadableError
from kefu.channels.quarantine import quarantine_hold
from kefu.collab.services import side_reply_store
from kefu.core.errors import DomainError
from kefu.customers.models import Contact

logger = logging.getLogger(__name__)

CASE_REFERENCE = re.compile(r"\bKF-\d{4}-\d{6,}\b")
# What a lost, refused or busy connection raises: the same mail may go in later.
TEMPORARY_DATABASE_ERRORS = (OperationalError, InterfaceError)
# Ids looked up per mail (In-Reply-To, then the latest References) and distinct cases
# checked: a real thread names a handful; a header listing thousands is an attack.
_MAX_CANDIDATE_IDS = 100
_MAX_NAMED_CASES = 20
# Merged cases point at the case they went into; follow at most this many hops.
_MAX_MERGE_HOPS = 10

_PROBLEMS = {
    ParseProblem.EMPTY: (ChannelErrorCode.EMPTY_EMAIL, _("The message is empty.")),
    ParseProblem.NO_SENDER: (
        ChannelErrorCode.NO_SENDER,
        _("The message has no valid sender address (From header)."),
    ),
    ParseProblem.UNREADABLE: (
        ChannelErrorCode.UNREADABLE_EMAIL,
        _("The message cannot be read as an email."),
    ),
}


@dataclass(frozen=True)
class IngestResult:
    """Where one email went. ``is_duplicate``: it had arrived before; nothing was stored."""

    case: Case
    message: Message | None  # None: a third party's answer to a side conversation
    is_new_case: bool
    is_duplicate: bool
    refused: tuple[str, ...] = ()


def email_parse(raw: bytes) -> ParsedEmail:
    """Read ``raw`` as an email, or raise ``MessageUnreadableError`` with a code."""
    try:
        return parse_email(raw)
    except EmailParseError as exc:
        code, message = _PROBLEMS[exc.problem]
        raise MessageUnreadableError(code, message) from exc


def email_ingest(*, raw: bytes, at: datetime, source: str = "") -> IngestResult:
    """Take in one email; anything that cannot be processed is kept in quarantine.

    Raises ``MessageQuarantinedError`` (naming the quarantine row) when the
    message was held instead, including when the database refused it (a data
    or integrity error on this mail). Only ``TEMPORARY_DATABASE_ERRORS``, or a
    quarantine that cannot be written either, propagate, so a mail server or
    the IMAP poller can retry later.
    """
    error: DomainError
    try:
        return email_receive(raw=raw, at=at)
    except TEMPORARY_DATABASE_ERRORS:
        raise
    except DatabaseError as exc:
        logger.warning("email from %s refused by the database: %s", source or "unknown", exc)
        error = database_refusal(exc)
        fault: Exception = exc
    except DomainError as exc:
        error = exc
        fault = exc
    except Exception as exc:
        logger.exception("email from %s could not be processed", source or "unknown source")
        error = MessageUnreadableError(
            ChannelErrorCode.PROCESSING_FAILED,
            _("The message could not be processed (%(error)s)."),
            error=type(exc).__name__,
        )
        fault = exc
    try:
        item = quarantine_hold(channel="email", raw=raw, error=error, at=at, source=source)
    except DatabaseError as exc:
        # Not even the quarantine can be written: the database itself is at fault.
        raise exc from fault
    raise MessageQuarantinedError(error, quarantine_id=item.pk)


def database_refusal(exc: DatabaseError) -> MessageUnreadableError:
    """The quarantine reason for a mail the database refused with ``exc``."""
    detail = clean_line(str(exc).split("\n", 1)[0])[:200]
    return MessageUnreadableError(
        ChannelErrorCode.STORE_FAILED,
        _("The database refused the message (%(error)s)."),
        error=f"{type(exc).__name__}: {detail}",
    )


def email_receive(*, raw: bytes, at: datetime) -> IngestResult:
    """Store one email on its case (see the module docstring for the threading rules).

    Raises ``MessageUnreadableError`` when ``raw`` is not a usable email; the
    caller decides whether to quarantine it. A repeat returns the earlier
    message and stores nothing.
    """
    parsed = email_parse(raw)
    repeat = _repeat_of(parsed.message_id)
    if repeat is not None:
        return repeat
    try:
        with transaction.atomic():
            return _store(parsed, at=at)
    except IntegrityError:
        # The same Message-ID was being stored at the same moment by another delivery.
        repeat = _repeat_of(parsed.message_id)
        if repeat is None:
            raise
        return repeat


def _repeat_of(message_id: str) -> IngestResult | None:
    # Nearly every mail is new: ask for the id alone (cheap to build and run), and
    # read the message and its case only for a repeat.
    if not Message.objects.filter(external_id=message_id).values_list("pk", flat=True)[:1]:
        return None
    earlier = Message.objects.select_related("case").get(external_id=message_id)
    return IngestResult(case=earlier.case, message=earlier, is_new_case=False, is_duplicate=True)


def _store(parsed: ParsedEmail, *, at: datetime) -> IngestResult:
    side = side_reply_store(
        message_id=parsed.message_id,
        replied_to=[*parsed.in_reply_to, *parsed.references],
        sender_email=parsed.sender_email,
        body=parsed.text,
        at=at,
    )
    if side is not None:
        # A third party answering a side conversation: kept on the case, never the
        # customer's thread.
        return IngestResult(
            case=side.conversation.case,
            message=None,
            is_new_case=False,
            is_duplicate=side.is_duplicate,
        )
    contact = contact_for_sender(
        email=parsed.sender_email,
        name=parsed.sender_name,
        text=f"{parsed.subject}\n{parsed.text}",
        at=at,
    )
    limit: int = settings.KEFU_MAX_ATTACHMENT_BYTES
    kept = [
        IncomingAttachment(
            filename=item.filename,
            content_type=item.content_type or "application/octet-stream",
            content=item.content,
        )
        for item in parsed.attachments
        if len(item.content) <= limit
    ]
    refused = [item for item in parsed.attachments if len(item.content) > limit]
    notes = [_refused_note(item, limit) for item in refused]
    body = "\n\n".join(part for part in [parsed.text, *notes] if part)
    case, misdirected = _threaded_case(parsed, contact)
    if case is None:
        message = case_open_message(
            actor=None,
            contact=contact,
            subject=parsed.subject,
            body=body,
            channel="email",
            at=at,
            external_id=parsed.message_id,
            body_html=parsed.html,
            attachments=kept,
        )
        case = message.case
        is_new_case = True
        if misdirected is not None:
            case_note_misdirected(case=case, target=misdirected, at=at)
    else:
        replied_to = [*parsed.in_reply_to, *parsed.references[-1:]]
        message = message_receive(
            case=case,
            contact=contact,
            body=body,
            channel="email",
            at=at,
            external_id=parsed.message_id,
            body_html=parsed.html,
            in_reply_to=replied_to[0] if replied_to else "",
            attachments=kept,
        )
        is_new_case = False
    if refused:
        _notify_refused(case=case, contact=contact, refused=refused, limit=limit, at=at)
    return IngestResult(
        case=case,
        message=message,
        is_new_case=is_new_case,
        is_duplicate=False,
        refused=tuple(item.filename for item in refused),
    )


def _threaded_case(parsed: ParsedEmail, contact: Contact) -> tuple[Case | None, Case | None]:
    """The case the mail goes onto, and else the first case it named but may not write to.

    Every named case is tried in order, so a customer's own thread is found even
    when the headers also name other cases.
    """
    # In-Reply-To names the direct parent; References ends with the most recent.
    candidates = list(dict.fromkeys([*parsed.in_reply_to, *reversed(parsed.references)]))
    candidates = candidates[:_MAX_CANDIDATE_IDS]
    named: list[Case] = []
    if candidates:
        known = {
            message.external_id: message.case
            for message in Message.objects.select_related("case").filter(external_id__in=candidates)
        }
        named += [known[candidate] for candidate in candidates if candidate in known]
    match = CASE_REFERENCE.search(parsed.subject)
    if match:
        named += list(Case.objects.filter(reference=match.group(0)))
    refused: Case | None = None
    seen: set[int] = set()
    for case in named:
        if len(seen) >= _MAX_NAMED_CASES:
            break
        target = follow_merges(case)
        if target.pk in seen:
            continue
        seen.add(target.pk)
        if contact_may_write_to_case(case=target, contact=contact):
            return target, None
        refused = refused or target
    return None, refused


def follow_merges(case: Case) -> Case:
    """The case ``case`` was merged into (through several merges), or ``case`` itself."""
    for _hop in range(_MAX_MERGE_HOPS):
        if case.merged_into_id is None:
            break
        case = Case.objects.get(pk=case.merged_into_id)
    return case


def _refused_note(item: ParsedAttachment, limit: int) -> str:
    text = _("[Attachment not accepted: %(name)s is %(size)s, over the limit of %(limit)s.]")
    return str(text) % {
        "name": item.filename,
        "size": filesizeformat(len(item.content)),
        "limit": filesizeformat(limit),
    }


def _notify_refused(
    *,
    case: Case,
    contact: Contact,
    refused: Sequence[ParsedAttachment],
    limit: int,
    at: datetime,
) -> None:
    with translation.override(contact.language):
        files = ", ".join(
            f"{item.filename} ({filesizeformat(len(item.content))})" for item in refused
        )
        body = str(
            _(
                "Your message to case %(reference)s was received, but these attachments "
                "were not accepted because each file may be at most %(limit)s: %(files)s. "
                "Please send smaller files or a link to them."
            )
        ) % {"reference": case.reference, "limit": filesizeformat(limit), "files": files}
    try:
        customer_notice(case=case, body=body, at=at, author=None, prefer="email")
    except DomainError:
        # The message itself is kept either way; the note on it tells the agent.
        logger.warning("case %s: could not notify the sender of refused attachments", case.pk)
