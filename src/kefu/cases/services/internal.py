"""Internal customers (内部客户): staff of another department raise cases as requesters,
follow them and reply on them, without ever seeing the internal notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Case, Message
from kefu.cases.services._common import require_text
from kefu.cases.services.cases import IncomingAttachment, case_open, message_receive
from kefu.core.audit import audit_record
from kefu.core.errors import DomainError, NotFoundError
from kefu.core.models import Department, User
from kefu.customers.internal import internal_contact_for

INTERNAL_CATEGORIES = (Case.Category.INTERNAL_REQUEST, Case.Category.INTERNAL_SUPPORT)


@transaction.atomic
def internal_case_open(
    *,
    actor: User,
    department: Department,
    subject: str,
    body: str,
    category: str,
    at: datetime,
    attachments: Sequence[IncomingAttachment] = (),
) -> Case:
    """``actor`` (any active member of staff) asks ``department`` for help. The case is
    theirs as requester: replies reach them by e-mail and on their requests page."""
    if not actor.is_active:
        raise DomainError(CaseErrorCode.NOT_FOUND, _("Only active staff raise internal cases."))
    if category not in INTERNAL_CATEGORIES:
        raise DomainError(
            CaseErrorCode.INVALID_STATUS, _("Choose an internal category for the request.")
        )
    text = require_text(body, CaseErrorCode.EMPTY_MESSAGE, _("Say what you need."))
    case = case_open(
        actor=None,
        contact=internal_contact_for(actor, at=at),
        subject=subject,
        body=text,
        channel="email",
        at=at,
        category=category,
        department=department,
        attachments=attachments,
    )
    audit_record(
        actor=actor,
        action="case.internal_raised",
        target=case,
        at=at,
        after={"department": department.code, "category": category},
    )
    return case


def require_requester(actor: User, case_id: int) -> Case:
    """The case, when ``actor`` raised it as an internal customer; else not found."""
    case = (
        Case.objects.select_related("contact", "department", "owner")
        .filter(pk=case_id, contact__user=actor)
        .first()
    )
    if case is None:
        raise NotFoundError(CaseErrorCode.NOT_FOUND, _("No such case."))
    return case


@transaction.atomic
def requester_reply(
    *,
    actor: User,
    case_id: int,
    body: str,
    at: datetime,
    attachments: Sequence[IncomingAttachment] = (),
) -> Message:
    """The requester writes on their case, as the customer would (the coach reads it)."""
    case = require_requester(actor, case_id)
    text = require_text(body, CaseErrorCode.EMPTY_MESSAGE, _("Write your message first."))
    if case.status == Case.Status.CLOSED:
        raise DomainError(
            CaseErrorCode.INVALID_STATUS, _("This case is closed; raise a new request.")
        )
    return message_receive(
        case=case,
        contact=case.contact,
        body=text,
        channel="email",
        at=at,
        attachments=attachments,
    )
