"""Reading a campaign's stored answers: the same pure cores as the CSV analysis,
the response rate, and the CSV files in exactly the CLI's input formats."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.core.authz import authorize
from kefu.core.csv_safe import guard_row
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.quality import kano, servqual
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models_campaigns import (
    CampaignAnswer,
    CampaignWeight,
    SurveyCampaign,
)
from kefu.quality.services.campaigns import PERM

# The words the CLI reads for KANO answers 1-5.
KANO_WORDS = ("like", "must-be", "neutral", "live-with", "dislike")


def respondent(invitation_id: int) -> str:
    """The respondent id of an invitation in the analysis and the exports."""
    return f"r{invitation_id}"


def campaigns_for(actor: User) -> QuerySet[SurveyCampaign]:
    authorize(actor, PERM)
    return SurveyCampaign.objects.annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
    ).order_by("-created_at", "-pk")


def campaign_for(actor: User, campaign_id: int) -> SurveyCampaign:
    campaign = campaigns_for(actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFoundError(QualityErrorCode.BAD_CAMPAIGN, _("No such campaign."))
    return campaign


def servqual_rows(
    campaign: SurveyCampaign,
) -> tuple[list[servqual.Rating], dict[str, dict[servqual.Dimension, float]]]:
    ratings = [
        servqual.Rating(respondent(inv), int(item or 0), int(e or 0), int(p or 0))
        for inv, item, e, p in CampaignAnswer.objects.filter(
            invitation__campaign=campaign, item__isnull=False
        )
        .order_by("invitation_id", "item")
        .values_list("invitation_id", "item", "expectation", "perception")
    ]
    weights: dict[str, dict[servqual.Dimension, float]] = {}
    for inv, dimension, points in (
        CampaignWeight.objects.filter(invitation__campaign=campaign)
        .order_by("invitation_id", "pk")
        .values_list("invitation_id", "dimension", "points")
    ):
        weights.setdefault(respondent(inv), {})[servqual.Dimension(dimension)] = float(points)
    return ratings, weights


def kano_rows(campaign: SurveyCampaign) -> list[kano.KanoAnswer]:
    return [
        kano.KanoAnswer(respondent(inv), name, kano.Answer(int(f or 0)), kano.Answer(int(d or 0)))
        for inv, name, f, d in CampaignAnswer.objects.filter(
            invitation__campaign=campaign, feature__isnull=False
        )
        .order_by("invitation_id", "feature__position")
        .values_list("invitation_id", "feature__name", "functional", "dysfunctional")
    ]


@dataclass(frozen=True)
class Figures:
    invited: int
    sent: int
    answered: int
    response_rate: float | None
    result: dict[str, object] | None


def campaign_figures(campaign: SurveyCampaign) -> Figures:
    """Response figures and the pure core's result on the stored answers."""
    counts = campaign.invitations.aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    result: dict[str, object] | None = None
    if counts["answered"]:
        if campaign.kind == SurveyCampaign.Kind.SERVQUAL:
            ratings, weights = servqual_rows(campaign)
            result = servqual.analyse(
                ratings, weights=weights, instrument=campaign.instrument
            ).to_json()
        else:
            result = {f: r.to_json() for f, r in kano.analyse(kano_rows(campaign)).items()}
    base = counts["sent"] or counts["invited"]
    return Figures(
        invited=counts["invited"],
        sent=counts["sent"],
        answered=counts["answered"],
        response_rate=counts["answered"] / base if base else None,
        result=result,
    )


def _csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    """Respondent ids and feature names are typed by people: every text cell is
    guarded against formulas (``kefu.core.csv_safe``); the readers take the guard off."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(guard_row(row, keep_numbers=True) for row in rows)
    return out.getvalue()


def answers_csv(campaign: SurveyCampaign) -> str:
    """SERVQUAL ``respondent,item,expectation,perception`` or KANO
    ``respondent,feature,functional,dysfunctional``: the CLI's input."""
    if campaign.kind == SurveyCampaign.Kind.SERVQUAL:
        ratings, _weights = servqual_rows(campaign)
        return _csv(
            ("respondent", "item", "expectation", "perception"),
            [(r.respondent, r.item, r.expectation, r.perception) for r in ratings],
        )
    return _csv(
        ("respondent", "feature", "functional", "dysfunctional"),
        [
            (
                a.respondent,
                a.feature,
                KANO_WORDS[a.functional.value - 1],
                KANO_WORDS[a.dysfunctional.value - 1],
            )
            for a in kano_rows(campaign)
        ],
    )


def weights_csv(campaign: SurveyCampaign) -> str:
    """SERVQUAL importance points: ``respondent,dimension,points``."""
    _ratings, weights = servqual_rows(campaign)
    return _csv(
        ("respondent", "dimension", "points"),
        [(who, d.value, f"{p:g}") for who, points in weights.items() for d, p in points.items()],
    )
