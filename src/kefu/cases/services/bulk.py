"""Bulk actions on the queue: one change applied to several cases, each through the
service that changes one case (so each case gets its own history line and audit entry).

``bulk_plan`` says what will happen to each case (the confirmation step);
``bulk_apply`` does it. Each case is written in its own savepoint: a case that
refuses (a stale copy, a closed case, a merge across departments) is reported in
words and the others go through. Unlike helpdesk's bulk edit, never a half-written case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.cases.models import Case
from kefu.cases.services.cases import case_assign, case_set_status, case_update
from kefu.cases.services.merging import case_merge
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers import validation

MAX_BULK = 100
MIN_MERGE = 2


class BulkAction(StrEnum):
    ASSIGN = "assign"
    STATUS = "status"
    PRIORITY = "priority"
    TAG = "tag"
    MERGE = "merge"


BULK_ACTION_LABELS = {
    BulkAction.ASSIGN: gettext_lazy("Assign to"),
    BulkAction.STATUS: gettext_lazy("Set status"),
    BulkAction.PRIORITY: gettext_lazy("Set priority"),
    BulkAction.TAG: gettext_lazy("Add tag"),
    BulkAction.MERGE: gettext_lazy("Merge into one"),
}


class BulkErrorCode(StrEnum):
    NOTHING_SELECTED = "bulk_nothing_selected"
    TOO_MANY = "bulk_too_many"
    VALUE_REQUIRED = "bulk_value_required"


@dataclass(frozen=True)
class BulkChange:
    """What to do to every selected case: one action and its value."""

    action: BulkAction
    owner: User | None = None
    status: str = ""
    priority: str = ""
    tag: str = ""


@dataclass(frozen=True)
class BulkLine:
    """One case's line: what will happen (plan) or what happened (outcome), in words."""

    case: Case
    text: str
    ok: bool = True


def _authorize(actor: User, change: BulkChange) -> None:
    # Giving cases to someone else is a lead's decision, for one case or fifty.
    authorize(
        actor, Perm.APPROVE_ESCALATIONS if change.action == BulkAction.ASSIGN else Perm.WORK_CASES
    )


def _check(cases: Sequence[Case], change: BulkChange) -> BulkChange:
    if not cases:
        raise DomainError(BulkErrorCode.NOTHING_SELECTED, gettext_lazy("Select at least one case."))
    if len(cases) > MAX_BULK:
        raise DomainError(
            BulkErrorCode.TOO_MANY,
            gettext_lazy("Select at most %(max)s cases at a time."),
            max=MAX_BULK,
        )
    missing = {
        BulkAction.ASSIGN: change.owner is None,
        BulkAction.STATUS: change.status not in Case.Status.values,
        BulkAction.PRIORITY: change.priority not in Case.Priority.values,
        BulkAction.TAG: not change.tag.strip(),
        BulkAction.MERGE: len(cases) < MIN_MERGE,
    }
    if missing[change.action]:
        messages = {
            BulkAction.ASSIGN: gettext_lazy("Choose who gets the cases."),
            BulkAction.STATUS: gettext_lazy("Choose the new status."),
            BulkAction.PRIORITY: gettext_lazy("Choose the new priority."),
            BulkAction.TAG: gettext_lazy("Write the tag to add."),
            BulkAction.MERGE: gettext_lazy("Select at least two cases to merge."),
        }
        raise DomainError(BulkErrorCode.VALUE_REQUIRED, messages[change.action])
    if change.action == BulkAction.TAG:
        (tag,) = validation.clean_tags([change.tag])
        return BulkChange(action=change.action, tag=tag)
    return change


def merge_target(cases: Sequence[Case]) -> Case:
    """The case the others merge into: the oldest (it holds the first message)."""
    return min(cases, key=lambda case: (case.created_at, case.pk))


