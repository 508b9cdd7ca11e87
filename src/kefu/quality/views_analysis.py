"""SERVQUAL and KANO analysis pages, root causes, Pareto and early-warning alarms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.cases.selectors import visible_cases
from kefu.core.authz import authorize
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.quality import charts, selectors, services
from kefu.quality.analysis import decode, kano_analyse, servqual_analyse
from kefu.quality.forms import KanoUploadForm, PeriodForm, RootCauseForm, ServqualUploadForm
from kefu.quality.models import Cause, ServqualItem
from kefu.quality.services.alarms import alarm_cases, series_label
from kefu.quality.servqual import Dimension

_DIMENSION_LABELS = dict(ServqualItem.Dimension.choices)


@login_required
def servqual(request: HttpRequest) -> HttpResponse:
    authorize(user_of(request), Perm.VIEW_TEAM)
    form = ServqualUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"active": "quality", "form": form}
    if request.method == "POST" and form.is_valid():
        weights = form.cleaned_data["weights"]
        outcome = servqual_analyse(
            decode(form.cleaned_data["file"].read()),
            weights_text=decode(weights.read()) if weights else None,
            instrument=1988 if form.cleaned_data["instrument_1988"] else None,
        )
        context["errors"] = outcome.errors
        if outcome.result is not None:
            dimensions: Any = outcome.result["dimensions"]
            labels = [str(_DIMENSION_LABELS[d.value]) for d in Dimension]
            gaps = [dimensions[d.value]["gap"] for d in Dimension]
            context["result"] = outcome.result
            context["rows"] = list(zip(labels, gaps, strict=True))
            context["radar"] = charts.radar(
                labels,
                gaps,
                title=_("SERVQUAL gaps by dimension"),
                desc=_("Perception minus expectation; below zero the service falls short."),
            )
    english = (get_language() or "").startswith("en")
    context["items"] = [
        (i.number, _DIMENSION_LABELS[i.dimension], i.text_en if english else i.text_zh)
        for i in selectors.servqual_items()
    ]
    return render(
        request, "quality/servqual.html", context, status=422 if context.get("errors") else 200
    )


@login_required
def kano(request: HttpRequest) -> HttpResponse:
    authorize(user_of(request), Perm.VIEW_TEAM)
    form = KanoUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"active": "quality", "form": form}
    if request.method == "POST" and form.is_valid():
        outcome = kano_analyse(decode(form.cleaned_data["file"].read()))
        context["errors"] = outcome.errors
        if outcome.result is not None:
            context["result"] = outcome.result
            points = [
                charts.ScatterPoint(feature, -float(row["worse"]), float(row["better"]))
                for feature, row in outcome.result.items()
                if isinstance(row, dict) and row["better"] is not None
            ]
            context["scatter"] = charts.scatter(
                points,
                title=_("KANO Better/Worse"),
                desc=_("Each feature placed by its Better and |Worse| coefficients."),
                x_label=_("|Worse| (dissatisfaction if absent)"),
                y_label=_("Better (satisfaction if present)"),
                quadrants=(_("Attractive"), _("One-dimensional"), _("Indifferent"), _("Must-be")),
            )
    return render(
        request, "quality/kano.html", context, status=422 if context.get("errors") else 200
    )


@login_required
def root_causes(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    form = RootCauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cases = [selectors.case_for_reference(actor, ref) for ref in form.references()]
        analysis = services.root_cause_record(
            actor=actor,
            problem=form.cleaned_data["problem"],
            causes=form.causes(),
            whys=form.whys(),
            cases=cases,
            incident_id=form.cleaned_data["incident"],
            conclusion=form.cleaned_data["conclusion"],
            at=timezone.now(),
        )
        return HttpResponseRedirect(reverse("quality:root_cause", args=[analysis.pk]))
    context = {
        "active": "quality",
        "form": form,
        "analyses": selectors.root_causes(actor)[:50],
        "cause_fields": [form[f"cause_{v}"] for v in Cause.Category.values],
        "why_fields": [form[f"why_{n}"] for n in range(1, 6)],
    }
    return render(request, "quality/root_causes.html", context, status=422 if form.errors else 200)


@login_required
def root_cause(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = selectors.root_cause_get(user_of(request), analysis_id)
    causes = list(analysis.causes.all())
    bones = [
        (str(label), [c.text for c in causes if c.category == value])
        for value, label in Cause.Category.choices
    ]
    context = {
        "active": "quality",
        "analysis": analysis,
        "bones": bones,
        "fishbone": charts.fishbone(analysis.problem, bones, title=_("Fishbone diagram")),
    }
    return render(request, "quality/root_cause.html", context)


@login_required
def pareto(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    form = PeriodForm(request.GET)
    days = (form.cleaned_data.get("days") or 90) if form.is_valid() and request.GET else 90
    end = timezone.now()
    by_category = request.GET.get("by") == "category"
    rows = selectors.cause_pareto(
        actor, start=end - timedelta(days=days), end=end, by_category=by_category
    )
    chart = charts.columns(
        [r.label for r in rows],
        [r.count for r in rows],
        title=_("Pareto of causes"),
        desc=_(
            "Causes by number of cases, with the cumulative share; red columns are the vital few."
        ),
        cumulative=[r.cumulative for r in rows],
        highlight=[r.is_vital for r in rows],
    )
    context = {
        "active": "quality",
        "rows": rows,
        "chart": chart,
        "form": PeriodForm(initial={"days": str(days)}),
        "by_category": by_category,
    }
    return render(request, "quality/pareto.html", context)


@login_required
def alarms(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    rows = [(a, series_label(a)) for a in selectors.alarms(actor)]
    return render(request, "quality/alarms.html", {"active": "insights", "rows": rows})


@login_required
def alarm(request: HttpRequest, alarm_id: int) -> HttpResponse:
    actor = user_of(request)
    found = selectors.alarm_get(actor, alarm_id)
    cases = alarm_cases(found).filter(pk__in=visible_cases(actor).values("pk"))
    context = {
        "active": "insights",
        "alarm": found,
        "label": series_label(found),
        "cases": cases[:200],
    }
    return render(request, "quality/alarm.html", context)
