"""Sending notices: one delivery row per contact and channel, claimed before it is sent.

The rows are written in one ``bulk_create`` before anything leaves. A worker
claims a batch with a compare-and-swap (queued -> sending, under its own claim
token and a lease), hands each row to its channel and records the answer. A
worker that dies leaves rows in ``sending``; once the lease passes, the
recurring clock job queues them again and they are re-sent with the same
channel key, so the channel can recognise the resend. A temporary failure
waits (``next_attempt_at``) with a growing delay; a permanent failure, or too
many temporary ones, falls back to the contact's next channel; a contact no
channel can reach is flagged for manual outreach.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.cases import delivery as channels
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.customers.holding import contact_release_at
from kefu.customers.models import Contact
from kefu.customers.quiet_hours import Urgency
from kefu.incidents import rhythm, texts
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import CallTask, Delivery, ManualOutreach, Notice
from kefu.incidents.purposes import SMS_PURPOSES
from kefu.incidents.services._common import site_url, survey_token

logger = logging.getLogger(__name__)

PHONE = "phone"
LEASE = timedelta(minutes=5)
BATCH = 200
# Handed rows are recorded together, one transaction per this many: one commit per row
# costs more than the send itself on PostgreSQL. A crash loses at most this many
# records; those rows are re-sent after the lease with the same channel key.
RECORD_EVERY = 50
PENDING = (Delivery.Status.QUEUED, Delivery.Status.SENDING)
REACHED = (Delivery.Status.SENT, Delivery.Status.DELIVERED)


def channel_order(contact: Contact) -> list[str]:
    """The channels that can carry a notice to ``contact``, best first.

    The contact's own preference order comes first; phone counts when the
    contact prefers it and has a number (an agent calls); then any other
    registered channel the contact has an address on.
    """
    machine = channels.reachable_channels(contact)
    order: list[str] = []
    for channel in [*contact.preferred_channels, *machine]:
        if channel in order:
            continue
        if (channel == PHONE and contact.phone) or channel in machine:
            order.append(channel)
    return order


def notice_urgency(notice: Notice) -> Urgency:
    """How ``notice`` weighs against quiet hours: a first notice is urgent, one a person
    sent goes as sent by hand, the rest (the clock's updates, surveys) is routine."""
    if notice.kind == Notice.Kind.FIRST:
        return Urgency.URGENT
    if notice.author_id is not None:
        return Urgency.BY_HAND
    return Urgency.ROUTINE


@dataclass(frozen=True)
class Published:
    deliveries: int
    outreach: int


def notice_publish(
    *, notice: Notice, contacts: Iterable[Contact], at: datetime, channels: int
) -> Published:
    """Record one delivery per contact on their first ``channels`` channels, then queue the send.

    A contact with no channel at all is flagged for manual outreach instead.
    Rows that already exist (same notice, contact and channel) are left alone.
    A notice the clock sends (an update nobody sent, a survey) to a contact in their
    quiet hours is held: its rows fall due when the quiet hours end, and the
    recurring ``incidents.deliveries`` clock job sends them then. A first notice,
    and any notice a person sends, goes at once (``notice_urgency``).
    """
    rows: list[Delivery] = []
    flags: list[ManualOutreach] = []
    urgency = notice_urgency(notice)
    for contact in contacts:
        order = channel_order(contact)[:channels]
        if not order:
            flags.append(
                ManualOutreach(
                    incident_id=notice.incident_id,
                    contact=contact,
                    notice=notice,
                    reason="no_reachable_channel",
                    created_at=at,
                )
            )
        due = contact_release_at(contact, now=at, urgency=urgency) or at
        rows.extend(
            Delivery(notice=notice, contact=contact, channel=c, next_attempt_at=due, created_at=at)
            for c in order
        )
    Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    ManualOutreach.objects.bulk_create(flags, ignore_conflicts=True)
    from kefu.incidents.tasks import deliver_notice

    notice_id, when = notice.pk, at.isoformat()
    transaction.on_commit(lambda: deliver_notice.enqueue(notice_id=notice_id, at=when))
    return Published(deliveries=len(rows), outreach=len(flags))


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliveries_send_due(*, now: datetime, notice_id: int | None = None) -> SendReport:
    """Send every queued delivery due at ``now`` (of one notice, or all), in due order.

    Safe to run in several workers at once: each row is claimed by one.
    """
    sent = retrying = failed = 0
    for _round in range(10_000):
        due = Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
        if notice_id is not None:
            due = due.filter(notice_id=notice_id)
        ids = list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        token = uuid.uuid4().hex
        started = time.monotonic()
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING, claim=token, lease_until=now + LEASE
        )
        claimed = list(
            Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING)
            .select_related("contact", "notice__incident")
            .order_by("next_attempt_at", "id")
        )
        handed: list[Delivery] = []
        for row in claimed:
            outcome = _send_one(row, token=token, now=now, handed=handed)
            sent += outcome == Delivery.Status.SENT
            retrying += outcome == Delivery.Status.QUEUED
            failed += outcome == Delivery.Status.FAILED
            if len(handed) >= RECORD_EVERY:
                _record_handed(handed, token=token, now=now, started=started)
        _record_handed(handed, token=token, now=now, started=started)
    return SendReport(sent=sent, retrying=retrying, failed=failed)


