"""The review page and its exports, the measures page, and the two public pages
(the feedback survey and shared evidence, both behind signed links)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.incidents import selectors, services
from kefu.incidents.forms import ActionForm, ReviewForm, SurveyForm
from kefu.incidents.models import Evidence
from kefu.incidents.review import review_markdown, review_pdf, review_report
from kefu.incidents.services._common import EVIDENCE_SALT
from kefu.incidents.views import incident_action


@login_required
def review(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    report = review_report(incident, now=timezone.now())
    whys = report.review.five_whys if report.review else []
    initial = {f"why{i}": why for i, why in enumerate(whys, start=1)}
    initial["summary"] = report.review.summary if report.review else ""
    context = {
        "incident": incident,
        "report": report,
        "form": ReviewForm(initial=initial),
        "action_form": ActionForm(),
        "can_run": actor.has_role_perm(Perm.RUN_INCIDENTS),
        "active": "incidents",
    }
    return render(request, "incidents/review.html", context)


def _back_to_review(incident_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("incidents:review", args=[incident_id]))


@require_POST
@login_required
def review_save(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_save(
                actor=actor,
                incident=incident,
                five_whys=form.whys(),
                summary=form.cleaned_data["summary"],
                at=timezone.now(),
            )
        except DomainError as exc:
            messages.error(request, exc.text())
        else:
            messages.success(request, _("Review saved."))
    return _back_to_review(incident_id)


@require_POST
@login_required
def review_action(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the action, its owner and a due date."))
        return _back_to_review(incident_id)
    owner: User = form.cleaned_data["owner"]
    try:
        services.review_action_add(
            actor=actor,
            incident=incident,
            description=form.cleaned_data["description"],
            owner=owner,
            due_on=form.cleaned_data["due_on"],
            at=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.text())
    return _back_to_review(incident_id)


@incident_action()
def close_review(request: HttpRequest, *, actor: User, incident: object, data: object) -> None:
    from kefu.incidents.models import Incident

    assert isinstance(incident, Incident)  # noqa: S101
    services.incident_close_review(actor=actor, incident=incident, at=timezone.now())


@login_required
def review_export(request: HttpRequest, incident_id: int, fmt: str) -> HttpResponse:
    incident = selectors.access_incident(_user(request), incident_id)
    report = review_report(incident, now=timezone.now())
    name = f"review-{incident.reference}"
    if fmt == "md":
        response = HttpResponse(
            review_markdown(report), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return response
    if fmt == "pdf":
        response = HttpResponse(review_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    raise Http404


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    rows = selectors.measures_across(actor=_user(request), now=timezone.now())
    return render(request, "incidents/measures.html", {"rows": rows, "active": "incidents"})


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The public feedback survey: no login, the signed link is the proof."""
    target = services.survey_target(token=token)
    with translation.override(target.contact.language):
        form = SurveyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.survey_answer(
                token=token,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                at=timezone.now(),
            )
            return render(request, "incidents/survey.html", {"done": True, "target": target})
        return render(
            request, "incidents/survey.html", {"form": form, "target": target, "done": False}
        )


def evidence_file(request: HttpRequest, token: str) -> FileResponse:
    """Shared evidence behind a signed link in the notices."""
    try:
        data = signing.loads(token, salt=EVIDENCE_SALT)
    except signing.BadSignature:
        raise Http404 from None
    item = Evidence.objects.filter(pk=data.get("e"), shared=True).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )
