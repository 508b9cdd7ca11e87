"""CSAT and NPS surveys: sent once per resolved case, answered once through a signed link.

A recurring clock job (``quality.csat_send``) reads cases resolved since its
watermark (``SurveyCursor``) and sends each a survey on the customer's
channel. The one-to-one ``CsatSurvey.case`` makes a second survey for the same
case impossible, so a repeated or overlapping run sends nothing twice. The
link carries the survey id signed with ``TimestampSigner``; the survey row
holds the expiry and whether it was answered.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.cases import hooks
from kefu.cases.models import Case
from kefu.cases.services import case_open, customer_notice
from kefu.cases.services.cases import render_in
from kefu.core import domain_events
from kefu.core.audit import audit_record
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.quality import notification_kinds
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models import CsatSurvey, SurveyCursor

LINK_LIFETIME = timedelta(days=14)
# Cases resolved in a transaction still open when the job last ran carry a
# resolved_at before its watermark; reading back this far catches them, and the
# one-survey-per-case constraint keeps them from being surveyed twice.
OVERLAP = timedelta(hours=1)
BATCH = 500
LOW_SCORE = 2
_SALT = "kefu.quality.csat"
_CURSOR = "csat"


class LinkState(StrEnum):
    OPEN = "open"
    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"


def survey_token(survey: CsatSurvey) -> str:
    """The signed token of ``survey``'s public link."""
    return signing.TimestampSigner(salt=_SALT).sign(str(survey.pk))


