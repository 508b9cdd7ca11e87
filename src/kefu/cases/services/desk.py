"""Writes of the desk pages: a case opened by an agent (a call taken, a visitor, a mail
forwarded by hand), optionally for a contact created on the spot, and a case given to a team.

Both go through the services the API uses (``case_open``, ``contact_create``), so a page
accepts exactly what the API and the CSV import accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases import calls
from kefu.cases.events import case_event_record
from kefu.cases.models import Case
from kefu.cases.services._common import cas_update
from kefu.cases.services.cases import case_open
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.core.roles import Perm
from kefu.customers import services as customer_services
from kefu.customers.models import Contact, Organisation

# Channels an agent opens a case on by hand: a call, a mail or chat typed in, or a
# customer at the service counter.
DESK_CHANNELS = ("phone", "email", "chat", "walk_in")
CALL_DIRECTIONS = ("in", "out")
MAX_CALL_MINUTES = 600


class DeskErrorCode(StrEnum):
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_PRIORITY = "unknown_priority"
    BAD_CALL = "bad_call"
    CONTACT_REQUIRED = "contact_required"
    TEXT_REQUIRED = "text_required"
    OTHER_DEPARTMENT = "team_in_other_department"


@dataclass(frozen=True)
class NewContact:
    """A contact typed on the new-case page; created with ``contact_create``'s checks."""

    name: str
    phone: str = ""
    email: str = ""
    organisation: Organisation | None = None
    language: str = "zh-hans"


def _walk_in_channels(contact: NewContact) -> list[str]:
    return [
        channel for channel, value in (("phone", contact.phone), ("email", contact.email)) if value
    ]


@dataclass(frozen=True)
class CallNote:
    """The call behind a phone case: which way it went and how long it took."""

    direction: str
    minutes: int


def _check_choices(*, channel: str, category: str, priority: str, call: CallNote | None) -> None:
    if channel not in DESK_CHANNELS:
        raise DomainError(DeskErrorCode.UNKNOWN_CHANNEL, _("Choose phone, email, chat or walk-in."))
    if category not in Case.Category.values:
        raise DomainError(DeskErrorCode.UNKNOWN_CATEGORY, _("Choose a category from the list."))
    if priority not in Case.Priority.values:
        raise DomainError(DeskErrorCode.UNKNOWN_PRIORITY, _("Choose a priority from the list."))
    if channel == "phone" and (
        call is None
        or call.direction not in CALL_DIRECTIONS
        or not 0 <= call.minutes <= MAX_CALL_MINUTES
    ):
        raise DomainError(
            DeskErrorCode.BAD_CALL,
            _(
                "Say whether the customer called or you called, and for how many minutes "
                "(0-%(max)s)."
            ),
            max=MAX_CALL_MINUTES,
        )


@transaction.atomic
def case_open_at_desk(
    *,
    actor: User,
    contact: Contact | None,
    new_contact: NewContact | None = None,
    channel: str,
    subject: str,
    body: str,
    at: datetime,
    category: str = Case.Category.ENQUIRY,
    priority: str = Case.Priority.NORMAL,
    call: CallNote | None = None,
) -> Case:
    """Open a case an agent took by hand, owned by that agent. Needs ``WORK_CASES``.

    ``contact`` is an existing contact, or ``new_contact`` is created first (with the
    validation of ``contact_create``; an invalid phone or email raises and nothing is
    stored). ``body`` is the customer's first message or the agent's note of the call;
    a phone case needs ``call`` and records it in the history (``call_logged``) and,
    through ``cases.calls``, with the telephony's call records.
    """
    authorize(actor, Perm.WORK_CASES)
    _check_choices(channel=channel, category=category, priority=priority, call=call)
    if not subject.strip() or not body.strip():
        raise DomainError(
            DeskErrorCode.TEXT_REQUIRED, _("Write a subject and the message or call note.")
        )
    if contact is None:
        if new_contact is None:
            raise DomainError(
                DeskErrorCode.CONTACT_REQUIRED, _("Pick the customer or enter a new one.")
            )
        contact = customer_services.contact_create(
            actor=actor,
            organisation=new_contact.organisation,
            name=new_contact.name,
            phone=new_contact.phone,
            email=new_contact.email,
            language=new_contact.language,
            # A walk-in customer is answered by phone, else by e-mail.
            preferred_channels=[channel]
            if channel != "walk_in"
            else _walk_in_channels(new_contact),
            at=at,
        )
    team = actor.team
    case = case_open(
        actor=actor,
        contact=contact,
        subject=subject,
        body=body.strip(),
        channel=channel,
        at=at,
        category=category,
        priority=priority,
        team=team,
        owner=actor,
    )
    if channel == "phone" and call is not None:
        case_event_record(
            case=case,
            kind="call_logged",
            at=at,
            actor=actor,
            direction=call.direction,
            minutes=call.minutes,
        )
        # Kept with the telephony's calls, so answer rates and intraday counts see it.
        calls.keep(
            calls.LoggedCall(
                case=case,
                actor=actor,
                direction=call.direction,
                minutes=call.minutes,
                customer_number=contact.phone,
                at=at,
            )
        )
    return case


@transaction.atomic
def case_assign_team(
    *, actor: User, case: Case, team: Team, at: datetime, version: int | None = None
) -> Case:
    """Give the case to ``team``'s queue (its owner, if any, keeps it). Needs
    ``APPROVE_ESCALATIONS`` (team leads and up); another department's team is a
    transfer, not an assignment."""
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    if team.department_id != case.department_id:
        raise DomainError(
            DeskErrorCode.OTHER_DEPARTMENT,
            _("That team is in another department; transfer the case instead."),
        )
    before = case.team.name if case.team else None
    if case.team_id == team.pk:
        return case
    cas_update(case, at=at, version=version, team=team)
    case_event_record(case=case, kind="updated", at=at, actor=actor, fields="team")
    audit_record(
        actor=actor,
        action="case.team_assigned",
        target=case,
        at=at,
        before={"team": before},
        after={"team": team.name},
    )
    return case
