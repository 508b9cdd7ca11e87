"""Writes of the desk's intake that no agent makes: a mail that named a case its sender
may not write to (see ``kefu.cases.participants``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kefu.cases.events import case_event_record
from kefu.cases.models import Case, CaseLink
from kefu.core.audit import audit_record


@transaction.atomic
def case_note_misdirected(*, case: Case, target: Case, at: datetime) -> None:
    """Record that ``case`` (just opened for the sender) came from a message naming
    ``target``, which its sender may not write to; for an agent to review.

    ``target`` gets an event naming ``case``. ``case`` gets an event and a link to
    ``target`` only when ``target`` is not confidential: a confidential case's
    reference stays inside its department.
    """
    if target.is_confidential:
        case_event_record(case=case, kind="thread_refused", at=at, actor=None)
    else:
        CaseLink.objects.get_or_create(
            from_case=case, to_case=target, defaults={"kind": CaseLink.Kind.RELATED}
        )
        case_event_record(
            case=case, kind="thread_refused", at=at, actor=None, reference=target.reference
        )
    case_event_record(
        case=target, kind="thread_refused_elsewhere", at=at, actor=None, reference=case.reference
    )
    audit_record(
        actor=None,
        action="case.thread_refused",
        target=case,
        at=at,
        after={"named": target.reference},
    )