def survey_url(survey: CsatSurvey) -> str:
    """The absolute public link of ``survey`` (no login needed)."""
    path = reverse("quality:survey", args=[survey_token(survey)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def survey_for_token(token: str, *, at: datetime) -> tuple[LinkState, CsatSurvey | None]:
    """Check a link: forged (bad signature or no such survey), expired, used or open."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token)
        survey = CsatSurvey.objects.select_related("case", "contact").get(pk=int(value))
    except (signing.BadSignature, ValueError, CsatSurvey.DoesNotExist):
        return LinkState.FORGED, None
    if survey.answered_at is not None:
        return LinkState.USED, survey
    if at >= survey.expires_at:
        return LinkState.EXPIRED, survey
    return LinkState.OPEN, survey


_INVITATION = _(
    "Thank you for contacting us about %(reference)s. How satisfied are you with how it "
    "was handled? One minute is enough: %(link)s (the link is valid for %(days)s days)."
)


@transaction.atomic
def survey_send(*, case: Case, at: datetime) -> CsatSurvey | None:
    """Create ``case``'s survey and send its link on the customer's channel.

    Returns None, sending nothing, when the case already has a survey.
    """
    try:
        with transaction.atomic():
            survey = CsatSurvey.objects.create(
                case=case,
                contact=case.contact,
                language=case.contact.language,
                sent_at=at,
                expires_at=at + LINK_LIFETIME,
            )
    except IntegrityError:
        return None
    body = render_in(
        case.contact.language,
        _INVITATION,
        reference=case.reference,
        link=survey_url(survey),
        days=LINK_LIFETIME.days,
    )
    # Nobody waits on a survey: it waits out the customer's quiet hours.
    customer_notice(
        case=case, body=body, at=at, author=None, routine=True, purpose="survey_invitation"
    )
    return survey


def surveys_send_due(*, at: datetime) -> list[CsatSurvey]:
    """Send a survey for every case resolved since the watermark (up to ``BATCH``).

    The first run only sets the watermark, so installing the app does not
    survey every case ever resolved.
    """
    cursor, created = SurveyCursor.objects.get_or_create(
        name=_CURSOR, defaults={"resolved_until": at}
    )
    if created:
        return []
    cases = list(
        Case.objects.filter(
            Q(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED]),
            resolved_at__gt=cursor.resolved_until - OVERLAP,
            resolved_at__lte=at,
            merged_into__isnull=True,
            csat_survey__isnull=True,
        )
        .select_related("contact")
        .order_by("resolved_at", "pk")[:BATCH]
    )
    sent = [survey for case in cases if (survey := survey_send(case=case, at=at)) is not None]
    until = cases[-1].resolved_at if len(cases) == BATCH and cases[-1].resolved_at else at
    SurveyCursor.objects.filter(pk=cursor.pk).update(
        resolved_until=max(until, cursor.resolved_until)
    )
    return sent


def lead_for(case: Case) -> User | None:
    """The owner's team lead (the case's team), else a lead of the department, else
    its manager."""
    people = User.objects.filter(is_active=True, department_id=case.department_id)
    team_id = case.owner.team_id if case.owner and case.owner.team_id else case.team_id
    in_team = people.filter(role=Role.TEAM_LEAD, team_id=team_id) if team_id else people.none()
    return (
        in_team.order_by("pk").first()
        or people.filter(role=Role.TEAM_LEAD).order_by("pk").first()
        or people.filter(role=Role.DEPARTMENT_MANAGER).order_by("pk").first()
    )


def _refuse(state: LinkState) -> None:
    if state == LinkState.FORGED:
        raise DomainError(QualityErrorCode.LINK_FORGED, _("This survey link is not valid."))
    if state == LinkState.EXPIRED:
        raise DomainError(QualityErrorCode.LINK_EXPIRED, _("This survey link has expired."))
    if state == LinkState.USED:
        raise DomainError(
            QualityErrorCode.ALREADY_ANSWERED, _("This survey has already been answered.")
        )


@transaction.atomic
def survey_answer(
    *, token: str, csat: int, nps: int | None, comment: str, at: datetime
) -> CsatSurvey:
    """Record the customer's answer once; a score of 2 or less opens a follow-up case
    owned by the case owner's lead.

    Raises ``DomainError`` for a forged, expired or used link (nothing recorded)
    and for scores out of range.
    """
    state, survey = survey_for_token(token, at=at)
    _refuse(state)
    assert survey is not None  # noqa: S101  (an open link has a survey)
    if csat not in range(1, 6) or (nps is not None and nps not in range(11)):
        raise DomainError(
            QualityErrorCode.SCORE_OUT_OF_RANGE,
            _("Satisfaction is 1 to 5 and recommendation 0 to 10."),
        )
    comment = comment.strip()[:4000]
    # Compare-and-swap on answered_at: two submissions at once record one answer.
    answered = CsatSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=at, csat=csat, nps=nps, comment=comment
    )
    if answered != 1:
        _refuse(LinkState.USED)
    survey.refresh_from_db()
    audit_record(
        actor=None, action="quality.survey_answered", target=survey, at=at, after={"csat": csat}
    )
    # Rules (csat_answered triggers) and outbound webhooks (survey.answered) hear of it.
    hooks.case_hook(survey.case, hooks.CSAT_ANSWERED, at=at, score=csat)
    domain_events.publish(
        "survey.answered",
        {"survey": survey.pk, "case": survey.case_id, "csat": csat, "nps": nps},
        at=at,
    )
    if csat <= LOW_SCORE:
        _follow_up(survey, at=at)
    return survey


def _follow_up(survey: CsatSurvey, *, at: datetime) -> None:
    case = survey.case
    lead = lead_for(case)
    language = lead.language if lead else settings.LANGUAGE_CODE
    subject = render_in(
        language,
        _("Low satisfaction (%(score)s/5) after %(reference)s: call the customer"),
        score=survey.csat,
        reference=case.reference,
    )
    body = survey.comment or render_in(language, _("(The customer left no comment.)"))
    follow = case_open(
        actor=None,
        contact=survey.contact,
        subject=subject,
        body=body,
        channel=case.channel,
        at=at,
        organisation=case.organisation,
        project=case.project,
        category=Case.Category.BELOW_EXPECTATION,
        priority=Case.Priority.HIGH,
        department=case.department,
        team=case.team,
        owner=lead,
    )
    CsatSurvey.objects.filter(pk=survey.pk).update(follow_up_case=follow)
    survey.follow_up_case = follow
    if lead is not None:
        notification_send(
            recipient=lead,
            code=notification_kinds.LOW_SCORE,
            link=reverse("cases:case", args=[follow.pk]),
            at=at,
            params={"reference": case.reference, "score": survey.csat, "follow": follow.reference},
        )
