"""Writes of collaboration on a case. Every write is an event on the case's history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case
from kefu.cases.services import case_note
from kefu.collab import notification_kinds as kinds
from kefu.collab.models import (
    CaseMeeting,
    CheckInRhythm,
    Collaborator,
    SideConversation,
    SideMessage,
    TaskForce,
)
from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, PermissionDeniedError
from kefu.core.ics import invitation_ics
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.core.timefmt import iso

CHECK_IN_JOB = "collab.check_in"


def _text(value: str, message: object) -> str:
    text = value.strip()
    if not text:
        raise DomainError(CaseErrorCode.EMPTY_MESSAGE, message)  # type: ignore[arg-type]
    return text


def _link(case: Case) -> str:
    return f"/cases/{case.pk}/"


@transaction.atomic
def collaborator_invite(
    *, actor: User, case: Case, user: User, task: str, due_at: datetime | None, at: datetime
) -> Collaborator:
    """Invite ``user`` (of any department) onto ``case`` with a task. They watch the case,
    so they see it even when it is confidential, and can add internal notes."""
    authorize(actor, Perm.WORK_CASES)
    if not user.is_active:
        raise DomainError(CaseErrorCode.NOT_FOUND, _("Choose an active colleague."))
    if user.pk == case.owner_id:
        raise DomainError(CaseErrorCode.INVALID_STATUS, _("The owner already works on this case."))
    text = _text(task, _("Say what you need from them."))
    item = Collaborator.objects.create(
        case=case, user=user, task=text, due_at=due_at, invited_by=actor, invited_at=at
    )
    case.watchers.add(user)
    case_event_record(
        case=case,
        kind="collab_invited",
        at=at,
        actor=actor,
        person=str(user),
        department=str(user.department or ""),
        task=text,
        due=iso(due_at) if due_at else "",
    )
    notification_send(
        recipient=user,
        code=kinds.INVITED,
        params={
            "inviter": str(actor),
            "ref": case.reference,
            "task": text,
            "due": iso(due_at) if due_at else "-",
        },
        link=_link(case),
        at=at,
    )
    audit_record(actor=actor, action="collab.invited", target=case, at=at, after={"user": user.pk})
    return item


@transaction.atomic
def collaborator_task_done(
    *, actor: User, item: Collaborator, note: str, at: datetime
) -> Collaborator:
    """The collaborator (or the case owner) marks the task done; the note goes on the case
    as an internal note, and the owner is told."""
    authorize(actor, Perm.WORK_CASES)
    case = item.case
    if actor.pk not in (item.user_id, case.owner_id) and not actor.has_role_perm(
        Perm.APPROVE_ESCALATIONS
    ):
        raise PermissionDeniedError(
            CaseErrorCode.NOT_FOUND,
            _("Only the collaborator or the case's owner can close this task."),
        )
    updated = Collaborator.objects.filter(pk=item.pk, done_at__isnull=True).update(
        done_at=at, done_note=note.strip()[:4000]
    )
    if not updated:
        raise DomainError(CaseErrorCode.INVALID_STATUS, _("This task is already done."))
    item.refresh_from_db()
    if item.done_note:
        case_note(actor=actor, case=case, body=item.done_note, at=at)
    case_event_record(
        case=case,
        kind="collab_task_done",
        at=at,
        actor=actor,
        person=str(item.user),
        task=item.task,
    )
    if case.owner is not None and case.owner_id != actor.pk:
        notification_send(
            recipient=case.owner,
            code=kinds.TASK_DONE,
            params={"person": str(item.user), "ref": case.reference, "task": item.task},
            link=_link(case),
            at=at,
        )
    return item


def collaborates_on(user: User, case: Case) -> bool:
    return Collaborator.objects.filter(case=case, user=user).exists()


# Side conversations -------------------------------------------------------------------


def _side_message_id(conversation: SideConversation, n: int) -> str:
    return f"<side.{conversation.token}.{n}@{settings.KEFU_EMAIL_DOMAIN}>"


@transaction.atomic
def side_conversation_start(
    *,
    actor: User,
    case: Case,
    party_name: str,
    party_email: str,
    subject: str,
    body: str,
    at: datetime,
) -> SideConversation:
    """Write to a third party (a supplier) about the case. Their answers thread back here
    and are never shown to the customer."""
    authorize(actor, Perm.WORK_CASES)
    email = party_email.strip()
    if "@" not in email or email.lower() == (case.contact.email or "").lower():
        raise DomainError(
            CaseErrorCode.NO_CONTACT_CHANNEL,
            _("Give the third party's e-mail address (not the customer's)."),
        )
    conversation = SideConversation.objects.create(
        case=case,
        subject=_text(subject, _("Give the conversation a subject.")),
        party_name=party_name.strip() or email,
        party_email=email,
        started_by=actor,
        started_at=at,
    )
    side_message_send(actor=actor, conversation=conversation, body=body, at=at)
    case_event_record(
        case=case, kind="collab_side_started", at=at, actor=actor, party=conversation.party_name
    )
    return conversation


@transaction.atomic
def side_message_send(
    *, actor: User, conversation: SideConversation, body: str, at: datetime
) -> SideMessage:
    authorize(actor, Perm.WORK_CASES)
    text = _text(body, _("Write the message first."))
    n = conversation.messages.count() + 1
    message = SideMessage.objects.create(
        conversation=conversation,
        direction=SideMessage.Direction.OUT,
        author=actor,
        body=text,
        message_id=_side_message_id(conversation, n),
        at=at,
    )
    earlier = list(
        conversation.messages.exclude(pk=message.pk)
        .exclude(message_id="")
        .values_list("message_id", flat=True)
    )
    headers = {"Message-ID": message.message_id}
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier[-10:])
    mail = EmailMessage(
        subject=f"{conversation.subject} [{conversation.case.reference}]",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[conversation.party_email],
        reply_to=[conversation.reply_address],
        headers=headers,
    )
    transaction.on_commit(lambda: mail.send(fail_silently=False))
    return message


@dataclass(frozen=True)
class SideReply:
    conversation: SideConversation
    message: SideMessage
    is_duplicate: bool


def side_reply_store(
    *,
    message_id: str,
    replied_to: Sequence[str],
    sender_email: str,
    body: str,
    at: datetime,
) -> SideReply | None:
    """File an e-mail that answers a side conversation (it names one of our side
    Message-IDs and comes from the party's domain); None when it answers none."""
    ids = [item for item in replied_to if item.startswith("<side.")]
    if not ids:
        return None
    earlier = (
        SideMessage.objects.select_related("conversation__case")
        .filter(message_id__in=ids, direction=SideMessage.Direction.OUT)
        .first()
    )
    if earlier is None:
        return None
    conversation = earlier.conversation
    domain = conversation.party_email.rsplit("@", 1)[-1].lower()
    if sender_email.rsplit("@", 1)[-1].lower() != domain:
        return None
    repeat = SideMessage.objects.filter(conversation=conversation, message_id=message_id).first()
    if repeat is not None:
        return SideReply(conversation=conversation, message=repeat, is_duplicate=True)
    try:
        with transaction.atomic():
            message = SideMessage.objects.create(
                conversation=conversation,
                direction=SideMessage.Direction.IN,
                body=body.strip() or "-",
                message_id=message_id,
                at=at,
            )
    except IntegrityError:
        repeat = SideMessage.objects.get(conversation=conversation, message_id=message_id)
        return SideReply(conversation=conversation, message=repeat, is_duplicate=True)
    case = conversation.case
    case_event_record(
        case=case, kind="collab_side_reply", at=at, actor=None, party=conversation.party_name
    )
    recipients = {u for u in (case.owner, conversation.started_by) if u is not None}
    for user in recipients:
        notification_send(
            recipient=user,
            code=kinds.SIDE_REPLY,
            params={"party": conversation.party_name, "ref": case.reference},
            link=_link(case),
            at=at,
        )
    return SideReply(conversation=conversation, message=message, is_duplicate=False)


# Meetings, check-ins, task force --------------------------------------------------------


def _people(case: Case) -> list[User]:
    """The owner, the collaborators and the task force: everyone working the case."""
    users: dict[int, User] = {}
    if case.owner is not None:
        users[case.owner.pk] = case.owner
    for item in Collaborator.objects.filter(case=case).select_related("user"):
        users.setdefault(item.user_id, item.user)
    force = TaskForce.objects.filter(case=case).first()
    if force is not None:
        users.setdefault(force.lead_id, force.lead)
        for member in force.members.all():
            users.setdefault(member.pk, member)
    return list(users.values())


def meeting_ics(meeting: CaseMeeting) -> bytes:
    return invitation_ics(
        uid=f"case-{meeting.case_id}-meeting-{meeting.pk}@{settings.KEFU_EMAIL_DOMAIN}",
        stamp=meeting.created_at,
        starts_at=meeting.starts_at,
        minutes=meeting.duration_minutes,
        summary=meeting.title,
        location=meeting.location,
        description=f"{meeting.case.reference} {meeting.location}",
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        parties=meeting.parties,
    )


@transaction.atomic
def case_meeting_schedule(
    *,
    actor: User,
    case: Case,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
    at: datetime,
    extra_emails: Sequence[str] = (),
) -> CaseMeeting:
    """A cross-department meeting on the case: everyone working it (and ``extra_emails``)
    gets an .ics invitation by e-mail and a notification."""
    authorize(actor, Perm.WORK_CASES)
    people = _people(case)
    parties: dict[str, str] = {u.email.lower(): str(u) for u in people if u.email}
    for email in extra_emails:
        if "@" in email.strip():
            parties.setdefault(email.strip().lower(), email.strip())
    if not parties:
        raise DomainError(
            CaseErrorCode.NO_CONTACT_CHANNEL,
            _("Nobody to invite: no one on the case has an e-mail."),
        )
    meeting = CaseMeeting.objects.create(
        case=case,
        title=_text(title, _("Give the meeting a title.")),
        starts_at=starts_at,
        duration_minutes=max(duration_minutes, 5),
        location=_text(location, _("Say where the meeting is, or give its link.")),
        parties=[{"name": name, "email": email} for email, name in parties.items()],
        created_by=actor,
        created_at=at,
    )
    ics = meeting_ics(meeting)
    mails = []
    for party in meeting.parties:
        mail = EmailMessage(
            subject=f"{meeting.title} [{case.reference}]",
            body=f"{meeting.title}\n{meeting.location}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[party["email"]],
        )
        mail.attach("invite.ics", ics, "text/calendar; method=REQUEST")
        mails.append(mail)
    transaction.on_commit(lambda: [m.send(fail_silently=True) for m in mails])
    for user in people:
        if user.pk != actor.pk:
            notification_send(
                recipient=user,
                code=kinds.MEETING,
                params={"ref": case.reference, "at": iso(starts_at), "title": meeting.title},
                link=_link(case),
                at=at,
            )
    case_event_record(
        case=case,
        kind="collab_meeting",
        at=at,
        actor=actor,
        title=meeting.title,
        starts=iso(starts_at),
    )
    return meeting


@transaction.atomic
def check_in_set(
    *, actor: User, case: Case, every_hours: int | None, at: datetime
) -> CheckInRhythm | None:
    """Set (or with None stop) the case's check-in rhythm."""
    authorize(actor, Perm.WORK_CASES)
    key = f"collab:check-in:{case.pk}"
    if not every_hours:
        CheckInRhythm.objects.filter(case=case).update(is_active=False)
        clock.job_cancel(key=key, at=at)
        case_event_record(case=case, kind="collab_check_in_stopped", at=at, actor=actor)
        return None
    if not 1 <= every_hours <= 24 * 14:
        raise DomainError(
            CaseErrorCode.INVALID_STATUS, _("Choose a rhythm between 1 hour and 14 days.")
        )
    due = at + timedelta(hours=every_hours)
    rhythm, _created = CheckInRhythm.objects.update_or_create(
        case=case,
        defaults={
            "every_hours": every_hours,
            "next_due_at": due,
            "set_by": actor,
            "is_active": True,
        },
    )
    clock.job_schedule(kind=CHECK_IN_JOB, key=key, due_at=due, payload={"case_id": case.pk})
    case_event_record(case=case, kind="collab_check_in_set", at=at, actor=actor, hours=every_hours)
    return rhythm


def check_in_due(*, case_id: int, now: datetime) -> bool:
    """The clock: remind everyone on the case to post a check-in, then move the rhythm on.
    A check-in posted since the last one (an internal note) counts; a closed case stops it."""
    rhythm = (
        CheckInRhythm.objects.select_related("case__owner")
        .filter(case_id=case_id, is_active=True)
        .first()
    )
    if rhythm is None or rhythm.next_due_at > now:
        return False
    case = rhythm.case
    if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        CheckInRhythm.objects.filter(pk=rhythm.pk).update(is_active=False)
        return False
    for user in _people(case):
        notification_send(
            recipient=user,
            code=kinds.CHECK_IN_DUE,
            params={"ref": case.reference, "hours": rhythm.every_hours},
            link=_link(case),
            at=now,
        )
    due = now + timedelta(hours=rhythm.every_hours)
    CheckInRhythm.objects.filter(pk=rhythm.pk).update(next_due_at=due, last_at=now)
    clock.job_schedule(
        kind=CHECK_IN_JOB,
        key=f"collab:check-in:{case.pk}",
        due_at=due,
        payload={"case_id": case.pk},
    )
    case_event_record(case=case, kind="collab_check_in_due", at=now, actor=None)
    return True


@transaction.atomic
def task_force_form(
    *, actor: User, case: Case, name: str, lead: User, members: Sequence[User], at: datetime
) -> TaskForce:
    """Form (or re-form) the case's task force; a lead or above forms it."""
    authorize(actor, Perm.APPROVE_ESCALATIONS)
    force, _created = TaskForce.objects.update_or_create(
        case=case,
        defaults={
            "name": _text(name, _("Give the task force a name.")),
            "lead": lead,
            "formed_at": at,
        },
    )
    force.members.set([m for m in members if m.pk != lead.pk])
    for user in {lead, *members}:
        case.watchers.add(user)
        if user.pk != actor.pk:
            notification_send(
                recipient=user,
                code=kinds.TASK_FORCE,
                params={"name": force.name, "ref": case.reference},
                link=_link(case),
                at=at,
            )
    case_event_record(
        case=case,
        kind="collab_task_force",
        at=at,
        actor=actor,
        name=force.name,
        lead=str(lead),
        members=len(members),
    )
    return force
