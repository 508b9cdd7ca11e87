"""The quality hub and the insights dashboard (with CSV and PDF export)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.authz import authorize
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.quality import charts, exports, selectors
from kefu.quality.forms import PeriodForm
from kefu.quality.metrics import AUDIENCES, Insights
from kefu.quality.metrics import insights as read_insights


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    context: dict[str, object] = {"active": "quality"}
    if actor.has_role_perm(Perm.VIEW_TEAM):
        context["surveys"] = selectors.surveys_recent(actor)
        context["can_view_team"] = True
    context["can_score"] = actor.has_role_perm(Perm.SCORE_QUALITY)
    return render(request, "quality/index.html", context)


def _period(request: HttpRequest) -> tuple[int, datetime, datetime]:
    form = PeriodForm(request.GET)
    days = (form.cleaned_data.get("days") or 30) if form.is_valid() else 30
    end = timezone.now()
    return int(days), end - timedelta(days=int(days)), end


def _pct(value: float | None) -> float | None:
    """A share as a percentage; None (nothing measured, "—") stays None, never 0 %."""
    return round(value * 100, 1) if value is not None else None


def dashboard_charts(figures: Insights) -> dict[str, str]:
    """The dashboard's SVG charts, labelled in the active language."""
    daily = figures.daily_cases
    return {
        "daily": charts.columns(
            [d.strftime("%m-%d") for d, _n in daily],
            [n for _d, n in daily],
            title=_("Cases opened per day"),
            desc=_("One column per day of the period."),
        ),
        "complaints": charts.bars(
            [r.line or "—" for r in figures.complaint_rates],
            [round(r.rate * 100, 1) for r in figures.complaint_rates],
            title=_("Complaint rate per business line"),
            desc=_("Complaints as a share of cases, per organisation industry."),
            unit="%",
        ),
        "csat": charts.bars(
            [_("%(score)s stars") % {"score": s} for s in range(5, 0, -1)],
            list(reversed(figures.csat_distribution)),
            title=_("CSAT answers by score"),
            desc=_("How many customers gave each score from 5 to 1."),
        ),
        "rates": charts.bars(
            [_("Service level"), _("Answer rate"), _("Commitments kept"), _("CSAT 4-5")],
            [
                _pct(figures.service_level),
                _pct(figures.answer_rate),
                _pct(figures.commitments_kept),
                _pct(figures.csat_satisfied),
            ],
            title=_("Rates"),
            desc=_("Service level, answer rate, commitments kept and satisfied customers, in %."),
            unit="%",
        ),
    }


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    authorize(actor, Perm.VIEW_TEAM)
    days, start, end = _period(request)
    audience = request.GET.get("audience", "external")
    audience = audience if audience in AUDIENCES else "external"
    figures = read_insights(start=start, end=end, audience=audience)
    context = {
        "active": "insights",
        "audience": audience,
        "figures": figures,
        "charts": dashboard_charts(figures),
        "form": PeriodForm(initial={"days": str(days)}),
        "days": days,
        "alarms": selectors.alarms(actor, limit=5),
    }
    return render(request, "quality/insights.html", context)


@login_required
def insights_csv(request: HttpRequest) -> HttpResponse:
    authorize(user_of(request), Perm.VIEW_TEAM)
    _days, start, end = _period(request)
    response = HttpResponse(
        exports.to_csv(read_insights(start=start, end=end)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kefu-insights-{end:%Y%m%d}.csv"'
    return response


@login_required
def insights_pdf(request: HttpRequest) -> HttpResponse:
    authorize(user_of(request), Perm.VIEW_TEAM)
    days, start, end = _period(request)
    title = _("Service report, last %(days)s days") % {"days": days}
    response = HttpResponse(
        exports.to_pdf(read_insights(start=start, end=end), title=title),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="kefu-insights-{end:%Y%m%d}.pdf"'
    return response