def _unchanged(case: Case, change: BulkChange) -> bool:
    """Whether ``case`` already is as ``change`` asks (then nothing is written)."""
    return {
        BulkAction.ASSIGN: change.owner is not None and case.owner_id == change.owner.pk,
        BulkAction.STATUS: case.status == change.status,
        BulkAction.PRIORITY: case.priority == change.priority,
        BulkAction.TAG: change.tag in case.tags,
        BulkAction.MERGE: False,
    }[change.action]


def _describe(case: Case, change: BulkChange, target: Case | None) -> str:
    if _unchanged(case, change):
        return _("Already so; unchanged")
    if change.action == BulkAction.ASSIGN:
        return _("Owner: %(before)s → %(after)s") % {
            "before": case.owner or _("Unassigned"),
            "after": change.owner,
        }
    if change.action == BulkAction.STATUS:
        return _("Status: %(before)s → %(after)s") % {
            "before": case.get_status_display(),
            "after": Case.Status(change.status).label,
        }
    if change.action == BulkAction.PRIORITY:
        return _("Priority: %(before)s → %(after)s") % {
            "before": case.get_priority_display(),
            "after": Case.Priority(change.priority).label,
        }
    if change.action == BulkAction.TAG:
        return _("Tag %(tag)s added") % {"tag": change.tag}
    if target is None or case.pk == target.pk:
        return _("Kept: the other cases' messages move here")
    return _("Merged into %(reference)s and closed") % {"reference": target.reference}


def bulk_plan(*, actor: User, cases: Sequence[Case], change: BulkChange) -> list[BulkLine]:
    """What ``bulk_apply`` would do to each case, in words; writes nothing.

    Raises the refusal ``bulk_apply`` would raise for the whole request (role,
    nothing selected, a value missing), so the confirmation never promises what
    the service then refuses.
    """
    _authorize(actor, change)
    change = _check(cases, change)
    target = merge_target(cases) if change.action == BulkAction.MERGE else None
    return [BulkLine(case=case, text=_describe(case, change, target)) for case in cases]


def _apply_one(
    *, actor: User, case: Case, change: BulkChange, target: Case | None, at: datetime
) -> None:
    if _unchanged(case, change):
        return
    if change.action == BulkAction.ASSIGN:
        if change.owner is None:
            return
        case_assign(actor=actor, case=case, owner=change.owner, at=at)
    elif change.action == BulkAction.STATUS:
        case_set_status(actor=actor, case=case, status=change.status, at=at)
    elif change.action == BulkAction.PRIORITY:
        case_update(
            actor=actor,
            case=case,
            at=at,
            version=case.version,
            changes={"priority": change.priority},
        )
    elif change.action == BulkAction.TAG:
        case_update(
            actor=actor,
            case=case,
            at=at,
            version=case.version,
            changes={"tags": [*case.tags, change.tag]},
        )
    else:
        if target is not None and case.pk != target.pk:
            target.refresh_from_db()
            case_merge(actor=actor, source=case, target=target, at=at)


def bulk_apply(
    *, actor: User, cases: Sequence[Case], change: BulkChange, at: datetime
) -> list[BulkLine]:
    """Apply ``change`` to each case through the one-case service; one line per case.

    Roles are checked once for the whole request (assigning needs
    ``APPROVE_ESCALATIONS``, everything else ``WORK_CASES``) and again by each
    service. A case that refuses keeps nothing of the change and its line says why;
    the other cases are written. A case whose value is already the one asked for is
    left alone (no history line, no audit entry).
    """
    _authorize(actor, change)
    change = _check(cases, change)
    target = merge_target(cases) if change.action == BulkAction.MERGE else None
    lines: list[BulkLine] = []
    for case in cases:
        planned = _describe(case, change, target)
        try:
            with transaction.atomic():
                _apply_one(actor=actor, case=case, change=change, target=target, at=at)
        except DomainError as exc:
            lines.append(
                BulkLine(
                    case=case,
                    text=_("Not changed: %(reason)s") % {"reason": exc.text()},
                    ok=False,
                )
            )
        else:
            lines.append(BulkLine(case=case, text=planned))
    return lines
