"""SERVQUAL and KANO campaigns: the staff pages and the public answer page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from kefu.core.errors import DomainError
from kefu.core.requests import request_user as user_of
from kefu.quality import campaign_results as results
from kefu.quality import charts, selectors
from kefu.quality.forms_campaigns import CampaignForm, InviteForm, Read, read_kano, read_servqual
from kefu.quality.models import ServqualItem
from kefu.quality.models_campaigns import SurveyCampaign
from kefu.quality.services import LinkState
from kefu.quality.services import campaigns as services
from kefu.quality.servqual import Dimension
from kefu.quality.views_survey import _language

_STATUS = {LinkState.FORGED: 404, LinkState.EXPIRED: 410, LinkState.USED: 409}
_DIMENSIONS = dict(ServqualItem.Dimension.choices)
# The five KANO answers are part of the instrument's wording, like the questions.
KANO_LABELS = {
    "zh-hans": ("喜欢", "理所当然", "无所谓", "能忍受", "不喜欢"),
    "en": (
        "I like it",
        "I expect it (must-be)",
        "I am neutral",
        "I can live with it",
        "I dislike it",
    ),
}


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    rows = list(results.campaigns_for(actor))
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=actor,
                kind=data["kind"],
                name=data["name"],
                closes_at=data["closes_at"],
                at=timezone.now(),
                business=data["business"],
                instrument=1988 if data["instrument_1988"] else None,
                features=form.feature_texts(),
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return HttpResponseRedirect(reverse("quality:campaign", args=[campaign.pk]))
    status = 422 if request.method == "POST" else 200
    context = {"active": "quality", "campaigns": rows, "form": form}
    return render(request, "quality/campaigns.html", context, status=status)


def _chart(campaign: SurveyCampaign, result: dict[str, Any]) -> tuple[str, list[Any]]:
    if campaign.kind == SurveyCampaign.Kind.SERVQUAL:
        labels = [str(_DIMENSIONS[d.value]) for d in Dimension]
        gaps = [result["dimensions"][d.value]["gap"] for d in Dimension]
        svg = charts.radar(
            labels,
            gaps,
            title=_("SERVQUAL gaps by dimension"),
            desc=_("Perception minus expectation; below zero the service falls short."),
        )
        return svg, list(zip(labels, gaps, strict=True))
    points = [
        charts.ScatterPoint(name, -float(row["worse"]), float(row["better"]))
        for name, row in result.items()
        if row["better"] is not None
    ]
    svg = charts.scatter(
        points,
        title=_("KANO Better/Worse"),
        desc=_("Each feature placed by its Better and |Worse| coefficients."),
        x_label=_("|Worse| (dissatisfaction if absent)"),
        y_label=_("Better (satisfaction if present)"),
        quadrants=(_("Attractive"), _("One-dimensional"), _("Indifferent"), _("Must-be")),
    )
    return svg, list(result.items())


@login_required
@require_http_methods(["GET", "POST"])
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = user_of(request)
    found = results.campaign_for(actor, campaign_id)
    invite = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    message = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.campaign_close(actor=actor, campaign=found, at=timezone.now())
                return HttpResponseRedirect(reverse("quality:campaign", args=[found.pk]))
            if invite.is_valid():
                services.campaign_invite(
                    actor=actor,
                    campaign=found,
                    at=timezone.now(),
                    tag=invite.cleaned_data["tag"],
                    region=invite.cleaned_data["region"],
                )
                return HttpResponseRedirect(reverse("quality:campaign", args=[found.pk]))
        except DomainError as error:
            message = error.text()
    figures = results.campaign_figures(found)
    context: dict[str, Any] = {
        "active": "quality",
        "campaign": found,
        "figures": figures,
        "invite": invite,
        "message": message,
        "features": list(found.features.all()),
    }
    if figures.result is not None:
        context["chart"], context["rows"] = _chart(found, figures.result)
    return render(request, "quality/campaign.html", context, status=422 if message else 200)


@login_required
def campaign_csv(request: HttpRequest, campaign_id: int, part: str) -> HttpResponse:
    found = results.campaign_for(user_of(request), campaign_id)
    weights = part == "weights" and found.kind == SurveyCampaign.Kind.SERVQUAL
    text = results.weights_csv(found) if weights else results.answers_csv(found)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"campaign-{found.pk}-{'weights' if weights else 'answers'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _form_context(found: SurveyCampaign, language: str, read: Read) -> dict[str, Any]:
    english = language.startswith("en")
    if found.kind == SurveyCampaign.Kind.SERVQUAL:
        items = [
            {
                "number": i.number,
                "dimension": _DIMENSIONS[i.dimension],
                "text": i.text_en if english else i.text_zh,
                "scales": [
                    (
                        key,
                        label,
                        read.values.get(f"{key}{i.number}", ""),
                        read.errors.get(f"{key}{i.number}", ""),
                    )
                    for key, label in (("e", _("Expectation")), ("p", _("Perception")))
                ],
            }
            for i in selectors.servqual_items(found.business)
        ]
        dimensions = [
            {
                "key": d.value,
                "label": _DIMENSIONS[d.value],
                "value": read.values.get(f"w_{d.value}", ""),
                "error": read.errors.get(f"w_{d.value}", ""),
            }
            for d in Dimension
        ]
        return {"items": items, "dimensions": dimensions, "scale": range(1, 8)}
    labels = KANO_LABELS["en" if english else "zh-hans"]
    features = [
        {
            "pk": f.pk,
            "questions": [
                (
                    key,
                    text,
                    read.values.get(f"{key}{f.pk}", ""),
                    read.errors.get(f"{key}{f.pk}", ""),
                )
                for key, text in (
                    ("f", f.functional_en if english else f.functional_zh),
                    ("d", f.dysfunctional_en if english else f.dysfunctional_zh),
                )
            ],
        }
        for f in found.features.all()
    ]
    return {"features": features, "answers": [(str(n), w) for n, w in enumerate(labels, 1)]}


@csrf_protect
@require_http_methods(["GET", "POST"])
def campaign_answer(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    state, found = services.invitation_for_token(token, at=now)
    language = _language(request, found.language if found else settings.LANGUAGE_CODE)
    with translation.override(language):
        context: dict[str, Any] = {
            "state": state.value,
            "language": language,
            "languages": settings.LANGUAGES,
        }
        if state != LinkState.OPEN or found is None:
            return render(request, "quality/campaign_answer.html", context, status=_STATUS[state])
        campaign = found.campaign
        context["campaign"] = campaign
        read = Read()
        if request.method == "POST":
            if campaign.kind == SurveyCampaign.Kind.SERVQUAL:
                read = read_servqual(request.POST)
            else:
                read = read_kano(request.POST, list(campaign.features.all()))
            if not read.errors:
                try:
                    if campaign.kind == SurveyCampaign.Kind.SERVQUAL:
                        services.campaign_answer_servqual(
                            token=token, ratings=read.pairs, points=read.points, at=now
                        )
                    else:
                        services.campaign_answer_kano(token=token, answers=read.pairs, at=now)
                except DomainError as error:
                    context.update(state="refused", message=error.text())
                    return render(
                        request, "quality/campaign_answer.html", context, status=error.status
                    )
                context["state"] = "thanks"
                return render(request, "quality/campaign_answer.html", context)
        context.update(_form_context(campaign, language, read))
        context["errors"] = read.errors
        context["weights_error"] = read.errors.get("weights", "")
        status = 422 if read.errors else 200
        return render(request, "quality/campaign_answer.html", context, status=status)
