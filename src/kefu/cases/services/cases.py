"""Opening cases, messages in and out, status, details, assignment, merge and links."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.assist.engine import Reading
from kefu.cases import delivery, hooks, search
from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, Message, ReplyDraft
from kefu.cases.services._common import (
    cas_update,
    case_search_terms_add,
    require_open,
    require_text,
)
from kefu.cases.services.coach import (
    first_message_reading,
    first_reading_record,
    message_read,
)
from kefu.cases.services.outbox import message_hold
from kefu.cases.services.sla import (
    sla_after_reply,
    sla_pause,
    sla_reopen,
    sla_resume,
    sla_start,
    sla_stop,
)
from kefu.cases.tasks import deliver_message
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.models import Department, Team, User
from kefu.core.process_cache import TtlCache
from kefu.core.roles import Perm
from kefu.customers.holding import contact_release_at
from kefu.customers.models import Channel, Contact, Organisation, Project
from kefu.customers.quiet_hours import Urgency

INTAKE_DEPARTMENT_CODE = "service"

P = ParamSpec("P")

_ALLOWED: dict[str, set[str]] = {
    Case.Status.NEW: {"open", "waiting_customer", "waiting_department", "resolved", "closed"},
    Case.Status.OPEN: {"waiting_customer", "waiting_department", "resolved", "closed"},
    Case.Status.WAITING_CUSTOMER: {"open", "waiting_department", "resolved", "closed"},
    Case.Status.WAITING_DEPARTMENT: {"open", "waiting_customer", "resolved", "closed"},
    Case.Status.RESOLVED: {"open", "closed"},
    Case.Status.CLOSED: {"open"},
}


@dataclass(frozen=True)
class IncomingAttachment:
    filename: str
    content_type: str
    content: bytes


def intake_department() -> Department:
    """Where new cases land: the service centre, else the first department."""
    department = (
        Department.objects.filter(code=INTAKE_DEPARTMENT_CODE).first()
        or Department.objects.order_by("pk").first()
    )
    if department is None:
        department = Department.objects.create(name="客服中心", code=INTAKE_DEPARTMENT_CODE)
    return department


def _department_team(department: Department) -> Team | None:
    return Team.objects.filter(department=department).order_by("pk").first()


def _intake_load() -> tuple[Department, Team | None]:
    department = intake_department()
    return department, _department_team(department)


#: The intake department and its first team, read once per process for a while
#: (every channel-opened case lands there; see ``kefu.core.process_cache``).
intake_cache: TtlCache[tuple[Department, Team | None]] = TtlCache(_intake_load)


def _inbound(
    *,
    case: Case,
    contact: Contact,
    body: str,
    channel: str,
    at: datetime,
    external_id: str | None,
    body_html: str,
    attachments: Sequence[IncomingAttachment],
    in_reply_to: str = "",
    reading: dict[str, Any] | None = None,
) -> Message:
    """Store the customer's message and its attachments on ``case`` (with the
    coach's ``reading`` fields when it was read before it is stored)."""
    message = Message.objects.create(
        case=case,
        direction=Message.Direction.INBOUND,
        channel=channel,
        contact=contact,
        body=body,
        body_html=body_html,
        created_at=at,
        external_id=external_id,
        in_reply_to=in_reply_to[:300],
        **(reading or {}),
    )
    _save_attachments(message, attachments)
    return message


def _save_attachments(message: Message, attachments: Sequence[IncomingAttachment]) -> None:
    from django.core.files.base import ContentFile

    for item in attachments:
        message.attachments.create(
            filename=item.filename[:255],
            content_type=item.content_type[:100],
            size=len(item.content),
            file=ContentFile(item.content, name=item.filename[:200] or "attachment"),
        )