def _body(row: Delivery) -> str:
    body = row.notice.body_in(row.contact.language)
    if row.notice.kind == Notice.Kind.SURVEY:
        body = body.replace(texts.SURVEY_LINK_PLACEHOLDER, _survey_url(row))
    elif row.notice.kind == Notice.Kind.PLAN:
        body = body.replace(texts.PLAN_LINK_PLACEHOLDER, _link(row))
    return body


def _link(row: Delivery) -> str:
    """The contact's own page behind a notice, when it has one (a survey, a plan)."""
    if row.notice.kind == Notice.Kind.SURVEY:
        return _survey_url(row)
    if row.notice.kind == Notice.Kind.PLAN and row.notice.plan_id is not None:
        from kefu.incidents.services.plans import plan_url

        return plan_url(plan_id=row.notice.plan_id, contact_id=row.contact_id)
    return ""


def _survey_url(row: Delivery) -> str:
    token = survey_token(incident_id=row.notice.incident_id, contact_id=row.contact_id)
    return site_url(f"/incidents/survey/{token}/")


def _record_handed(handed: list[Delivery], *, token: str, now: datetime, started: float) -> None:
    """Record a group of rows handed to their channel, and renew the batch's lease."""
    if not handed:
        return
    with transaction.atomic():
        mine = set(
            Delivery.objects.filter(
                pk__in=[r.pk for r in handed], claim=token, status=Delivery.Status.SENDING
            ).values_list("pk", flat=True)
        )
        rows = [r for r in handed if r.pk in mine]
        # What every row of the group shares goes in one UPDATE; only the channel's
        # id differs per row (a CASE over one column: bulk_update is costly per field).
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=Delivery.Status.SENT,
            attempts=F("attempts") + 1,
            handed_at=now,
            last_error="",
            claim="",
            lease_until=None,
        )
        Delivery.objects.bulk_update([r for r in rows if r.external_id], ["external_id"])
        # A slow channel must not let the lease lapse under a live worker.
        elapsed = timedelta(seconds=time.monotonic() - started)
        Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING).update(
            lease_until=now + elapsed + LEASE
        )
    handed.clear()


def _send_one(row: Delivery, *, token: str, now: datetime, handed: list[Delivery]) -> str:
    mine = Delivery.objects.filter(pk=row.pk, claim=token, status=Delivery.Status.SENDING)
    if row.channel == PHONE:
        task, _created = CallTask.objects.get_or_create(
            delivery=row,
            defaults={
                "incident_id": row.notice.incident_id,
                "contact": row.contact,
                "script": texts.call_script(row.notice.incident, body=_body(row)),
                "created_at": now,
            },
        )
        row.external_id = f"call:{task.pk}"
        handed.append(row)
        return Delivery.Status.SENT
    sender = channels.notice_sender_for(row.channel)
    try:
        if sender is None:
            raise channels.DeliveryError(f"no sender for {row.channel}", permanent=True)
        external_id = sender(
            channels.Notice(
                contact=row.contact,
                subject=row.notice.subject_in(row.contact.language),
                body=_body(row),
                reference=row.notice.incident.reference,
                key=row.key,
                purpose=SMS_PURPOSES.get(row.notice.kind, ""),
                link=_link(row),
                source=f"incident_notice:{row.notice_id}",
            )
        )
    except channels.DeliveryError as exc:
        return _failed(row, mine=mine, reason=str(exc), permanent=exc.permanent, now=now)
    except Exception as exc:
        # An adapter bug must not stop the batch; it counts as a temporary failure.
        logger.exception("sending delivery %s failed", row.pk)
        return _failed(row, mine=mine, reason=repr(exc), permanent=False, now=now)
    row.external_id = (external_id or "")[:300]
    handed.append(row)
    return Delivery.Status.SENT


