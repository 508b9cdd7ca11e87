"""The update rhythm: the clock drafts each due update, sends it if nobody did, and
alerts the team lead when an update was missed.

Choice: an update goes out even when nothing is new. When an update falls due
the clock writes a draft ("no change since ..."); the owner may edit and send
it; if nobody has after ``rhythm.AUTO_SEND_AFTER`` the clock sends the draft as
written (unless the incident turned automatic sending off). If no update went
out by the due time plus ``rhythm.UPDATE_GRACE``, the team leads are alerted.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.core.roles import Perm, Role
from kefu.core.services import notification_send
from kefu.customers.models import Contact
from kefu.incidents import notification_kinds, rhythm, texts
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Incident, IncidentContact, Notice
from kefu.incidents.services._common import bump_updates_sent, link, require_status, require_text
from kefu.incidents.services.sending import notice_publish

UPDATE_DUE = "incidents.update_due"
UPDATE_AUTOSEND = "incidents.update_autosend"
UPDATE_MISSED = "incidents.update_missed"


def _key(incident: Incident, what: str) -> str:
    return f"incident:{incident.pk}:{what}"


def update_schedule(*, incident: Incident, sent_at: datetime) -> datetime:
    """After a notice went out at ``sent_at``: schedule the next due update (returned)."""
    due = rhythm.next_update_due(
        sent_at=sent_at, updates_sent=incident.updates_sent, hours=incident.update_interval_hours
    )
    Incident.objects.filter(pk=incident.pk).update(next_update_due_at=due)
    incident.next_update_due_at = due
    payload: dict[str, object] = {"incident": incident.pk, "due": due.isoformat()}
    clock.job_schedule(kind=UPDATE_DUE, key=_key(incident, "update"), due_at=due, payload=payload)
    clock.job_schedule(
        kind=UPDATE_MISSED,
        key=_key(incident, "missed"),
        due_at=due + rhythm.UPDATE_GRACE,
        payload=payload,
    )
    return due


def update_unschedule(*, incident: Incident, at: datetime) -> None:
    """Stop the rhythm (resumed or cancelled); a pending draft is discarded."""
    for what in ("update", "missed", "autosend"):
        clock.job_cancel(key=_key(incident, what), at=at)
    Incident.objects.filter(pk=incident.pk).update(next_update_due_at=None)
    incident.next_update_due_at = None
    Notice.objects.filter(
        incident=incident, kind=Notice.Kind.UPDATE, status=Notice.Status.DRAFT
    ).update(status=Notice.Status.DISCARDED)


def _last_sent_at(incident: Incident) -> datetime:
    last = (
        Notice.objects.filter(incident=incident, status=Notice.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return last or incident.confirmed_at or incident.created_at


def update_draft_due(*, incident: Incident, due: datetime, at: datetime) -> Notice | None:
    """Write the pre-filled draft of the update due at ``due`` (the clock, at the due time).

    Does nothing when the incident is no longer open, when an update went out
    since (the due time moved), or when a draft already waits.
    """
    incident.refresh_from_db()
    if not incident.is_open or incident.next_update_due_at != due:
        return None
    existing = Notice.objects.filter(
        incident=incident, kind=Notice.Kind.UPDATE, status=Notice.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    since = _last_sent_at(incident)
    next_at = at + rhythm.interval_after(incident.updates_sent + 1, incident.update_interval_hours)
    written = {
        lang: texts.update_draft(incident, language=lang, since=since, next_at=next_at)
        for lang in texts.LANGUAGES
    }
    notice = Notice.objects.create(
        incident=incident,
        kind=Notice.Kind.UPDATE,
        status=Notice.Status.DRAFT,
        subject_zh=written["zh-hans"][0],
        subject_en=written["en"][0],
        body_zh=written["zh-hans"][1],
        body_en=written["en"][1],
        due_at=due,
        is_automatic=True,
        created_at=at,
    )
    notification_send(
        recipient=incident.owner,
        code=notification_kinds.UPDATE_DUE,
        link=link(incident),
        at=at,
        params={"ref": incident.reference, "auto": at + rhythm.AUTO_SEND_AFTER},
    )
    if incident.auto_send_updates:
        clock.job_schedule(
            kind=UPDATE_AUTOSEND,
            key=_key(incident, "autosend"),
            due_at=at + rhythm.AUTO_SEND_AFTER,
            payload={"notice": notice.pk},
        )
    return notice


@transaction.atomic
def update_send(
    *,
    actor: User | None,
    incident: Incident,
    at: datetime,
    body_zh: str | None = None,
    body_en: str | None = None,
) -> Notice:
    """Send an update now: the waiting draft (with any edits), else a new one.

    Updates go to each contact's first channel. The next update is scheduled
    from now. ``actor`` None is the clock sending a draft nobody sent.
    """
    if actor is not None:
        authorize(actor, Perm.RUN_INCIDENTS)
    require_status(incident, Incident.Status.CONFIRMED, Incident.Status.RESUMING)
    draft = Notice.objects.filter(
        incident=incident, kind=Notice.Kind.UPDATE, status=Notice.Status.DRAFT
    ).first()
    if draft is None:
        since = _last_sent_at(incident)
        next_at = at + rhythm.interval_after(
            incident.updates_sent + 1, incident.update_interval_hours
        )
        written = {
            lang: texts.update_draft(incident, language=lang, since=since, next_at=next_at)
            for lang in texts.LANGUAGES
        }
        draft = Notice.objects.create(
            incident=incident,
            kind=Notice.Kind.UPDATE,
            subject_zh=written["zh-hans"][0],
            subject_en=written["en"][0],
            body_zh=written["zh-hans"][1],
            body_en=written["en"][1],
            due_at=incident.next_update_due_at,
            created_at=at,
        )
    changes: dict[str, object] = {"status": Notice.Status.SENT, "sent_at": at, "author": actor}
    if body_zh is not None:
        changes["body_zh"] = require_text(body_zh, _("Write the update first."))
    if body_en is not None:
        changes["body_en"] = require_text(body_en, _("Write the update first."))
    changes["is_automatic"] = actor is None
    # Compare-and-swap on the draft: the owner and the clock sending at once send it once.
    if Notice.objects.filter(pk=draft.pk, status=Notice.Status.DRAFT).update(**changes) != 1:
        raise ConflictError(
            IncidentErrorCode.CHANGED_CONCURRENTLY, _("This update was already sent.")
        )
    draft.refresh_from_db()
    bump_updates_sent(incident)
    clock.job_cancel(key=_key(incident, "autosend"), at=at)
    contacts = Contact.objects.filter(
        pk__in=IncidentContact.objects.filter(incident=incident).values("contact_id")
    ).order_by("pk")
    notice_publish(notice=draft, contacts=contacts, at=at, channels=1)
    update_schedule(incident=incident, sent_at=at)
    audit_record(actor=actor, action="incident.update_sent", target=incident, at=at)
    return draft


def update_autosend(*, notice_id: int, at: datetime) -> Notice | None:
    """The clock: send the draft nobody sent (a no-news update is still an update)."""
    notice = Notice.objects.select_related("incident").filter(pk=notice_id).first()
    if notice is None or notice.status != Notice.Status.DRAFT or not notice.incident.is_open:
        return None
    return update_send(actor=None, incident=notice.incident, at=at)


def team_leads_for(incident: Incident) -> list[User]:
    """The team leads of the owner's team, else of the owner's department, else all."""
    leads = User.objects.filter(is_active=True, role=Role.TEAM_LEAD)
    owner = incident.owner
    for scope in (Q(team_id=owner.team_id), Q(department_id=owner.department_id)):
        found = list(leads.filter(scope)) if owner.team_id or owner.department_id else []
        if found:
            return found
    return list(leads)


def update_check_missed(*, incident: Incident, due: datetime, at: datetime) -> int:
    """The clock, at due + grace: alert the team leads if the update due at ``due`` never
    went out (the due time is unchanged). Returns how many were alerted."""
    incident.refresh_from_db()
    if not incident.is_open or incident.next_update_due_at != due:
        return 0
    leads = team_leads_for(incident)
    for lead in leads:
        notification_send(
            recipient=lead,
            code=notification_kinds.UPDATE_MISSED,
            link=link(incident),
            at=at,
            params={"ref": incident.reference, "due": due},
        )
    return len(leads)
