"""The client's say on a stoppage plan: a continuation or remedy plan sent to the affected
contacts for approval, each through a signed page where they accept it or ask a question.

A question lands on the incident as the customer's message: on their open case linked to
the incident, or on a new case linked to it, so the desk answers it like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.cases import services as case_services
from kefu.cases.models import Case
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.models import REACHABLE_CHANNELS, Contact
from kefu.incidents import texts
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import (
    ContinuationPlan,
    Incident,
    IncidentCase,
    IncidentContact,
    Notice,
    PlanAnswer,
)
from kefu.incidents.services._common import site_url
from kefu.incidents.services.sending import notice_publish

PLAN_SALT = "kefu.incidents.plan"
PLAN_LINK_MAX_AGE = timedelta(days=30)


def plan_token(*, plan_id: int, contact_id: int) -> str:
    return signing.dumps({"p": plan_id, "c": contact_id}, salt=PLAN_SALT, compress=True)


def plan_url(*, plan_id: int, contact_id: int) -> str:
    return site_url(f"/incidents/plan/{plan_token(plan_id=plan_id, contact_id=contact_id)}/")


@transaction.atomic
def plan_send(*, actor: User, plan: ContinuationPlan, at: datetime) -> Notice:
    """Send ``plan`` to every affected contact for their approval (once per plan)."""
    authorize(actor, Perm.RUN_INCIDENTS)
    incident = plan.incident
    if incident.status not in {Incident.Status.CONFIRMED, Incident.Status.RESUMING}:
        raise ConflictError(
            IncidentErrorCode.WRONG_STATUS,
            _("Plans are sent to customers while the incident is open."),
        )
    updated = ContinuationPlan.objects.filter(pk=plan.pk, sent_at__isnull=True).update(sent_at=at)
    if not updated:
        raise ConflictError(
            IncidentErrorCode.CHANGED_CONCURRENTLY, _("This plan was already sent to customers.")
        )
    plan.sent_at = at
    written = {lang: texts.plan_notice(plan, language=lang) for lang in texts.LANGUAGES}
    notice = Notice.objects.create(
        incident=incident,
        kind=Notice.Kind.PLAN,
        status=Notice.Status.SENT,
        plan=plan,
        subject_zh=written["zh-hans"][0],
        subject_en=written["en"][0],
        body_zh=written["zh-hans"][1],
        body_en=written["en"][1],
        author=actor,
        created_at=at,
        sent_at=at,
    )
    contacts = Contact.objects.filter(
        pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
    ).order_by("pk")
    notice_publish(notice=notice, contacts=contacts, at=at, channels=1)
    audit_record(
        actor=actor,
        action="incident.plan_sent",
        target=incident,
        at=at,
        after={"plan": plan.pk, "kind": plan.kind},
    )
    return notice


@dataclass(frozen=True)
class PlanTarget:
    plan: ContinuationPlan
    contact: Contact
    answer: PlanAnswer | None


def _bad_link() -> NotFoundError:
    return NotFoundError(
        IncidentErrorCode.BAD_SURVEY_LINK, _("This link is not valid or has expired.")
    )


def plan_target(*, token: str) -> PlanTarget:
    """Whose signed plan link this is; refused when forged, too old, or not sent."""
    try:
        data = signing.loads(token, salt=PLAN_SALT, max_age=int(PLAN_LINK_MAX_AGE.total_seconds()))
    except signing.BadSignature:
        raise _bad_link() from None
    plan = (
        ContinuationPlan.objects.select_related("incident")
        .filter(pk=data.get("p"), sent_at__isnull=False)
        .first()
    )
    contact = Contact.objects.filter(pk=data.get("c")).first()
    if plan is None or contact is None:
        raise _bad_link()
    if not IncidentContact.objects.filter(incident=plan.incident, contact=contact).exists():
        raise _bad_link()
    answer = PlanAnswer.objects.filter(plan=plan, contact=contact).first()
    return PlanTarget(plan=plan, contact=contact, answer=answer)


@transaction.atomic
def plan_answer(*, token: str, accept: bool, question: str, at: datetime) -> PlanAnswer:
    """Store the contact's answer (the signed link is the proof); a later answer replaces
    the earlier one. A question goes to the desk as the customer's message."""
    target = plan_target(token=token)
    text = question.strip()[:4000]
    if not accept and not text:
        raise DomainError(
            IncidentErrorCode.EMPTY_TEXT, _("Write your question, or accept the plan.")
        )
    case = _ask(target, text, at=at) if text else None
    answer, _created = PlanAnswer.objects.update_or_create(
        plan=target.plan,
        contact=target.contact,
        defaults={
            "decision": PlanAnswer.Decision.ACCEPTED if accept else PlanAnswer.Decision.QUESTION,
            "question": text,
            "case": case,
            "answered_at": at,
        },
    )
    audit_record(
        actor=None,
        action="incident.plan_answered",
        target=target.plan.incident,
        at=at,
        after={"plan": target.plan.pk, "contact": target.contact.pk, "decision": answer.decision},
    )
    return answer


def _ask(target: PlanTarget, text: str, *, at: datetime) -> Case:
    incident, contact = target.plan.incident, target.contact
    linked = (
        Case.objects.filter(
            contact=contact,
            pk__in=IncidentCase.objects.filter(incident=incident).values("case_id"),
        )
        .exclude(status=Case.Status.CLOSED)
        .order_by("-created_at")
        .first()
    )
    channel = next((c for c in contact.preferred_channels if c in REACHABLE_CHANNELS), "email")
    if linked is not None:
        case_services.message_receive(
            case=linked, contact=contact, body=text, channel=channel, at=at
        )
        return linked
    with translation.override(contact.language or "zh-hans"):
        subject = str(_("Question about the plan for %(title)s")) % {"title": incident.title}
    case = case_services.case_open(
        actor=None, contact=contact, subject=subject, body=text, channel=channel, at=at
    )
    IncidentCase.objects.get_or_create(incident=incident, case=case, defaults={"linked_at": at})
    return case
