"""People: career history, coaching before discipline, exit records."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor.errors import PeopleErrorCode
from kefu.floor.models import (
    CareerEvent,
    CoachingConversation,
    DisciplinaryNote,
    ExitRecord,
)
from kefu.floor.services._common import require_watch


def _text(value: str, label: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise DomainError(PeopleErrorCode.EMPTY_TEXT, _("%(field)s cannot be empty."), field=label)
    return cleaned


def _looks_after(actor: User, agent: User) -> None:
    authorize(actor, Perm.VIEW_TEAM)
    require_watch(actor, agent)


@transaction.atomic
def career_event_record(
    *, actor: User, agent: User, kind: str, on: date, detail: str, at: datetime
) -> CareerEvent:
    """Add a step to ``agent``'s history (hire date, role change, transfer, skill, course).

    An agent has one hire date: recording it again moves it.
    """
    _looks_after(actor, agent)
    if kind not in CareerEvent.Kind.values:
        raise DomainError(PeopleErrorCode.EMPTY_TEXT, _("Choose a kind of career event."))
    if kind == CareerEvent.Kind.HIRED:
        event, _created = CareerEvent.objects.update_or_create(
            agent=agent,
            kind=kind,
            defaults={"on": on, "detail": detail.strip()[:200], "recorded_at": at},
        )
    else:
        event = CareerEvent.objects.create(
            agent=agent, kind=kind, on=on, detail=detail.strip()[:200], recorded_at=at
        )
    audit_record(
        actor=actor,
        action="career_event.recorded",
        target=agent,
        at=at,
        after={"kind": kind, "on": str(on), "detail": event.detail},
    )
    return event


@transaction.atomic
def coaching_record(
    *,
    actor: User,
    agent: User,
    topic: str,
    notes: str,
    agreed_actions: str,
    at: datetime,
    follow_up_on: date | None = None,
) -> CoachingConversation:
    """File a coaching conversation between ``actor`` (the lead) and ``agent``."""
    _looks_after(actor, agent)
    conversation = CoachingConversation.objects.create(
        lead=actor,
        agent=agent,
        held_at=at,
        topic=_text(topic, str(_("Topic")))[:200],
        notes=_text(notes, str(_("Notes"))),
        agreed_actions=_text(agreed_actions, str(_("Agreed actions"))),
        follow_up_on=follow_up_on,
    )
    audit_record(
        actor=actor,
        action="coaching.recorded",
        target=conversation,
        at=at,
        after={"agent": agent.pk, "topic": conversation.topic},
    )
    return conversation


@transaction.atomic
def disciplinary_note_record(
    *, actor: User, agent: User, coaching_id: int | None, text: str, at: datetime
) -> DisciplinaryNote:
    """Record a disciplinary note resting on a coaching conversation with ``agent``.

    Talk before any penalty: without a conversation on file for this agent
    (held no later than now) the note is refused with ``no_coaching_on_file``.
    """
    _looks_after(actor, agent)
    if coaching_id is None:
        raise ConflictError(
            PeopleErrorCode.NO_COACHING_ON_FILE,
            _("Talk first: file a coaching conversation with %(agent)s before any note."),
            agent=str(agent),
        )
    coaching = CoachingConversation.objects.filter(pk=coaching_id).first()
    if coaching is None:
        raise NotFoundError(PeopleErrorCode.COACHING_NOT_FOUND, _("No such conversation."))
    if coaching.agent_id != agent.pk or coaching.held_at > at:
        raise ConflictError(
            PeopleErrorCode.COACHING_FOR_ANOTHER_AGENT,
            _("That conversation is not a coaching conversation already held with %(agent)s."),
            agent=str(agent),
        )
    note = DisciplinaryNote.objects.create(
        coaching=coaching,
        agent=agent,
        author=actor,
        recorded_at=at,
        text=_text(text, str(_("Text"))),
    )
    audit_record(
        actor=actor,
        action="disciplinary_note.recorded",
        target=note,
        at=at,
        after={"agent": agent.pk, "coaching": coaching.pk},
    )
    return note


@transaction.atomic
def exit_record(
    *, actor: User, agent: User, left_on: date, reason: str, notes: str, at: datetime
) -> ExitRecord:
    """Record that ``agent`` left and why (pay, monotony, no growth, other).

    Deactivating the account stays with user management.
    """
    _looks_after(actor, agent)
    if reason not in ExitRecord.Reason.values:
        raise DomainError(PeopleErrorCode.EMPTY_TEXT, _("Choose a reason for leaving."))
    if ExitRecord.objects.filter(agent=agent).exists():
        raise ConflictError(
            PeopleErrorCode.ALREADY_LEFT,
            _("%(agent)s's exit is already on record."),
            agent=str(agent),
        )
    record = ExitRecord.objects.create(
        agent=agent, left_on=left_on, reason=reason, notes=notes.strip(), recorded_at=at
    )
    audit_record(
        actor=actor,
        action="exit.recorded",
        target=agent,
        at=at,
        after={"left_on": str(left_on), "reason": reason},
    )
    return record
