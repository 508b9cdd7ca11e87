"""Raise a hand: one click from the agent, a live queue for the lead, time to help measured."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core import domain_events
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.floor import notification_kinds
from kefu.floor.errors import FloorErrorCode
from kefu.floor.models import RaisedHand
from kefu.floor.services import waits
from kefu.floor.services._common import leads_of, require_watch

_ALREADY = _("Your hand is already up; your team lead can see it. It stays in the queue once.")


def hand_raise(
    *, actor: User, at: datetime, case: Case | None = None, note: str = ""
) -> RaisedHand:
    """Put ``actor``'s hand up, optionally naming the case they need help with.

    A second hand while one is open is refused with ``hand_already_raised``;
    the partial unique constraint keeps it to one row even when two clicks race.
    """
    authorize(actor, Perm.WORK_CASES)
    if RaisedHand.objects.filter(agent=actor, closed_at__isnull=True).exists():
        raise ConflictError(FloorErrorCode.HAND_ALREADY_RAISED, _ALREADY)
    try:
        with transaction.atomic():
            hand = RaisedHand.objects.create(
                agent=actor, team_id=actor.team_id, case=case, note=note.strip()[:200], raised_at=at
            )
            # The team's leads hear of it in the product (and where their alerts go:
            # WeCom, the team's robots; kefu.core.alert_services).
            for lead in leads_of(actor):
                notification_send(
                    recipient=lead,
                    code=notification_kinds.HAND_RAISED,
                    params={
                        "agent": str(actor),
                        "ref": case.reference if case is not None else "",
                        "note": hand.note,
                    },
                    link=reverse("floor:index"),
                    at=at,
                )
            # Unanswered after KEFU_HAND_ALERT_MINUTES, it goes up a level (services.waits).
            waits.hand_wait_schedule(hand)
    except IntegrityError as exc:
        raise ConflictError(FloorErrorCode.HAND_ALREADY_RAISED, _ALREADY) from exc
    _publish("floor.hand_raised", hand, at=at)
    return hand


def _publish(code: str, hand: RaisedHand, *, at: datetime) -> None:
    """Outbound webhooks hear of the hand: ids and instants only, never the note."""
    domain_events.publish(
        code,
        {
            "hand": hand.pk,
            "agent": hand.agent_id,
            "team": hand.team_id,
            "case": hand.case_id,
            "raised_at": hand.raised_at.isoformat(),
            "acknowledged_at": hand.acknowledged_at.isoformat() if hand.acknowledged_at else None,
            "acknowledged_by": hand.acknowledged_by_id,
            "closed_at": hand.closed_at.isoformat() if hand.closed_at else None,
        },
        at=at,
    )


def hand_acknowledge(*, actor: User, hand: RaisedHand, at: datetime) -> RaisedHand:
    """The lead is on the way: stamp the time to help. Acknowledging twice is harmless."""
    authorize(actor, Perm.VIEW_TEAM)
    require_watch(actor, hand.agent)
    updated = RaisedHand.objects.filter(
        pk=hand.pk, acknowledged_at__isnull=True, closed_at__isnull=True
    ).update(acknowledged_at=at, acknowledged_by=actor)
    hand.refresh_from_db()
    if not updated and hand.closed_at is not None:
        raise ConflictError(FloorErrorCode.HAND_CLOSED, _("That hand has already been lowered."))
    if updated:
        _publish("floor.hand_answered", hand, at=at)
    return hand


def hand_close(*, actor: User, hand: RaisedHand, at: datetime) -> RaisedHand:
    """Lower the hand: the agent themself, or a lead who looks after them.

    A lead closing a hand they never acknowledged helped at the close, so the
    acknowledgement time is filled in then; an agent lowering their own hand
    leaves it empty (nobody came, or it was no longer needed).
    """
    if actor.pk != hand.agent_id:
        authorize(actor, Perm.VIEW_TEAM)
        require_watch(actor, hand.agent)
        changes = {
            "acknowledged_at": Coalesce("acknowledged_at", Value(at)),
            "acknowledged_by": Coalesce("acknowledged_by", Value(actor.pk)),
        }
    else:
        changes = {}
    answered_before = hand.acknowledged_at is not None
    updated = RaisedHand.objects.filter(pk=hand.pk, closed_at__isnull=True).update(
        closed_at=at, closed_by=actor, **changes
    )
    hand.refresh_from_db()
    if not updated:
        raise ConflictError(FloorErrorCode.HAND_CLOSED, _("That hand has already been lowered."))
    if not answered_before and hand.acknowledged_at is not None:
        # A lead lowering a hand nobody acknowledged answered it at the close.
        _publish("floor.hand_answered", hand, at=at)
    _publish("floor.hand_lowered", hand, at=at)
    return hand
