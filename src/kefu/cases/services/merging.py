"""Linking and merging cases: a merge that crosses confidentiality, department or
contact is for a team lead or above."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, CaseLink
from kefu.cases.services._common import cas_update, case_search_terms_add
from kefu.cases.services.sla import sla_stop
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm


@transaction.atomic
def case_link(*, actor: User, case: Case, other: Case, kind: str, at: datetime) -> CaseLink:
    """Link two cases (both directions read the same link)."""
    authorize(actor, Perm.WORK_CASES)
    if other.pk == case.pk:
        raise DomainError(CaseErrorCode.MERGE_INTO_SELF, _("A case cannot be linked to itself."))
    try:
        with transaction.atomic():
            link = CaseLink.objects.create(from_case=case, to_case=other, kind=kind)
    except IntegrityError:
        return CaseLink.objects.get(from_case=case, to_case=other)
    case_event_record(case=case, kind="linked", at=at, actor=actor, reference=other.reference)
    return link


_MERGE_BOUNDARIES = (
    ("is_confidential", _("confidentiality")),
    ("department_id", _("department")),
    ("contact_id", _("contact")),
)


def merge_crosses(source: Case, target: Case) -> list[Promise]:
    """What ``source`` and ``target`` differ in among confidentiality, department and
    contact, as translated labels (empty: an agent may merge them)."""
    return [
        label for name, label in _MERGE_BOUNDARIES if getattr(source, name) != getattr(target, name)
    ]


@transaction.atomic
def case_merge(*, actor: User, source: Case, target: Case, at: datetime) -> Case:
    """Move ``source``'s messages into ``target`` and close ``source`` as merged.

    Merging across confidentiality, department or contact (``merge_crosses``)
    needs ``APPROVE_ESCALATIONS`` (team leads and up): otherwise
    ``merge_needs_lead`` and nothing changes. Such a merge moves one customer's
    messages, or a confidential case's, where other people read them.
    """
    authorize(actor, Perm.WORK_CASES)
    if source.pk == target.pk:
        raise DomainError(CaseErrorCode.MERGE_INTO_SELF, _("A case cannot be merged into itself."))
    crossed = merge_crosses(source, target)
    if crossed and not actor.has_role_perm(Perm.APPROVE_ESCALATIONS):
        raise PermissionDeniedError(
            CaseErrorCode.MERGE_NEEDS_LEAD,
            _(
                "These cases differ in %(what)s; only a team lead or above may merge them. "
                "Link them instead."
            ),
            what=", ".join(str(label) for label in crossed),
        )
    moved_text = " ".join(source.messages.values_list("body", flat=True))
    source.messages.update(case=target)
    cas_update(
        source,
        at=at,
        status=Case.Status.CLOSED,
        closed_at=at,
        merged_into=target,
        **sla_stop(source, at=at),
    )
    Case.objects.filter(pk=target.pk).update(updated_at=at, version=F("version") + 1)
    case_search_terms_add(case=target, text=f"{source.subject} {moved_text}")
    target.refresh_from_db()
    case_event_record(case=source, kind="merged", at=at, actor=actor, reference=target.reference)
    case_event_record(
        case=target, kind="merged_from", at=at, actor=actor, reference=source.reference
    )
    audit_record(
        actor=actor, action="case.merged", target=source, at=at, after={"into": target.reference}
    )
    return target