@transaction.atomic
def case_open_message(
    *,
    actor: User | None,
    contact: Contact,
    subject: str,
    body: str,
    channel: str,
    at: datetime,
    organisation: Organisation | None = None,
    project: Project | None = None,
    category: str = Case.Category.ENQUIRY,
    priority: str = Case.Priority.NORMAL,
    department: Department | None = None,
    team: Team | None = None,
    owner: User | None = None,
    external_id: str | None = None,
    body_html: str = "",
    attachments: Sequence[IncomingAttachment] = (),
) -> Message:
    """Open a case from the customer's first message and start its SLA clocks;
    returns that message (its ``case`` is the new case). ``case_open`` returns
    the case.

    ``actor`` None means a channel opened it (mail, webhook). The message is
    stored as the customer's inbound message, read by the coach before it is
    written: message and case are each written once with the reading, and a
    priority the reading raises is the one the SLA clocks start on.
    """
    if actor is not None:
        authorize(actor, Perm.WORK_CASES)
    subject = subject.strip()[:300] or str(_("(no subject)"))
    if department is None and team is None:
        department, team = intake_cache.get()
        if team is None:
            # A desk without a team yet: read again next time rather than keep "none".
            intake_cache.clear()
    else:
        department = department or (team.department if team else intake_department())
        if team is None:
            team = _department_team(department)
    case = Case.objects.create(
        # Unique until the real reference (from the id) replaces it below.
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        subject=subject,
        contact=contact,
        organisation=organisation or contact.organisation,
        project=project,
        channel=channel,
        category=category,
        priority=priority,
        status=Case.Status.NEW,
        owner=owner,
        team=team,
        department=department,
        created_at=at,
        updated_at=at,
        search_terms=search.merge_terms("", f"{subject}\n{body}"),
    )
    first = first_message_reading(case=case, body=body)
    case.reference = f"KF-{at:%Y}-{case.pk:06d}"
    fields = {"reference": case.reference, **first.case_fields, **sla_start(case, at=at)}
    Case.objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)
    message = _inbound(
        case=case,
        contact=contact,
        body=body,
        channel=channel,
        at=at,
        external_id=external_id,
        body_html=body_html,
        attachments=attachments,
        reading=first.message_fields,
    )
    case_event_record(case=case, kind="opened", at=at, actor=actor, channel=channel)
    first_reading_record(case=case, first=first, at=at)
    audit_record(actor=actor, action="case.opened", target=case, at=at, after={"channel": channel})
    # Everything written above is on ``case`` too, with its contact, organisation
    # and team: the handlers need not read it again.
    hooks.case_hook(case, hooks.CASE_OPENED, at=at, actor=actor, case_current=True, message=message)
    _hook_flagged(case, message, first.reading, at=at)
    return message


def _returning_case(open_message: Callable[P, Message]) -> Callable[P, Case]:
    @functools.wraps(open_message)
    def opened(*args: P.args, **kwargs: P.kwargs) -> Case:
        return open_message(*args, **kwargs).case

    return opened


#: ``case_open_message`` returning the new case.
case_open = _returning_case(case_open_message)


def _hook_flagged(case: Case, message: Message, reading: Reading, *, at: datetime) -> None:
    if reading.upset or reading.threat:
        hooks.case_hook(
            case,
            hooks.COACH_FLAGGED,
            at=at,
            message=message,
            upset=reading.upset,
            threat=bool(reading.threat),
        )


@transaction.atomic
def message_receive(
    *,
    case: Case,
    contact: Contact,
    body: str,
    channel: str,
    at: datetime,
    external_id: str | None = None,
    body_html: str = "",
    in_reply_to: str = "",
    attachments: Sequence[IncomingAttachment] = (),
) -> Message:
    """Add the customer's message to ``case``.

    A resolved or closed case opens again; a case waiting on the customer
    starts its SLA clocks again. The same ``external_id`` twice raises
    ``IntegrityError`` (callers look it up first and treat it as a repeat).
    """
    message = _inbound(
        case=case,
        contact=contact,
        body=body,
        channel=channel,
        at=at,
        external_id=external_id,
        body_html=body_html,
        in_reply_to=in_reply_to,
        attachments=attachments,
    )
    fields: dict[str, object] = {}
    reopened = case.status in (Case.Status.RESOLVED, Case.Status.CLOSED)
    if case.status == Case.Status.WAITING_CUSTOMER:
        fields["status"] = Case.Status.OPEN
        fields.update(sla_resume(case, at=at))
    elif reopened:
        fields["status"] = Case.Status.OPEN
        fields.update(sla_reopen(case, at=at))
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=at, **fields)
    case_search_terms_add(case=case, text=body)
    case.refresh_from_db()
    case_event_record(case=case, kind="customer_wrote", at=at, actor=None, channel=channel)
    reading = message_read(message=message, at=at)
    hooks.case_hook(case, hooks.CUSTOMER_REPLIED, at=at, message=message, reopened=reopened)
    _hook_flagged(case, message, reading, at=at)
    return message


