"""People practices: the sick-pay table, contract types, onboarding, hiring bars, overtime."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor.errors import PeopleErrorCode
from kefu.floor.models import (
    Candidate,
    ContractType,
    InterviewScore,
    LeavePolicy,
    OnboardingStep,
    Opening,
    Overtime,
    PersonContract,
)
from kefu.floor.services._common import require_watch

MAX_CRITERIA = 12


def _looks_after(actor: User, agent: User) -> None:
    authorize(actor, Perm.VIEW_TEAM)
    require_watch(actor, agent)


@transaction.atomic
def leave_policy_save(
    *,
    actor: User,
    contract_type: str,
    year: int,
    paid_sick_days: int,
    sick_pay_percent: int,
    note: str,
    at: datetime,
) -> LeavePolicy:
    """Create or change the row of the sick-pay table for ``contract_type`` and ``year``.

    Only what is *paid* follows the table: leave already recorded is untouched,
    and its paid days are read again from the new row. Needs ``SET_PEOPLE_POLICY``.
    """
    authorize(actor, Perm.SET_PEOPLE_POLICY)
    if contract_type not in ContractType.values:
        raise DomainError(PeopleErrorCode.CHOICE_INVALID, _("Choose a contract type."))
    if not 2000 <= year <= 2100 or not 0 <= paid_sick_days <= 366:
        raise DomainError(
            PeopleErrorCode.POLICY_INVALID,
            _("Enter a year between 2000 and 2100 and between 0 and 366 paid days."),
        )
    if not 0 <= sick_pay_percent <= 100:
        raise DomainError(PeopleErrorCode.POLICY_INVALID, _("Sick pay is between 0 and 100%."))
    before = LeavePolicy.objects.filter(contract_type=contract_type, year=year).first()
    policy, _created = LeavePolicy.objects.update_or_create(
        contract_type=contract_type,
        year=year,
        defaults={
            "paid_sick_days": paid_sick_days,
            "sick_pay_percent": sick_pay_percent,
            "note": note.strip()[:200],
            "updated_at": at,
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="leave_policy.saved",
        target=policy,
        at=at,
        before=(
            {"paid_sick_days": before.paid_sick_days, "percent": before.sick_pay_percent}
            if before
            else None
        ),
        after={"paid_sick_days": paid_sick_days, "percent": sick_pay_percent},
    )
    return policy


@transaction.atomic
def person_contract_set(
    *, actor: User, agent: User, contract_type: str, at: datetime
) -> PersonContract:
    """Set which contract ``agent`` is on (a lead who looks after them)."""
    _looks_after(actor, agent)
    if contract_type not in ContractType.values:
        raise DomainError(PeopleErrorCode.CHOICE_INVALID, _("Choose a contract type."))
    contract, _created = PersonContract.objects.update_or_create(
        agent=agent, defaults={"contract_type": contract_type}
    )
    audit_record(
        actor=actor,
        action="person_contract.set",
        target=agent,
        at=at,
        after={"contract_type": contract_type},
    )
    return contract


def onboarding_tick(
    *, actor: User, agent: User, step: str, done: bool, at: datetime
) -> OnboardingStep | None:
    """Tick (or untick) one onboarding step of ``agent`` (a lead who looks after them).

    Ticking twice keeps the first tick; returns the row, or None once unticked.
    """
    _looks_after(actor, agent)
    if step not in OnboardingStep.Step.values:
        raise DomainError(PeopleErrorCode.CHOICE_INVALID, _("Choose an onboarding step."))
    if not done:
        OnboardingStep.objects.filter(agent=agent, step=step).delete()
        return None
    try:
        with transaction.atomic():
            row, _created = OnboardingStep.objects.get_or_create(
                agent=agent, step=step, defaults={"done_at": at, "done_by": actor}
            )
    except IntegrityError:
        row = OnboardingStep.objects.get(agent=agent, step=step)
    audit_record(actor=actor, action="onboarding.ticked", target=agent, at=at, after={"step": step})
    return row


def _criteria(raw: str) -> list[str]:
    seen: list[str] = []
    for line in raw.replace("，", ",").replace("\n", ",").split(","):
        name = line.strip()[:60]
        if name and name not in seen:
            seen.append(name)
    return seen


@transaction.atomic
def opening_create(*, actor: User, title: str, criteria: str, bar: float, at: datetime) -> Opening:
    """Open a position with its interview criteria (comma- or line-separated) and its bar.

    Needs ``SET_PEOPLE_POLICY``: the bar is the business's, not the week's staffing need.
    """
    authorize(actor, Perm.SET_PEOPLE_POLICY)
    names = _criteria(criteria)
    if not title.strip() or not names:
        raise DomainError(
            PeopleErrorCode.OPENING_INVALID, _("Name the opening and at least one criterion.")
        )
    if len(names) > MAX_CRITERIA:
        raise DomainError(
            PeopleErrorCode.OPENING_INVALID,
            _("At most %(count)s criteria per opening."),
            count=MAX_CRITERIA,
        )
    if not 1 <= bar <= 5:
        raise DomainError(PeopleErrorCode.OPENING_INVALID, _("The bar is between 1 and 5."))
    opening = Opening.objects.create(
        title=title.strip()[:100], criteria=names, bar=bar, created_at=at, created_by=actor
    )
    audit_record(
        actor=actor,
        action="opening.created",
        target=opening,
        at=at,
        after={"title": opening.title, "bar": bar, "criteria": names},
    )
    return opening


@transaction.atomic
def interview_score_record(
    *,
    actor: User,
    opening: Opening,
    candidate: Candidate,
    scores: Mapping[str, int],
    notes: str,
    at: datetime,
) -> InterviewScore:
    """File ``actor``'s scorecard of ``candidate`` for ``opening``: every criterion 1 to 5.

    The candidate is attached to the opening. Scoring again replaces the
    interviewer's own card. A missing or out-of-range score → ``empty_text``.
    """
    authorize(actor, Perm.VIEW_TEAM)
    wanted = list(opening.criteria)
    cleaned: dict[str, int] = {}
    for name in wanted:
        value = scores.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(
                PeopleErrorCode.SCORE_INVALID,
                _("Score %(criterion)s from 1 to 5."),
                criterion=name,
            )
        cleaned[name] = value
    average = round(sum(cleaned.values()) / len(cleaned), 2)
    card, _created = InterviewScore.objects.update_or_create(
        opening=opening,
        candidate=candidate,
        interviewer=actor,
        defaults={"scores": cleaned, "average": average, "notes": notes.strip(), "scored_at": at},
    )
    if candidate.opening_id != opening.pk:
        Candidate.objects.filter(pk=candidate.pk).update(opening=opening, updated_at=at)
        candidate.opening = opening
    audit_record(
        actor=actor,
        action="interview.scored",
        target=candidate,
        at=at,
        after={"opening": opening.pk, "average": average},
    )
    return card


@transaction.atomic
def overtime_record(
    *,
    actor: User,
    agent: User,
    on: date,
    minutes: int,
    reason: str,
    detail: str,
    at: datetime,
) -> Overtime:
    """Record overtime worked by ``agent`` with its reason (a lead who looks after them).

    "Other" needs a few words of detail, so the monthly report says why.
    """
    _looks_after(actor, agent)
    if reason not in Overtime.Reason.values:
        raise DomainError(
            PeopleErrorCode.OVERTIME_INVALID, _("Choose why the overtime was worked.")
        )
    if not 1 <= minutes <= 720:
        raise DomainError(
            PeopleErrorCode.OVERTIME_INVALID, _("Overtime is between 1 and 720 minutes a day.")
        )
    if reason == Overtime.Reason.OTHER and not detail.strip():
        raise DomainError(
            PeopleErrorCode.OVERTIME_INVALID, _("Say in a few words why, when the reason is Other.")
        )
    if on > at.date():
        raise ConflictError(
            PeopleErrorCode.OVERTIME_INVALID, _("Overtime is recorded once worked, not ahead.")
        )
    row = Overtime.objects.create(
        agent=agent,
        on=on,
        minutes=minutes,
        reason=reason,
        detail=detail.strip()[:300],
        recorded_at=at,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="overtime.recorded",
        target=agent,
        at=at,
        after={"on": str(on), "minutes": minutes, "reason": reason},
    )
    return row
