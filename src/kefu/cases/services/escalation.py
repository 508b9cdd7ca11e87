"""The escalation ladder, over-heads complaints and transfers between departments."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases import ladder, notification_kinds
from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Escalation, Transfer
from kefu.cases.services._common import cas_update, person_for, require_open, require_text
from kefu.cases.services.cases import customer_notice, render_in
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import Department, Team, User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.core.timefmt import contact_time

TRANSFER_LOOP_AFTER = 2


def _link(case: Case) -> str:
    return f"/cases/{case.pk}/"


def _escalate(
    *,
    actor: User | None,
    case: Case,
    step: ladder.Step,
    reason: str,
    explanation: str,
    at: datetime,
) -> Escalation:
    owner = person_for(case, step.role)
    if owner is None:
        raise DomainError(
            CaseErrorCode.NO_ONE_TO_ESCALATE_TO,
            _("Nobody holds the next step of the ladder in this department."),
        )
    from_level = case.escalation_level
    cas_update(case, at=at, escalation_level=int(step.level), owner=owner)
    escalation = Escalation.objects.create(
        case=case,
        at=at,
        by=actor,
        from_level=from_level,
        to_level=int(step.level),
        to_owner=owner,
        reason=reason,
        explanation=explanation,
    )
    case_event_record(
        case=case,
        kind="escalated",
        at=at,
        actor=actor,
        owner=str(owner),
        level=int(step.level),
        reason=explanation,
        reason_code=str(reason),
    )
    audit_record(
        actor=actor,
        action="case.escalated",
        target=case,
        at=at,
        before={"level": from_level},
        after={"level": int(step.level), "owner": owner.get_username(), "reason": reason},
    )
    notification_send(
        recipient=owner,
        code=notification_kinds.ESCALATED,
        params={"ref": case.reference, "body": explanation},
        link=_link(case),
        at=at,
    )
    # Tell the customer who owns the case now and why, in their language.
    role_label = {1: _("team lead"), 2: _("department manager")}[int(step.level)]
    notice = render_in(
        case.contact.language,
        _(
            "Your case %(ref)s is now handled by %(owner)s, our %(role)s, "
            "because %(why)s. They will contact you soon."
        ),
        ref=case.reference,
        owner=owner,
        role=role_label,
        why=explanation,
    )
    customer_notice(case=case, body=notice, at=at, author=actor)
    return escalation


@transaction.atomic
def case_escalate(
    *, actor: User, case: Case, reason: str, explanation: str, at: datetime
) -> Escalation:
    """Raise the case one step (agent → team lead → department manager).

    A reason is required; the new owner is notified and the customer is told
    who owns the case now and why.
    """
    authorize(actor, Perm.WORK_CASES)
    require_open(case)
    text = require_text(
        explanation, CaseErrorCode.REASON_REQUIRED, _("Say why the case needs to go up.")
    )
    if reason not in Escalation.Reason.values:
        raise DomainError(CaseErrorCode.REASON_REQUIRED, _("Choose a reason for escalating."))
    step = ladder.next_step(case.escalation_level)
    if step is None:
        raise DomainError(
            CaseErrorCode.TOP_OF_LADDER, _("The case is already with the department manager.")
        )
    return _escalate(actor=actor, case=case, step=step, reason=reason, explanation=text, at=at)


def case_escalate_for_breach(*, case: Case, at: datetime, explanation: str) -> Escalation | None:
    """The clock's escalation: lead on the first breach, manager on the second.

    Does nothing when the case is already at or above that step.
    """
    step = ladder.step_for_breach(case.breach_count)
    if case.escalation_level >= step.level:
        return None
    if person_for(case, step.role) is None:
        # Nobody holds that step: the breach stands, and the history says why
        # the case did not move up.
        case_event_record(case=case, kind="escalation_unstaffed", at=at, actor=None, role=step.role)
        return None
    return _escalate(
        actor=None,
        case=case,
        step=step,
        reason=Escalation.Reason.SLA_BREACH,
        explanation=explanation,
        at=at,
    )


@transaction.atomic
def case_flag_over_heads(*, actor: User, case: Case, note: str, at: datetime) -> Case:
    """The customer went over heads (越级投诉): flag it and put it with the manager now."""
    authorize(actor, Perm.WORK_CASES)
    text = require_text(note, CaseErrorCode.REASON_REQUIRED, _("Note how the customer escalated."))
    if not case.is_over_heads:
        cas_update(case, at=at, is_over_heads=True, priority=Case.Priority.URGENT)
        case_event_record(case=case, kind="over_heads", at=at, actor=actor)
    if case.escalation_level < ladder.TOP:
        _escalate(
            actor=actor,
            case=case,
            step=ladder.Step(level=ladder.TOP, role=ladder.LEVEL_ROLE[ladder.TOP]),
            reason=Escalation.Reason.OVER_HEADS,
            explanation=text,
            at=at,
        )
    return case


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    case: Case,
    to_department: Department,
    why: str,
    next_steps: str,
    expected_by: datetime,
    at: datetime,
) -> Transfer:
    """Move the case to another department with an explanation the customer receives.

    The current owner stays the customer's single point of contact and gets a
    follow-up task due when the other department expects to be done. A case
    moved more than twice is flagged as a transfer loop.
    """
    authorize(actor, Perm.WORK_CASES)
    require_open(case)
    why = require_text(why, CaseErrorCode.EXPLANATION_REQUIRED, _("Say why that department."))
    next_steps = require_text(
        next_steps, CaseErrorCode.EXPLANATION_REQUIRED, _("Say what happens next.")
    )
    if to_department.pk == case.department_id:
        raise DomainError(CaseErrorCode.SAME_DEPARTMENT, _("The case is already there."))
    if expected_by <= at:
        raise DomainError(CaseErrorCode.BAD_DUE_TIME, _("'By when' must be in the future."))
    from_department = case.department
    contact_person = case.owner or actor
    count = case.transfer_count + 1
    team = Team.objects.filter(department=to_department).order_by("pk").first()
    cas_update(
        case,
        at=at,
        department=to_department,
        team=team,
        owner=contact_person,
        status=Case.Status.WAITING_DEPARTMENT,
        transfer_count=count,
        is_transfer_loop=count > TRANSFER_LOOP_AFTER,
    )
    transfer = Transfer.objects.create(
        case=case,
        at=at,
        by=actor,
        from_department=from_department,
        to_department=to_department,
        why=why,
        next_steps=next_steps,
        expected_by=expected_by,
    )
    case_event_record(
        case=case,
        kind="transferred",
        at=at,
        actor=actor,
        department=to_department.name,
        agent=str(contact_person),
    )
    if count > TRANSFER_LOOP_AFTER:
        case_event_record(case=case, kind="transfer_loop", at=at, actor=None, count=count)
    audit_record(
        actor=actor,
        action="case.transferred",
        target=case,
        at=at,
        before={"department": from_department.code},
        after={"department": to_department.code},
    )
    notice = render_in(
        case.contact.language,
        _(
            "Your case %(ref)s now needs our %(department)s: %(why)s. Next: %(next)s. "
            "We expect this by %(by)s. %(agent)s stays your contact throughout."
        ),
        ref=case.reference,
        department=to_department.name,
        why=why,
        next=next_steps,
        by=contact_time(expected_by, case.contact),
        agent=contact_person,
    )
    customer_notice(case=case, body=notice, at=at, author=actor)
    from kefu.cases.services.promises import commitment_create

    commitment_create(
        actor=actor,
        case=case,
        what=str(
            _("Follow up with the customer on %(department)s's work")
            % {"department": to_department.name}
        ),
        due_at=expected_by,
        owner=contact_person,
        at=at,
        is_follow_up=True,
    )
    receiver = person_for(case, "department_manager", to_department)
    if receiver is not None:
        notification_send(
            recipient=receiver,
            code=notification_kinds.TRANSFERRED,
            params={"ref": case.reference, "body": f"{why}\n{next_steps}"},
            link=_link(case),
            at=at,
        )
    return transfer
