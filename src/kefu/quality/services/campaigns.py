"""SERVQUAL and KANO campaigns: create, invite, send, answer through a signed link, close.

Each invitation is sent once in a background task: ``sent_at`` is set with a
compare-and-swap BEFORE the notice is handed to the channel, so two workers
never send the same invitation; a ``DeliveryError`` clears it again with the
error, and the recurring job ``quality.campaign_resend`` tries again (at most
``MAX_ATTEMPTS`` times). The link carries the invitation id signed with
``TimestampSigner``; it is open until the campaign closes or ``closes_at``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.cases import delivery as channels
from kefu.cases.services.cases import render_in
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.timefmt import zone_of
from kefu.customers.models import Contact, Organisation
from kefu.quality import servqual
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models_campaigns import (
    CampaignAnswer,
    CampaignFeature,
    CampaignInvitation,
    CampaignWeight,
    SurveyCampaign,
)
from kefu.quality.services.surveys import LinkState

# Creating, inviting, closing and reading campaigns: the permission of the analysis pages.
PERM = Perm.VIEW_TEAM
MAX_ATTEMPTS = 5
_SALT = "kefu.quality.campaign"


@dataclass(frozen=True)
class FeatureText:
    name: str
    functional_zh: str
    functional_en: str
    dysfunctional_zh: str
    dysfunctional_en: str


def _bad(message: str | Promise, **params: object) -> DomainError:
    return DomainError(QualityErrorCode.BAD_CAMPAIGN, message, **params)


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    kind: str,
    name: str,
    closes_at: datetime,
    at: datetime,
    business: str = "",
    instrument: int | None = None,
    features: Sequence[FeatureText] = (),
) -> SurveyCampaign:
    """Create a draft campaign; KANO needs at least one feature with all four questions."""
    authorize(actor, PERM)
    name = name.strip()
    if kind not in SurveyCampaign.Kind.values:
        raise _bad(_("A campaign is SERVQUAL or KANO."))
    if not name:
        raise _bad(_("A campaign needs a name."))
    if closes_at <= at:
        raise _bad(_("The closing time must be in the future."))
    if instrument not in (None, 1988):
        raise _bad(_("The only other instrument is the 1988 one."))
    if kind == SurveyCampaign.Kind.KANO:
        names = [f.name.strip() for f in features]
        if not features or len(set(names)) != len(names):
            raise _bad(_("A KANO campaign needs at least one feature, each with its own name."))
        for f in features:
            texts = (f.name, f.functional_zh, f.functional_en, f.dysfunctional_zh)
            if not all(t.strip() for t in (*texts, f.dysfunctional_en)):
                raise _bad(
                    _("Feature %(name)s needs both questions in Chinese and English."),
                    name=f.name or "?",
                )
    campaign = SurveyCampaign.objects.create(
        kind=kind,
        name=name[:200],
        business=business.strip()[:100] if kind == SurveyCampaign.Kind.SERVQUAL else "",
        instrument=instrument if kind == SurveyCampaign.Kind.SERVQUAL else None,
        created_by=actor,
        created_at=at,
        closes_at=closes_at,
    )
    if kind == SurveyCampaign.Kind.KANO:
        CampaignFeature.objects.bulk_create(
            CampaignFeature(
                campaign=campaign,
                position=n,
                name=f.name.strip()[:100],
                functional_zh=f.functional_zh.strip(),
                functional_en=f.functional_en.strip(),
                dysfunctional_zh=f.dysfunctional_zh.strip(),
                dysfunctional_en=f.dysfunctional_en.strip(),
            )
            for n, f in enumerate(features)
        )
    audit_record(actor=actor, action="quality.campaign_created", target=campaign, at=at)
    return campaign


def _reachable(contacts: Q) -> Q:
    return contacts & (~Q(email="") | ~Q(im_handle="") | ~Q(phone=""))


@transaction.atomic
def campaign_invite(
    *,
    actor: User,
    campaign: SurveyCampaign,
    at: datetime,
    tag: str = "",
    region: str = "",
) -> int:
    """Invite the active contacts with an email, IM handle or phone (those of
    organisations tagged ``tag`` and/or in ``region`` when given); opens a draft
    campaign. Contacts already invited are skipped. Returns how many were invited."""
    authorize(actor, PERM)
    if campaign.status == SurveyCampaign.Status.CLOSED or at >= campaign.closes_at:
        raise ConflictError(QualityErrorCode.CAMPAIGN_CLOSED, _("This campaign is closed."))
    query = _reachable(Q(is_active=True))
    if region.strip():
        query &= Q(organisation__region=region.strip())
    if tag.strip():
        tagged = [
            pk
            for pk, tags in Organisation.objects.exclude(tags=[]).values_list("pk", "tags")
            if tag.strip() in (tags or [])
        ]
        query &= Q(organisation_id__in=tagged)
    already = CampaignInvitation.objects.filter(campaign=campaign).values("contact_id")
    contacts = Contact.objects.filter(query).exclude(pk__in=already).values_list("pk", "language")
    rows = [
        CampaignInvitation(campaign=campaign, contact_id=pk, language=language)
        for pk, language in contacts
    ]
    CampaignInvitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if campaign.status == SurveyCampaign.Status.DRAFT:
        SurveyCampaign.objects.filter(pk=campaign.pk).update(status=SurveyCampaign.Status.OPEN)
        campaign.status = SurveyCampaign.Status.OPEN
    audit_record(
        actor=actor,
        action="quality.campaign_invited",
        target=campaign,
        at=at,
        after={"invited": len(rows), "tag": tag, "region": region},
    )
    campaign_id, when = campaign.pk, at.isoformat()

    def enqueue() -> None:
        from kefu.quality.tasks import send_campaign

        send_campaign.enqueue(campaign_id=campaign_id, at=when)

    transaction.on_commit(enqueue)
    return len(rows)


@transaction.atomic
def campaign_close(*, actor: User, campaign: SurveyCampaign, at: datetime) -> SurveyCampaign:
    """Close the campaign: its links stop accepting answers."""
    authorize(actor, PERM)
    SurveyCampaign.objects.filter(pk=campaign.pk).update(status=SurveyCampaign.Status.CLOSED)
    campaign.status = SurveyCampaign.Status.CLOSED
    audit_record(actor=actor, action="quality.campaign_closed", target=campaign, at=at)
    return campaign


def invitation_token(invitation: CampaignInvitation) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(invitation.pk))


def invitation_url(invitation: CampaignInvitation) -> str:
    path = reverse("quality:campaign_answer", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


_SUBJECT = _("A short survey: %(name)s")
_BODY = _(
    "Dear %(contact)s, we would like to know how we can serve you better. "
    "The survey %(name)s takes a few minutes: %(link)s (open until %(closes)s)."
)


def invitation_send(*, invitation: CampaignInvitation, at: datetime) -> bool:
    """Send one invitation on the contact's first reachable channel, in their language.

    ``sent_at`` is set (compare-and-swap) before the notice is handed over; a
    ``DeliveryError`` clears it again and records the error. Returns True when sent.
    """
    campaign = invitation.campaign
    if campaign.status != SurveyCampaign.Status.OPEN or at >= campaign.closes_at:
        return False
    claimed = CampaignInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
        sent_at=at, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    contact = invitation.contact
    senders = [
        (c, s)
        for c in channels.reachable_channels(contact)
        if (s := channels.notice_sender_for(c)) is not None
    ]
    language = invitation.language or contact.language
    try:
        if not senders:
            raise channels.DeliveryError("no channel reaches the contact", permanent=True)
        channel, sender = senders[0]
        sender(
            channels.Notice(
                contact=contact,
                subject=render_in(language, _SUBJECT, name=campaign.name),
                body=render_in(
                    language,
                    _BODY,
                    contact=contact.name,
                    name=campaign.name,
                    link=invitation_url(invitation),
                    closes=f"{campaign.closes_at.astimezone(zone_of(contact)):%Y-%m-%d}",
                ),
                reference=f"Q{campaign.pk}",
                key=f"campaign-{campaign.pk}-invitation-{invitation.pk}",
                purpose="survey_invitation",
                link=invitation_url(invitation),
            )
        )
    except channels.DeliveryError as exc:
        # A permanent refusal is not retried; a temporary one waits for the resend job.
        extra = {"attempts": MAX_ATTEMPTS} if exc.permanent else {}
        CampaignInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=None, last_error=str(exc)[:500], **extra
        )
        return False
    CampaignInvitation.objects.filter(pk=invitation.pk).update(channel=channel, last_error="")
    return True


def campaign_send_due(*, at: datetime, campaign_id: int | None = None) -> int:
    """Send the unsent invitations of open campaigns (one campaign, or all) that have
    not failed ``MAX_ATTEMPTS`` times. Returns how many went out."""
    rows = CampaignInvitation.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        campaign__status=SurveyCampaign.Status.OPEN,
        campaign__closes_at__gt=at,
    ).select_related("campaign", "contact")
    if campaign_id is not None:
        rows = rows.filter(campaign_id=campaign_id)
    return sum(invitation_send(invitation=row, at=at) for row in rows.order_by("pk")[:1000])


def invitation_for_token(
    token: str, *, at: datetime
) -> tuple[LinkState, CampaignInvitation | None]:
    """Check a link: forged, expired (closed or past ``closes_at``), used or open."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token)
        invitation = CampaignInvitation.objects.select_related("campaign", "contact").get(
            pk=int(value)
        )
    except (signing.BadSignature, ValueError, CampaignInvitation.DoesNotExist):
        return LinkState.FORGED, None
    if invitation.answered_at is not None:
        return LinkState.USED, invitation
    campaign = invitation.campaign
    if campaign.status != SurveyCampaign.Status.OPEN or at >= campaign.closes_at:
        return LinkState.EXPIRED, invitation
    return LinkState.OPEN, invitation


