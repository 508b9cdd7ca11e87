"""The conflict coach on the desk: read each customer message, route on the
reading, and keep the complaint playbook of a case.

The reading itself is the coach's pure core (``kefu.assist.engine``); this
module stores it on the message, raises the priority and SLA tier of a case
whose customer is upset or threatening to escalate, and tells the team lead at
once when a customer threatens to go over heads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.assist.engine import PLAYBOOK_STEPS, Reading, playbook_evidence, read_customer
from kefu.assist.selectors import active_lexicon
from kefu.cases import notification_kinds
from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Commitment, Message, PlaybookStep
from kefu.cases.services._common import person_for
from kefu.cases.services.sla import sla_tighten
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send

# Readings at or above these raise the case to HIGH or URGENT.
RISK_HIGH = 0.5
RISK_URGENT = 0.8
# How many earlier customer messages the reading looks back on.
HISTORY = 5
_RANK = {p: i for i, p in enumerate(Case.Priority.values)}


def _first_context(case: Case) -> dict[str, Any]:
    # The message that opened the case: nothing came before it, and a case this
    # new has no breach or commitment yet.
    return {
        "contact_count": 1,
        "prior_failure": case.breach_count > 0 or case.has_overdue_commitment,
        "history": [],
    }


def _context(case: Case, message: Message) -> dict[str, Any]:
    earlier = list(
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .exclude(pk=message.pk)
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)[:HISTORY]
    )
    prior_failure = (
        case.breach_count > 0
        or case.has_overdue_commitment
        or Commitment.objects.filter(case=case, status=Commitment.Status.BROKEN).exists()
    )
    inbound = Message.objects.filter(case=case, direction=Message.Direction.INBOUND).count()
    return {
        "contact_count": inbound,
        "prior_failure": prior_failure,
        "history": list(reversed(earlier)),
    }


def _wanted_priority(reading: Reading) -> str | None:
    if reading.threat or reading.escalation_risk >= RISK_URGENT:
        return Case.Priority.URGENT
    if reading.upset or reading.escalation_risk >= RISK_HIGH:
        return Case.Priority.HIGH
    return None


def _stored(reading: Reading, version: object) -> dict[str, Any]:
    """The message fields that hold ``reading`` (read with lexicon ``version``)."""
    return {
        "reading": {**reading.to_json(), "lexicon": version},
        "sentiment": reading.sentiment,
        "upset": reading.upset,
        "threat": reading.threat,
        "escalation_risk": reading.escalation_risk,
    }


@dataclass(frozen=True)
class FirstReading:
    """The coach's reading of the message that opens a case, taken before either is
    stored so both are written once (``case_open``)."""

    reading: Reading
    #: Fields of the message that hold the reading.
    message_fields: dict[str, Any]
    #: Fields of the case: the customer's mood, and the priority when it rose.
    case_fields: dict[str, Any]
    #: The priority the case had before the reading raised it, else None.
    raised_from: str | None


def first_message_reading(*, case: Case, body: str) -> FirstReading:
    """Read the opening message of ``case`` (just inserted, before its SLA clocks
    start): a raised priority is set on ``case`` here, so the clocks start on it."""
    lexicon = active_lexicon()
    reading = read_customer(body, _first_context(case), lexicon)
    fields: dict[str, Any] = {
        "customer_upset": reading.upset,
        "escalation_risk": reading.escalation_risk,
    }
    wanted = _wanted_priority(reading)
    raised_from = None
    if wanted is not None and _RANK[wanted] > _RANK[case.priority]:
        raised_from = case.priority
        case.priority = str(wanted)
        fields["priority"] = case.priority
    for name, value in fields.items():
        setattr(case, name, value)
    return FirstReading(reading, _stored(reading, lexicon.version), fields, raised_from)


def first_reading_record(*, case: Case, first: FirstReading, at: datetime) -> None:
    """What the coach does once the opening message and its case are stored: the
    priority it raised on the timeline, and the lead told of a threat."""
    if first.raised_from is not None:
        case_event_record(
            case=case,
            kind="coach_priority",
            at=at,
            actor=None,
            before=first.raised_from,
            after=case.priority,
            risk=first.reading.escalation_risk,
        )
    if first.reading.threat:
        _alert_lead(case, first.reading, at=at)


def message_read(*, message: Message, at: datetime) -> Reading:
    """Read a customer's later message, store the reading on it and route the case.

    Called inside the transaction that stored the message, so the reading and
    the message land together (``case_open`` reads its opening message with
    :func:`first_message_reading`, before storing it).
    """
    case = message.case
    lexicon = active_lexicon()
    reading = read_customer(message.body, _context(case, message), lexicon)
    stored = _stored(reading, lexicon.version)
    Message.objects.filter(pk=message.pk).update(**stored)
    # The caller's copy says what was stored (routing reads the threat from it).
    for name, value in stored.items():
        setattr(message, name, value)
    fields: dict[str, object] = {
        "customer_upset": reading.upset,
        "escalation_risk": reading.escalation_risk,
    }
    wanted = _wanted_priority(reading)
    raised = wanted is not None and _RANK[wanted] > _RANK[case.priority]
    if raised:
        before = case.priority
        case.priority = str(wanted)
        fields["priority"] = case.priority
        fields.update(sla_tighten(case, at=at))
        case_event_record(
            case=case,
            kind="coach_priority",
            at=at,
            actor=None,
            before=before,
            after=case.priority,
            risk=reading.escalation_risk,
        )
    Case.objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)
    if reading.threat:
        _alert_lead(case, reading, at=at)
    return reading


def _alert_lead(case: Case, reading: Reading, *, at: datetime) -> None:
    """A threat to escalate: the team lead hears of it at once, not at the next breach."""
    lead = person_for(case, "team_lead") or person_for(case, "department_manager")
    case_event_record(
        case=case, kind="coach_threat", at=at, actor=None, kinds=list(reading.threat_kinds)
    )
    if lead is None:
        return
    notification_send(
        recipient=lead,
        code=notification_kinds.THREAT,
        link=f"/cases/{case.pk}/",
        at=at,
        params={"reference": case.reference, "kinds": list(reading.threat_kinds)},
    )


def playbook_state(case: Case) -> list[dict[str, Any]]:
    """The complaint playbook of ``case``: each step, whether it is done and how."""
    done = {row.step: row for row in case.playbook.select_related("done_by")}
    seen: set[str] = set()
    lexicon = active_lexicon()
    for body in Message.objects.filter(
        case=case, direction=Message.Direction.OUTBOUND, author__isnull=False
    ).values_list("body", flat=True):
        seen |= playbook_evidence(body, lexicon)
    if case.commitments.exists():
        seen.add("commit")
    if Message.objects.filter(case=case, direction=Message.Direction.INBOUND).exists():
        seen.add("listen")
    if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        seen.add("agree")
    steps = []
    for step in PLAYBOOK_STEPS:
        row = done.get(step)
        steps.append(
            {
                "step": step,
                "done": row is not None or step in seen,
                "ticked": row is not None,
                "seen": step in seen,
                "done_by": row.done_by if row else None,
            }
        )
    next_step = next((s for s in steps if not s["done"]), None)
    for s in steps:
        s["next"] = s is next_step
    return steps


@transaction.atomic
def playbook_tick(*, actor: User, case: Case, step: str, done: bool, at: datetime) -> None:
    """Tick (or untick) a step of the complaint playbook by hand."""
    authorize(actor, Perm.WORK_CASES)
    if step not in PLAYBOOK_STEPS:
        raise DomainError(
            CaseErrorCode.UNKNOWN_PLAYBOOK_STEP,
            _("Unknown playbook step %(step)s."),
            step=step,
        )
    if done:
        PlaybookStep.objects.get_or_create(
            case=case, step=step, defaults={"done_by": actor, "done_at": at}
        )
    else:
        PlaybookStep.objects.filter(case=case, step=step).delete()
    case_event_record(
        case=case, kind="playbook", at=at, actor=actor, step=step, done="1" if done else "0"
    )