def _failed(
    row: Delivery, *, mine: QuerySet[Delivery], reason: str, permanent: bool, now: datetime
) -> str:
    attempts = row.attempts + 1
    query = mine
    if not permanent and rhythm.may_retry(attempts):
        query.update(
            status=Delivery.Status.QUEUED,
            attempts=attempts,
            next_attempt_at=now + rhythm.retry_delay(attempts),
            last_error=reason[:500],
            claim="",
            lease_until=None,
        )
        return Delivery.Status.QUEUED
    query.update(
        status=Delivery.Status.FAILED,
        attempts=attempts,
        last_error=reason[:500],
        claim="",
        lease_until=None,
    )
    delivery_fall_back(delivery=row, at=now)
    return Delivery.Status.FAILED


def delivery_fall_back(*, delivery: Delivery, at: datetime) -> Delivery | None:
    """After ``delivery`` failed for good: queue the contact's next unused channel, or,
    when none is left and nothing else reached or may reach them, flag manual outreach."""
    used = set(
        Delivery.objects.filter(
            notice_id=delivery.notice_id, contact_id=delivery.contact_id
        ).values_list("channel", flat=True)
    )
    for channel in channel_order(delivery.contact):
        if channel not in used:
            # The fallback keeps the notice's weight: a routine one waits out quiet hours.
            urgency = notice_urgency(delivery.notice)
            due = contact_release_at(delivery.contact, now=at, urgency=urgency) or at
            fallback, _created = Delivery.objects.get_or_create(
                notice_id=delivery.notice_id,
                contact_id=delivery.contact_id,
                channel=channel,
                defaults={"fallback_of": delivery, "next_attempt_at": due, "created_at": at},
            )
            return fallback
    others = Delivery.objects.filter(
        notice_id=delivery.notice_id,
        contact_id=delivery.contact_id,
        status__in=[*PENDING, *REACHED],
    )
    if not others.exists():
        ManualOutreach.objects.bulk_create(
            [
                ManualOutreach(
                    incident_id=delivery.notice.incident_id,
                    contact_id=delivery.contact_id,
                    notice_id=delivery.notice_id,
                    reason="every_channel_failed",
                    created_at=at,
                )
            ],
            ignore_conflicts=True,
        )
    return None


def deliveries_requeue_stuck(*, now: datetime) -> int:
    """Queue again the rows left in ``sending`` by a worker whose lease passed."""
    return Delivery.objects.filter(status=Delivery.Status.SENDING, lease_until__lte=now).update(
        status=Delivery.Status.QUEUED, claim="", lease_until=None, next_attempt_at=now
    )


@transaction.atomic
def call_task_record(
    *, actor: User, task: CallTask, outcome: str, note: str, at: datetime
) -> CallTask:
    """Record the outcome of a notice call; a call that did not reach falls back."""
    authorize(actor, Perm.WORK_CASES)
    if outcome not in CallTask.Outcome.values:
        raise ConflictError(IncidentErrorCode.BAD_INPUT, _("Choose reached or not reached."))
    updated = CallTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
        outcome=outcome, note=note.strip(), done_by=actor, done_at=at
    )
    if updated != 1:
        raise ConflictError(IncidentErrorCode.ALREADY_RESOLVED, _("This call is already recorded."))
    task.refresh_from_db()
    row = task.delivery
    if outcome == CallTask.Outcome.REACHED:
        Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.DELIVERED, delivered_at=at)
    else:
        Delivery.objects.filter(pk=row.pk).update(
            status=Delivery.Status.FAILED, last_error=str(_("not reached by phone"))
        )
        delivery_fall_back(delivery=row, at=at)
        from kefu.incidents.tasks import deliver_notice

        notice_id, when = row.notice_id, at.isoformat()
        transaction.on_commit(lambda: deliver_notice.enqueue(notice_id=notice_id, at=when))
    audit_record(
        actor=actor,
        action="incident.call_recorded",
        target=task.incident,
        at=at,
        after={"outcome": outcome},
    )
    return task


@transaction.atomic
def outreach_record(
    *, actor: User, outreach: ManualOutreach, note: str, at: datetime
) -> ManualOutreach:
    """Record that someone reached the flagged contact; the flag leaves the incident page."""
    authorize(actor, Perm.WORK_CASES)
    updated = ManualOutreach.objects.filter(pk=outreach.pk, resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=actor, note=note.strip()
    )
    if updated != 1:
        raise ConflictError(
            IncidentErrorCode.ALREADY_RESOLVED, _("This contact is already recorded as reached.")
        )
    outreach.refresh_from_db()
    audit_record(
        actor=actor,
        action="incident.outreach_recorded",
        target=outreach.incident,
        at=at,
        after={"contact": outreach.contact_id},
    )
    return outreach
