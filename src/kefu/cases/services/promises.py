"""Commitments kept visible until kept or broken, and compensation within authority."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.cases import ladder, notification_kinds
from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import AuthorityLimit, Case, Commitment, CompensationOffer
from kefu.cases.services._common import require_text
from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.core.timefmt import iso

REMINDER_JOB = "cases.commitment_reminder"
OVERDUE_JOB = "cases.commitment_overdue"
REMIND_BEFORE = timedelta(hours=1)

DEFAULT_LIMITS = {
    "agent": Decimal(200),
    "team_lead": Decimal(2000),
    "department_manager": Decimal(20000),
    "administrator": Decimal(20000),
}


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    case: Case,
    what: str,
    due_at: datetime,
    at: datetime,
    owner: User | None = None,
    is_follow_up: bool = False,
) -> Commitment:
    """Record a promise made to the customer: what, who keeps it, by when.

    A reminder goes to the owner an hour before it is due; when it falls due
    still open it is flagged overdue on the case, the queue and the dashboard.
    """
    authorize(actor, Perm.WORK_CASES)
    text = require_text(what, CaseErrorCode.EXPLANATION_REQUIRED, _("Say what was promised."))
    if due_at <= at:
        raise DomainError(CaseErrorCode.BAD_DUE_TIME, _("A promise must be due in the future."))
    commitment = Commitment.objects.create(
        case=case,
        what=text[:300],
        owner=owner or case.owner or actor,
        due_at=due_at,
        created_at=at,
        created_by=actor,
        is_follow_up=is_follow_up,
    )
    remind_at = max(at, due_at - REMIND_BEFORE)
    clock.job_schedule(
        kind=REMINDER_JOB,
        key=f"commitment:{commitment.pk}:reminder",
        due_at=remind_at,
        payload={"commitment_id": commitment.pk},
    )
    clock.job_schedule(
        kind=OVERDUE_JOB,
        key=f"commitment:{commitment.pk}:overdue",
        due_at=due_at,
        payload={"commitment_id": commitment.pk},
    )
    case_event_record(
        case=case, kind="commitment_made", at=at, actor=actor, what=text, due=iso(due_at)
    )
    return commitment


def _refresh_case_flag(case: Case) -> None:
    overdue = Commitment.objects.filter(
        case=case, status=Commitment.Status.OPEN, is_overdue=True
    ).exists()
    Case.objects.filter(pk=case.pk).update(has_overdue_commitment=overdue)


@transaction.atomic
def commitment_close(
    *, actor: User, commitment: Commitment, status: str, at: datetime
) -> Commitment:
    """Record the promise as kept, broken or cancelled: by whoever owns or made it,
    or a team lead or above (a colleague cannot mark someone else's promise kept)."""
    authorize(actor, Perm.WORK_CASES)
    if actor.pk not in (commitment.owner_id, commitment.created_by_id) and not (
        actor.has_role_perm(Perm.APPROVE_ESCALATIONS)
    ):
        raise PermissionDeniedError(
            CaseErrorCode.COMMITMENT_NOT_YOURS,
            _(
                "Only the agent who owns this promise, or a team lead, may record whether "
                "it was kept."
            ),
        )
    if status not in (
        Commitment.Status.KEPT,
        Commitment.Status.BROKEN,
        Commitment.Status.CANCELLED,
    ):
        raise DomainError(CaseErrorCode.COMMITMENT_CLOSED, _("Choose kept, broken or cancelled."))
    updated = Commitment.objects.filter(pk=commitment.pk, status=Commitment.Status.OPEN).update(
        status=status, closed_at=at
    )
    if not updated:
        raise DomainError(CaseErrorCode.COMMITMENT_CLOSED, _("This promise is already closed."))
    commitment.refresh_from_db()
    for suffix in ("reminder", "overdue"):
        clock.job_cancel(key=f"commitment:{commitment.pk}:{suffix}", at=at)
    _refresh_case_flag(commitment.case)
    case_event_record(
        case=commitment.case,
        kind="commitment_closed",
        at=at,
        actor=actor,
        what=commitment.what,
        status=str(status),
    )
    audit_record(
        actor=actor,
        action="commitment.closed",
        target=commitment,
        at=at,
        before={"status": "open"},
        after={"status": status},
    )
    return commitment


def commitment_remind(*, commitment_id: int, at: datetime) -> None:
    """Remind the owner of an open promise (once)."""
    updated = Commitment.objects.filter(
        pk=commitment_id, status=Commitment.Status.OPEN, reminded_at__isnull=True
    ).update(reminded_at=at)
    if not updated:
        return
    commitment = Commitment.objects.select_related("case", "owner").get(pk=commitment_id)
    notification_send(
        recipient=commitment.owner,
        code=notification_kinds.PROMISE_DUE,
        params={
            "due": commitment.due_at,
            "what": commitment.what,
            "body": commitment.case.reference,
        },
        link=f"/cases/{commitment.case_id}/",
        at=at,
    )


def commitment_mark_overdue(*, commitment_id: int, at: datetime) -> None:
    """Flag a promise that fell due still open, on itself and on its case (once)."""
    updated = Commitment.objects.filter(
        pk=commitment_id, status=Commitment.Status.OPEN, is_overdue=False, due_at__lte=at
    ).update(is_overdue=True)
    if not updated:
        return
    commitment = Commitment.objects.select_related("case", "owner").get(pk=commitment_id)
    Case.objects.filter(pk=commitment.case_id).update(has_overdue_commitment=True)
    case_event_record(
        case=commitment.case, kind="commitment_overdue", at=at, actor=None, what=commitment.what
    )
    notification_send(
        recipient=commitment.owner,
        code=notification_kinds.PROMISE_OVERDUE,
        params={"what": commitment.what, "body": commitment.case.reference},
        link=f"/cases/{commitment.case_id}/",
        at=at,
    )


def authority_limits() -> dict[str, Decimal]:
    """Each role's compensation limit: the configured ones over the defaults."""
    limits = dict(DEFAULT_LIMITS)
    limits.update(dict(AuthorityLimit.objects.values_list("role", "max_compensation")))
    return limits


def _limit_of(user: User, limits: dict[str, Decimal]) -> Decimal:
    if user.is_superuser:
        return max(limits.values())
    return limits.get(user.role, Decimal(0))


@transaction.atomic
def compensation_offer(
    *, actor: User, case: Case, kind: str, amount: Decimal, reason: str, at: datetime
) -> CompensationOffer:
    """Offer compensation. Within the actor's authority limit it is approved at
    once; above it waits for the lowest step of the ladder whose limit covers it."""
    authorize(actor, Perm.WORK_CASES)
    if amount <= 0:
        raise DomainError(CaseErrorCode.BAD_AMOUNT, _("The amount must be more than zero."))
    if kind not in CompensationOffer.Kind.values:
        raise DomainError(CaseErrorCode.BAD_AMOUNT, _("Choose a type of compensation."))
    text = require_text(reason, CaseErrorCode.REASON_REQUIRED, _("Say why compensation is due."))
    limits = authority_limits()
    within = amount <= _limit_of(actor, limits)
    needed = ladder.lowest_level_allowed(amount, limits)
    if not within and needed is None:
        raise DomainError(
            CaseErrorCode.BEYOND_AUTHORITY,
            _("%(amount)s is above every authority limit; ask an administrator."),
            amount=str(amount),
        )
    offer = CompensationOffer.objects.create(
        case=case,
        kind=kind,
        amount=amount,
        reason=text,
        offered_by=actor,
        offered_at=at,
        status=CompensationOffer.Status.APPROVED if within else CompensationOffer.Status.PENDING,
        decided_by=actor if within else None,
        decided_at=at if within else None,
    )
    case_event_record(
        case=case,
        kind="compensation_offered",
        at=at,
        actor=actor,
        type=str(kind),
        amount=str(amount),
        status=str(offer.status),
    )
    audit_record(
        actor=actor,
        action="compensation.offered",
        target=offer,
        at=at,
        after={"kind": kind, "amount": str(amount), "status": offer.status},
    )
    if within:
        _tell_customer(offer, at=at, actor=actor)
    if not within and needed is not None:
        from kefu.cases.services._common import person_for

        approver = person_for(case, ladder.LEVEL_ROLE[needed])
        if approver is not None:
            notification_send(
                recipient=approver,
                code=notification_kinds.COMPENSATION_APPROVAL,
                params={"amount": str(amount), "ref": case.reference, "body": text},
                link=f"/cases/{case.pk}/",
                at=at,
            )
    return offer


@transaction.atomic
def compensation_decide(
    *, actor: User, offer: CompensationOffer, approve: bool, at: datetime
) -> CompensationOffer:
    """Approve or reject a pending offer; the actor's limit must cover the amount."""
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    if offer.amount > _limit_of(actor, authority_limits()):
        raise PermissionDeniedError(
            CaseErrorCode.BEYOND_AUTHORITY,
            _("%(amount)s is above your authority limit."),
            amount=str(offer.amount),
        )
    status = CompensationOffer.Status.APPROVED if approve else CompensationOffer.Status.REJECTED
    updated = CompensationOffer.objects.filter(
        pk=offer.pk, status=CompensationOffer.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=at)
    if not updated:
        raise DomainError(CaseErrorCode.OFFER_DECIDED, _("This offer was already decided."))
    offer.refresh_from_db()
    if approve:
        _tell_customer(offer, at=at, actor=actor)
    case_event_record(
        case=offer.case,
        kind="compensation_decided",
        at=at,
        actor=actor,
        amount=str(offer.amount),
        status=str(status),
    )
    audit_record(
        actor=actor,
        action="compensation.decided",
        target=offer,
        at=at,
        before={"status": "pending"},
        after={"status": status},
    )
    return offer


def _tell_customer(offer: CompensationOffer, *, at: datetime, actor: User) -> None:
    """Tell the customer the approved result at once, in their language, on their channel
    (a notice like a reply; undeliverable is kept on the case for a phone call)."""
    from kefu.cases.services.cases import customer_notice, render_in

    case = offer.case
    language = case.contact.language or "zh-hans"
    with translation.override(language):
        kind = str(CompensationOffer.Kind(offer.kind).label)
    body = render_in(
        language,
        _(
            "About your case %(ref)s: we have approved compensation for you: %(kind)s, "
            "%(amount)s yuan. Reason: %(reason)s"
        ),
        ref=case.reference,
        kind=kind,
        amount=f"{offer.amount:.2f}",
        reason=offer.reason,
    )
    customer_notice(case=case, body=body, at=at, author=actor)
    case_event_record(
        case=case, kind="compensation_told", at=at, actor=actor, amount=str(offer.amount)
    )