def _refuse(state: LinkState) -> None:
    if state == LinkState.FORGED:
        raise DomainError(QualityErrorCode.LINK_FORGED, _("This survey link is not valid."))
    if state == LinkState.EXPIRED:
        raise DomainError(QualityErrorCode.LINK_EXPIRED, _("This survey link has expired."))
    if state == LinkState.USED:
        raise ConflictError(
            QualityErrorCode.ALREADY_ANSWERED, _("This survey has already been answered.")
        )


def _claim(token: str, kind: str, at: datetime) -> CampaignInvitation:
    state, invitation = invitation_for_token(token, at=at)
    _refuse(state)
    assert invitation is not None  # noqa: S101  (an open link has an invitation)
    if invitation.campaign.kind != kind:
        _refuse(LinkState.FORGED)
    # Compare-and-swap on answered_at: two submissions at once record one answer.
    if (
        CampaignInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=at
        )
        != 1
    ):
        _refuse(LinkState.USED)
    return invitation


def _answer_error() -> DomainError:
    return DomainError(
        QualityErrorCode.BAD_ANSWER,
        _("Please answer every question with one of the offered values."),
    )


@transaction.atomic
def campaign_answer_servqual(
    *,
    token: str,
    ratings: Mapping[int, tuple[int, int]],
    points: Mapping[str, int],
    at: datetime,
) -> CampaignInvitation:
    """Record a SERVQUAL answer: all 22 items (expectation, perception 1-7) and 100
    importance points over the five dimensions. Nothing is stored unless all is valid."""
    if set(ratings) != set(servqual.ITEMS) or any(
        e not in servqual.SCALE or p not in servqual.SCALE for e, p in ratings.values()
    ):
        raise _answer_error()
    dimensions = {d.value for d in servqual.Dimension}
    if set(points) != dimensions or any(not 0 <= v <= 100 for v in points.values()):
        raise _answer_error()
    if sum(points.values()) != 100:
        raise DomainError(
            QualityErrorCode.BAD_ANSWER,
            _("The importance points add up to %(total)s; they must add up to 100."),
            total=sum(points.values()),
        )
    invitation = _claim(token, SurveyCampaign.Kind.SERVQUAL, at)
    CampaignAnswer.objects.bulk_create(
        CampaignAnswer(invitation=invitation, item=item, expectation=e, perception=p)
        for item, (e, p) in sorted(ratings.items())
    )
    CampaignWeight.objects.bulk_create(
        CampaignWeight(invitation=invitation, dimension=d.value, points=points[d.value])
        for d in servqual.Dimension
    )
    audit_record(actor=None, action="quality.campaign_answered", target=invitation, at=at)
    return invitation


@transaction.atomic
def campaign_answer_kano(
    *, token: str, answers: Mapping[int, tuple[int, int]], at: datetime
) -> CampaignInvitation:
    """Record a KANO answer: per feature id, (functional, dysfunctional) on 1-5."""
    state, invitation = invitation_for_token(token, at=at)
    _refuse(state)
    assert invitation is not None  # noqa: S101
    expected = set(invitation.campaign.features.values_list("pk", flat=True))
    if set(answers) != expected or any(
        f not in range(1, 6) or d not in range(1, 6) for f, d in answers.values()
    ):
        raise _answer_error()
    invitation = _claim(token, SurveyCampaign.Kind.KANO, at)
    CampaignAnswer.objects.bulk_create(
        CampaignAnswer(invitation=invitation, feature_id=pk, functional=f, dysfunctional=d)
        for pk, (f, d) in sorted(answers.items())
    )
    audit_record(actor=None, action="quality.campaign_answered", target=invitation, at=at)
    return invitation
