"""Replies that never vanish: resending an undelivered reply, drafts kept as the
agent types, and who has a case open."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.cases.errors import CaseErrorCode
from kefu.cases.events import case_event_record
from kefu.cases.models import Case, CasePresence, Message, ReplyDraft
from kefu.cases.services._common import require_open
from kefu.cases.services.cases import require_reachable
from kefu.cases.services.files import attachments_carry_over
from kefu.cases.tasks import deliver_message
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm

# What an agent may type into one draft; longer text is cut, never refused.
DRAFT_MAX_CHARS = 20_000
_RESENDABLE = ("failed", "undeliverable")


@transaction.atomic
def message_resend(*, actor: User, message: Message, channel: str, at: datetime) -> Message:
    """Send an undelivered outbound ``message`` again, as a new outbound message on
    ``channel`` (the same channel, or another the contact is reachable on) that
    points at it (``resent_from``).

    The failed message keeps its failure and reads "resent"; the first response
    and the SLA clocks are not touched (the reply was made when it was first
    written), so a resend never counts as a second response. Compare-and-swap on
    the failed message: two agents resending at once send once; the second gets
    ``message_not_resendable``. The failed message's files go with the resend, which
    must then be by e-mail (``files_need_email``).
    """
    authorize(actor, Perm.WORK_CASES)
    case = message.case
    require_open(case)
    if message.direction != Message.Direction.OUTBOUND:
        raise _not_resendable()
    require_reachable(case, channel)
    claimed = Message.objects.filter(pk=message.pk, delivery_status__in=_RESENDABLE).update(
        delivery_status="resent"
    )
    if claimed != 1:
        raise _not_resendable()
    resend = Message.objects.create(
        case=case,
        direction=Message.Direction.OUTBOUND,
        channel=channel,
        author=actor,
        contact=case.contact,
        body=message.body,
        created_at=at,
        delivery_status="queued",
        resent_from=message,
        purpose=message.purpose,
    )
    attachments_carry_over(source=message, target=resend)
    # A new message on the case: an agent's open reply form now reads as stale.
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=at)
    case_event_record(
        case=case,
        kind="resent",
        at=at,
        actor=actor,
        channel=channel,
        from_channel=message.channel,
        message=resend.pk,
        resent_from=message.pk,
    )
    audit_record(
        actor=actor,
        action="message.resent",
        target=case,
        at=at,
        before={"message": message.pk, "channel": message.channel},
        after={"message": resend.pk, "channel": channel},
    )
    transaction.on_commit(lambda: deliver_message.enqueue(message_id=resend.pk))
    return resend


def _not_resendable() -> DomainError:
    return DomainError(
        CaseErrorCode.NOT_RESENDABLE,
        _("This message was delivered or has been resent already; reload the case."),
    )


def reply_draft_save(
    *, actor: User, case: Case, body: str, at: datetime, channel: str = ""
) -> ReplyDraft | None:
    """Keep what ``actor`` has typed as a reply on ``case`` (one draft per agent and
    case; text beyond ``DRAFT_MAX_CHARS`` is cut). Blank text deletes the draft and
    returns None."""
    authorize(actor, Perm.WORK_CASES)
    if not body.strip():
        ReplyDraft.objects.filter(case=case, user=actor).delete()
        return None
    fields = {"body": body[:DRAFT_MAX_CHARS], "channel": channel[:20], "updated_at": at}
    _upsert(ReplyDraft, case=case, user=actor, fields=fields)
    return ReplyDraft.objects.get(case=case, user=actor)


def case_presence_touch(*, actor: User, case: Case, at: datetime) -> None:
    """Note that ``actor`` has ``case`` open now (the page polls every few seconds)."""
    _upsert(CasePresence, case=case, user=actor, fields={"seen_at": at})


def _upsert(
    model: type[ReplyDraft] | type[CasePresence],
    *,
    case: Case,
    user: User,
    fields: dict[str, object],
) -> None:
    """Write the one row of ``user`` on ``case``. Update first, then create; a create
    that loses to another request's (two tabs polling, an autosave racing the send)
    updates the row that won instead of failing."""
    if model.objects.filter(case=case, user=user).update(**fields):
        return
    try:
        with transaction.atomic():
            model.objects.create(case=case, user=user, **fields)
    except IntegrityError:
        model.objects.filter(case=case, user=user).update(**fields)
