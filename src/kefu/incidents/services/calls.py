"""Notice calls: an agent takes the call, and only they see the contact's full number.

The incident page lists every open call with the number masked, so one page
cannot hand an agent a hundred full numbers. Each showing of a full number
leaves an audit entry on the contact (``incident.call_number_viewed``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.masking import mask_phone
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import CallTask


def _require_open(task: CallTask) -> None:
    if task.done_at is not None:
        raise ConflictError(IncidentErrorCode.ALREADY_RESOLVED, _("This call is already recorded."))


@transaction.atomic
def call_task_take(*, actor: User, task: CallTask, at: datetime) -> CallTask:
    """Make ``actor`` the one who makes this call (and may see the full number).

    Taking a call one already holds changes nothing. A call another agent holds
    is refused with ``incident_call_taken``; a recorded one with
    ``incident_already_resolved``. The holder is set by a compare-and-swap, so
    two agents taking the same call at once get one holder.
    """
    authorize(actor, Perm.WORK_CASES)
    _require_open(task)
    updated = CallTask.objects.filter(
        Q(held_by__isnull=True) | Q(held_by=actor), pk=task.pk, done_at__isnull=True
    ).update(held_by=actor, held_at=at)
    task.refresh_from_db()
    if updated != 1:
        _require_open(task)
        raise ConflictError(
            IncidentErrorCode.CALL_TAKEN,
            _("%(name)s has already taken this call."),
            name=str(task.held_by),
        )
    audit_record(
        actor=actor,
        action="incident.call_taken",
        target=task.incident,
        at=at,
        after={"call": task.pk, "contact": task.contact_id},
    )
    return task


@transaction.atomic
def call_task_number(*, actor: User, task: CallTask, at: datetime) -> str:
    """The full phone number of the contact to call, for the agent holding the call.

    Anyone else (leads included: they take the call first) is refused with
    ``incident_not_call_holder``; a recorded call with ``incident_already_resolved``.
    Each call leaves ``incident.call_number_viewed`` in the audit log, on the
    contact, with the number masked.
    """
    authorize(actor, Perm.WORK_CASES)
    _require_open(task)
    if task.held_by_id != actor.pk:
        raise PermissionDeniedError(
            IncidentErrorCode.NOT_CALL_HOLDER,
            _("Only the agent who took this call sees the full number. Take the call first."),
        )
    phone: str = task.contact.phone
    audit_record(
        actor=actor,
        action="incident.call_number_viewed",
        target=task.contact,
        at=at,
        after={"phone": mask_phone(phone), "incident": task.incident_id, "call": task.pk},
    )
    return phone