def customer_notice(
    *,
    case: Case,
    body: str,
    at: datetime,
    author: User | None,
    prefer: str | None = None,
    required: bool = False,
    routine: bool = False,
    purpose: str = "",
) -> list[Message]:
    """Send ``body`` to the case's contact on the first reachable channel
    (``prefer``, then the contact's preferred order) and queue its delivery.

    ``purpose`` says what the message is for (a ``channels.SmsPurpose`` value such
    as "survey_invitation"; "" is a reply waiting): template channels pick the
    approved template of that purpose.

    When no channel reaches the contact, a ``required`` message (a reply) is
    refused; any other notice is kept on the case as undeliverable, so the
    agent sees it must be given by phone. A ``routine`` message (sent by the
    clock with nobody waiting on it: a survey, a reminder) written during the
    contact's quiet hours is ``held`` until they end (``outbox.message_hold``).
    """
    channels = delivery.reachable_channels(case.contact, prefer=prefer or case.channel)
    if not channels and required:
        raise DomainError(
            CaseErrorCode.NO_CONTACT_CHANNEL,
            _("The contact has no address on any channel; add a phone number or email first."),
        )
    message = Message.objects.create(
        case=case,
        direction=Message.Direction.OUTBOUND,
        channel=channels[0] if channels else case.channel,
        author=author,
        contact=case.contact,
        body=body,
        created_at=at,
        delivery_status="queued" if channels else "undeliverable",
        purpose=purpose,
    )
    if channels and routine:
        release = contact_release_at(case.contact, now=at, urgency=Urgency.ROUTINE)
        if release is not None:
            message_hold(message=message, until=release)
            return [message]
    if channels:
        transaction.on_commit(lambda: deliver_message.enqueue(message_id=message.pk))
    return [message]


@transaction.atomic
def case_reply(
    *,
    actor: User,
    case: Case,
    body: str,
    at: datetime,
    version: int | None = None,
    channel: str | None = None,
) -> Message:
    """Reply to the customer on ``channel`` (one of the contact's reachable channels,
    else ``channel_unreachable``); without one, on the case's channel or the next
    reachable one.

    Meets the first response and restarts the update cadence. A new case
    becomes open and, without an owner, the replying agent takes it. The
    agent's saved draft on the case is cleared.
    """
    authorize(actor, Perm.WORK_CASES)
    if channel:
        require_reachable(case, channel)
    if version is None:
        # No version given (an API client that did not read the case first): wait for
        # any other writer instead of refusing, so two replies at once both go out.
        case = Case.objects.select_for_update().get(pk=case.pk)
    require_open(case)
    text = require_text(body, CaseErrorCode.EMPTY_MESSAGE, _("Write a reply first."))
    fields: dict[str, object] = {}
    if case.first_response_at is None:
        fields["first_response_at"] = at
    if case.status == Case.Status.NEW:
        fields["status"] = Case.Status.OPEN
    if case.owner_id is None:
        fields["owner"] = actor
    fields.update(sla_after_reply(case, at=at))
    cas_update(case, at=at, version=version, **fields)
    case_search_terms_add(case=case, text=text)
    (message,) = customer_notice(
        case=case, body=text, at=at, author=actor, prefer=channel or None, required=True
    )
    ReplyDraft.objects.filter(case=case, user=actor).delete()
    case_event_record(
        case=case,
        kind="replied",
        at=at,
        actor=actor,
        channel=message.channel,
        message=message.pk,
    )
    hooks.case_hook(case, hooks.AGENT_REPLIED, at=at, actor=actor, message=message)
    return message


def require_reachable(case: Case, channel: str) -> None:
    """Refuse ``channel`` unless the case's contact can be reached on it."""
    if channel not in delivery.reachable_channels(case.contact):
        raise DomainError(
            CaseErrorCode.CHANNEL_UNREACHABLE,
            _("The customer cannot be reached by %(channel)s; choose another channel."),
            channel=channel_label(channel),
        )


def channel_label(channel: str) -> str:
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


@transaction.atomic
def case_note(*, actor: User, case: Case, body: str, at: datetime) -> Message:
    """Add an internal note the customer never sees."""
    authorize(actor, Perm.WORK_CASES)
    text = require_text(body, CaseErrorCode.EMPTY_MESSAGE, _("Write the note first."))
    message = Message.objects.create(
        case=case,
        direction=Message.Direction.NOTE,
        channel=case.channel,
        author=actor,
        body=text,
        created_at=at,
    )
    Case.objects.filter(pk=case.pk).update(updated_at=at)
    case_search_terms_add(case=case, text=text)
    case_event_record(case=case, kind="note", at=at, actor=actor)
    return message


