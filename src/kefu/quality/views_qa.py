"""QA scorecards: the inspector's scoring page, calibration, and the agent's "my QA"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.authz import authorize
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.quality import selectors, services
from kefu.quality.forms import CalibrationForm, CaseReferenceForm, ScoreForm
from kefu.quality.models import QaCalibration
from kefu.quality.services.scoring import rubric


@login_required
def qa_index(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    authorize(actor, Perm.SCORE_QUALITY)
    form = CaseReferenceForm(request.GET or None)
    if form.is_valid():
        case = selectors.case_for_reference(actor, form.cleaned_data["reference"])
        return HttpResponseRedirect(reverse("quality:qa_case", args=[case.pk]))
    context = {
        "active": "quality",
        "form": form,
        "calibration_form": CalibrationForm(),
        "scores": selectors.qa_scores_recent(actor),
        "calibrations": selectors.calibrations(actor),
    }
    return render(request, "quality/qa_index.html", context)


@login_required
def qa_case(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = user_of(request)
    case = selectors.case_for_scoring(actor, case_id)
    session = None
    if request.GET.get("calibration", "").isdigit():
        session = QaCalibration.objects.filter(
            pk=int(request.GET["calibration"]), case=case
        ).first()
    criteria = rubric()
    pre = services.qa_pre_scores(case)
    initial = {f"c_{code}": str(value) for code, value in pre.items() if value is not None}
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.qa_score_case(
            actor=actor,
            case=case,
            values=form.values(),
            feedback=form.cleaned_data["feedback"],
            at=timezone.now(),
            calibration=session,
        )
        messages.success(
            request, _("Scorecard saved for %(reference)s.") % {"reference": case.reference}
        )
        if session is not None:
            return HttpResponseRedirect(reverse("quality:calibration", args=[session.pk]))
        return HttpResponseRedirect(reverse("quality:qa"))
    fields = [
        (criterion, form[f"c_{criterion.code}"], pre.get(criterion.code)) for criterion in criteria
    ]
    context = {
        "active": "quality",
        "case": case,
        "session": session,
        "form": form,
        "fields": fields,
        "conversation": selectors.conversation(case),
    }
    return render(request, "quality/qa_case.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def calibration_open(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    form = CalibrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a case reference."))
        return HttpResponseRedirect(reverse("quality:qa"))
    case = selectors.case_for_reference(actor, form.cleaned_data["reference"])
    session = services.qa_calibration_open(
        actor=actor, case=case, title=form.cleaned_data["title"], at=timezone.now()
    )
    return HttpResponseRedirect(reverse("quality:calibration", args=[session.pk]))


@login_required
def calibration(request: HttpRequest, session_id: int) -> HttpResponse:
    view = selectors.calibration_compare(user_of(request), session_id)
    context = {"active": "quality", "view": view}
    return render(request, "quality/calibration.html", context)


@login_required
def qa_mine(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    context = {"active": "quality", "scores": selectors.qa_scores_for_agent(actor)}
    return render(request, "quality/qa_mine.html", context)
