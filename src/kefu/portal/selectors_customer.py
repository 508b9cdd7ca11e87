"""The incidents that affect a signed-in customer (with their notices) and their open
surveys (linking to the survey pages that already exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.customers.models import Contact
from kefu.incidents.models import Delivery, Incident, Notice
from kefu.incidents.services._common import survey_token as incident_survey_token
from kefu.quality.models import CsatSurvey
from kefu.quality.models_campaigns import CampaignInvitation, SurveyCampaign
from kefu.quality.services import survey_token
from kefu.quality.services.campaigns import invitation_token

_SHOWN = (
    Incident.Status.CONFIRMED,
    Incident.Status.RESUMING,
    Incident.Status.RESUMED,
    Incident.Status.REVIEWED,
)


@dataclass(frozen=True)
class NoticeShown:
    kind: str
    subject: str
    body: str
    sent_at: datetime | None


@dataclass(frozen=True)
class IncidentShown:
    incident: Incident
    notices: list[NoticeShown]


def portal_incidents(contact: Contact, *, language: str) -> list[IncidentShown]:
    """Confirmed incidents that name ``contact`` among the affected, newest first, each
    with the notices sent to them (in ``language``), oldest first."""
    incidents = list(
        Incident.objects.filter(affected__contact=contact, status__in=_SHOWN)
        .distinct()
        .order_by("-started_at", "-pk")[:20]
    )
    notices: dict[int, list[NoticeShown]] = {incident.pk: [] for incident in incidents}
    sent = (
        Notice.objects.filter(
            incident__in=incidents,
            status=Notice.Status.SENT,
            deliveries__contact=contact,
        )
        .exclude(kind=Notice.Kind.SURVEY)
        .exclude(deliveries__status=Delivery.Status.FAILED)
        .distinct()
        .order_by("sent_at", "pk")
    )
    for notice in sent:
        notices[notice.incident_id].append(
            NoticeShown(
                kind=notice.get_kind_display(),
                subject=notice.subject_in(language),
                body=notice.body_in(language),
                sent_at=notice.sent_at,
            )
        )
    return [IncidentShown(incident=i, notices=notices[i.pk]) for i in incidents]


@dataclass(frozen=True)
class SurveyShown:
    title: str
    url: str


def portal_surveys(contact: Contact, *, at: datetime) -> list[SurveyShown]:
    """The surveys ``contact`` can still answer, each with the link to its page."""
    shown: list[SurveyShown] = [
        SurveyShown(
            title=_("How did we do on %(reference)s?") % {"reference": survey.case.reference},
            url=reverse("quality:survey", args=[survey_token(survey)]),
        )
        for survey in CsatSurvey.objects.filter(
            contact=contact, answered_at__isnull=True, expires_at__gt=at
        ).select_related("case")
    ]
    shown.extend(
        SurveyShown(
            title=invitation.campaign.name,
            url=reverse("quality:campaign_answer", args=[invitation_token(invitation)]),
        )
        for invitation in CampaignInvitation.objects.filter(
            contact=contact,
            answered_at__isnull=True,
            sent_at__isnull=False,
            campaign__status=SurveyCampaign.Status.OPEN,
        ).select_related("campaign")
    )
    for notice in (
        Notice.objects.filter(
            kind=Notice.Kind.SURVEY, status=Notice.Status.SENT, deliveries__contact=contact
        )
        .select_related("incident")
        .distinct()
    ):
        token = incident_survey_token(incident_id=notice.incident_id, contact_id=contact.pk)
        shown.append(
            SurveyShown(
                title=_("Your view on %(title)s") % {"title": notice.incident.title},
                url=reverse("incidents:survey", args=[token]),
            )
        )
    return shown