def _status_label(value: str) -> str | Promise:
    return Case.Status(value).label if value in Case.Status.values else value


@transaction.atomic
def case_set_status(
    *, actor: User, case: Case, status: str, at: datetime, version: int | None = None
) -> Case:
    """Move the case to ``status``; waiting on the customer stops the SLA clocks."""
    authorize(actor, Perm.WORK_CASES)
    before = case.status
    if status not in _ALLOWED.get(before, set()):
        raise DomainError(
            CaseErrorCode.INVALID_STATUS,
            _("A case cannot go from %(before)s to %(after)s."),
            before=_status_label(before),
            after=_status_label(status),
        )
    fields: dict[str, object] = {"status": status}
    if status == Case.Status.WAITING_CUSTOMER:
        fields.update(sla_pause(case, at=at))
    elif status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        fields.update(sla_stop(case, at=at))
        fields["resolved_at"] = case.resolved_at or at
        if status == Case.Status.CLOSED:
            fields["closed_at"] = at
    elif before == Case.Status.WAITING_CUSTOMER:
        fields.update(sla_resume(case, at=at))
    elif before in (Case.Status.RESOLVED, Case.Status.CLOSED):
        fields.update(sla_reopen(case, at=at))
    cas_update(case, at=at, version=version, **fields)
    case_event_record(
        case=case, kind="status_changed", at=at, actor=actor, before=before, after=status
    )
    audit_record(
        actor=actor,
        action="case.status_changed",
        target=case,
        at=at,
        before={"status": before},
        after={"status": status},
    )
    hooks.case_hook(case, hooks.STATUS_CHANGED, at=at, actor=actor, before=before, after=status)
    return case


UPDATABLE = ("subject", "priority", "category", "tags", "is_confidential", "project_id")


@transaction.atomic
def case_update(
    *, actor: User, case: Case, at: datetime, version: int, changes: dict[str, object]
) -> Case:
    """Change the case's details (``UPDATABLE`` fields) if nobody changed it since ``version``.

    Changing ``is_confidential`` needs ``APPROVE_ESCALATIONS`` (team leads and up):
    otherwise ``confidentiality_needs_lead`` and nothing is written.
    """
    authorize(actor, Perm.WORK_CASES)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    before = {name: getattr(case, name) for name in changes}
    changed = {k: v for k, v in changes.items() if before[k] != v}
    if not changed:
        return case
    if "is_confidential" in changed and not actor.has_role_perm(Perm.APPROVE_ESCALATIONS):
        # Switching confidentiality off shows the case to every department; on, hides it.
        raise PermissionDeniedError(
            CaseErrorCode.CONFIDENTIALITY_NEEDS_LEAD,
            _("Only a team lead or above may change whether a case is confidential."),
        )
    cas_update(case, at=at, version=version, **changed)
    case_event_record(
        case=case, kind="updated", at=at, actor=actor, fields=", ".join(sorted(changed))
    )
    audit_record(
        actor=actor,
        action="case.updated",
        target=case,
        at=at,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return case


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, owner: User, at: datetime, version: int | None = None
) -> Case:
    """Give the case to ``owner`` (an agent takes it themself; a lead assigns anyone)."""
    if owner.pk == actor.pk:
        authorize(actor, Perm.WORK_CASES)
    else:
        authorize(actor, Perm.APPROVE_ESCALATIONS)
    before = case.owner.get_username() if case.owner else None
    cas_update(case, at=at, version=version, owner=owner)
    case_event_record(case=case, kind="assigned", at=at, actor=actor, owner=str(owner))
    audit_record(
        actor=actor,
        action="case.assigned",
        target=case,
        at=at,
        before={"owner": before},
        after={"owner": owner.get_username()},
    )
    return case


def case_watch(*, actor: User, case: Case, watching: bool) -> None:
    """Start or stop watching the case."""
    authorize(actor, Perm.WORK_CASES)
    if watching:
        case.watchers.add(actor)
    else:
        case.watchers.remove(actor)


def render_in(language: str, message: object, **params: object) -> str:
    """Render a lazily translated ``message`` with ``params`` in ``language`` (the
    customer's); lazily translated parameters are rendered in that language too."""
    with translation.override(language):
        return str(message) % {key: str(value) for key, value in params.items()}
