"""Phone calls reported by the telephony system or an agent, kept on cases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.calls import LoggedCall
from kefu.cases.events import case_event_record
from kefu.cases.models import Case
from kefu.cases.selectors import OPEN_STATUSES, access_case_by_reference, visible_cases
from kefu.cases.services import case_open
from kefu.channels.contacts import contact_for_phone
from kefu.channels.errors import ChannelErrorCode
from kefu.channels.models import CallRecord
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.phones import phone_display

_NUMBER = re.compile(r"^\+?[0-9][0-9 ()\-]{0,38}$")


@dataclass(frozen=True)
class CallResult:
    """The call stored. ``is_duplicate``: the same ``external_id`` was reported before."""

    call: CallRecord
    is_duplicate: bool


def call_record(
    *,
    actor: User,
    direction: str,
    from_number: str,
    to_number: str,
    started_at: datetime,
    duration_seconds: int,
    at: datetime,
    recording_url: str = "",
    agent_username: str = "",
    notes: str = "",
    case_reference: str = "",
    external_id: str = "",
) -> CallResult:
    """Keep one call on a case. Needs ``WORK_CASES``.

    The case is, in order: ``case_reference`` (one ``actor`` may see), the
    customer's latest open case ``actor`` may see, or a new phone case with
    ``notes`` as its first message. The customer's number is ``from_number``
    for an inbound call and ``to_number`` for an outbound one; an unknown
    number becomes a new contact. A repeated ``external_id`` returns the first
    record and stores nothing.
    """
    authorize(actor, Perm.WORK_CASES)
    if external_id:
        earlier = _earlier(external_id)
        if earlier is not None:
            return CallResult(call=earlier, is_duplicate=True)
    try:
        call = _record(
            actor=actor,
            direction=direction,
            from_number=_clean_number(from_number),
            to_number=_clean_number(to_number),
            started_at=started_at,
            duration_seconds=duration_seconds,
            at=at,
            recording_url=_clean_url(recording_url),
            agent=_agent(agent_username) if agent_username else None,
            notes=notes.strip(),
            case_reference=case_reference.strip(),
            external_id=external_id or None,
        )
    except IntegrityError:
        # The same call was reported twice at the same moment; the other report won.
        earlier = _earlier(external_id) if external_id else None
        if earlier is None:
            raise
        return CallResult(call=earlier, is_duplicate=True)
    return CallResult(call=call, is_duplicate=False)


def _earlier(external_id: str) -> CallRecord | None:
    return (
        CallRecord.objects.select_related("case", "agent").filter(external_id=external_id).first()
    )


@transaction.atomic
def _record(
    *,
    actor: User,
    direction: str,
    from_number: str,
    to_number: str,
    started_at: datetime,
    duration_seconds: int,
    at: datetime,
    recording_url: str,
    agent: User | None,
    notes: str,
    case_reference: str,
    external_id: str | None,
) -> CallRecord:
    inbound = direction == CallRecord.Direction.INBOUND
    customer_number = from_number if inbound else to_number
    case = _case_for(
        actor=actor,
        case_reference=case_reference,
        customer_number=customer_number,
        inbound=inbound,
        notes=notes,
        duration_seconds=duration_seconds,
        owner=agent,
        at=min(started_at, at),
    )
    call = CallRecord.objects.create(
        case=case,
        direction=direction,
        from_number=from_number,
        to_number=to_number,
        started_at=started_at,
        duration_seconds=duration_seconds,
        recording_url=recording_url,
        agent=agent,
        notes=notes,
        external_id=external_id,
        created_at=at,
    )
    case_event_record(
        case=case,
        kind="call_logged",
        at=at,
        actor=actor,
        direction=direction,
        minutes=round(duration_seconds / 60, 1),
    )
    # No phone numbers in the audit log (personal data).
    audit_record(
        actor=actor,
        action="call.recorded",
        target=call,
        at=at,
        after={
            "case": case.reference,
            "direction": direction,
            "duration_seconds": duration_seconds,
            "agent": agent.get_username() if agent else None,
        },
    )
    return call


def _case_for(
    *,
    actor: User,
    case_reference: str,
    customer_number: str,
    inbound: bool,
    notes: str,
    duration_seconds: int,
    owner: User | None,
    at: datetime,
) -> Case:
    if case_reference:
        return access_case_by_reference(actor, case_reference)
    contact = contact_for_phone(number=customer_number, at=at)
    latest = (
        visible_cases(actor)
        .filter(contact=contact, status__in=OPEN_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None:
        return latest
    params = {
        "number": phone_display(contact.phone) or customer_number,
        "minutes": round(duration_seconds / 60, 1),
    }
    subject = (_("Call from %(number)s") if inbound else _("Call to %(number)s")) % params
    summary = _("Phone call with %(number)s, %(minutes)s min.") % params
    return case_open(
        actor=actor,
        contact=contact,
        subject=str(subject),
        body=notes or str(summary),
        channel="phone",
        at=at,
        owner=owner,
    )


def _clean_number(number: str) -> str:
    number = number.strip()
    if not _NUMBER.match(number):
        raise DomainError(
            ChannelErrorCode.BAD_PHONE_NUMBER,
            _("A phone number holds digits, spaces, dashes, brackets and a leading +."),
        )
    return number


def _clean_url(url: str) -> str:
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise DomainError(
            ChannelErrorCode.BAD_RECORDING_URL,
            _("The recording URL must start with https:// or http://."),
        )
    return url


def _agent(username: str) -> User:
    agent = User.objects.filter(username=username, is_active=True).first()
    if agent is None:
        raise DomainError(
            ChannelErrorCode.UNKNOWN_AGENT, _("No active staff member %(name)r."), name=username
        )
    return agent


def desk_call_keep(call: LoggedCall) -> None:
    """Store a call an agent logged on the desk's new-case page as a call record
    (registered with ``cases.calls``). The case's history already has it; the audit
    entry names no phone number."""
    inbound = call.direction == CallRecord.Direction.INBOUND
    number = call.customer_number
    record = CallRecord.objects.create(
        case=call.case,
        direction=call.direction,
        from_number=number if inbound else "",
        to_number="" if inbound else number,
        started_at=call.at - timedelta(minutes=call.minutes),
        duration_seconds=call.minutes * 60,
        agent=call.actor,
        notes="",
        created_at=call.at,
    )
    audit_record(
        actor=call.actor,
        action="call.recorded",
        target=record,
        at=call.at,
        after={
            "case": call.case.reference,
            "direction": call.direction,
            "duration_seconds": record.duration_seconds,
            "agent": call.actor.get_username(),
        },
    )
