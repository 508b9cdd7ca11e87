"""Helpers shared by the incident services."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ConflictError, DomainError
from kefu.incidents.errors import IncidentErrorCode
from kefu.incidents.models import Incident

SURVEY_SALT = "kefu.incidents.survey"
EVIDENCE_SALT = "kefu.incidents.evidence"


def require_text(value: str, message: str | Promise) -> str:
    text = value.strip()
    if not text:
        raise DomainError(IncidentErrorCode.EMPTY_TEXT, message)
    return text


def require_status(incident: Incident, *statuses: str) -> None:
    if incident.status not in statuses:
        raise ConflictError(
            IncidentErrorCode.WRONG_STATUS,
            _("Incident %(ref)s is %(status)s; this needs it to be %(wanted)s."),
            ref=incident.reference,
            status=incident.get_status_display(),
            wanted=" / ".join(str(Incident.Status(s).label) for s in statuses),
        )


def move_status(incident: Incident, *, before: str, after: str, stamp: str, at: datetime) -> None:
    """Compare-and-swap the status: two people acting at once produce one transition."""
    updated = Incident.objects.filter(pk=incident.pk, status=before).update(
        status=after, **{stamp: at}
    )
    if updated != 1:
        raise ConflictError(
            IncidentErrorCode.CHANGED_CONCURRENTLY,
            _("Incident %(ref)s was changed by someone else; reload and try again."),
            ref=incident.reference,
        )
    incident.status = after
    setattr(incident, stamp, at)


def bump_updates_sent(incident: Incident) -> None:
    Incident.objects.filter(pk=incident.pk).update(updates_sent=F("updates_sent") + 1)
    incident.refresh_from_db(fields=["updates_sent"])


def site_url(path: str) -> str:
    base: str = settings.SITE_URL
    return base.rstrip("/") + path


def survey_token(*, incident_id: int, contact_id: int) -> str:
    return signing.dumps({"i": incident_id, "c": contact_id}, salt=SURVEY_SALT, compress=True)


def evidence_token(*, evidence_id: int) -> str:
    return signing.dumps({"e": evidence_id}, salt=EVIDENCE_SALT)


def link(incident: Incident) -> str:
    return f"/incidents/{incident.pk}/"
