"""The public survey page behind a signed link: no login, the contact's language by
default (``?lang=`` switches), one answer per survey."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from kefu.core.errors import DomainError
from kefu.quality import services
from kefu.quality.forms import SurveyAnswerForm
from kefu.quality.services import LinkState

_STATUS = {LinkState.FORGED: 404, LinkState.EXPIRED: 410, LinkState.USED: 409}


def _language(request: HttpRequest, default: str) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    chosen = request.GET.get("lang", "")
    if chosen in known:
        return chosen
    return default if default in known else settings.LANGUAGE_CODE


@csrf_protect
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    state, found = services.survey_for_token(token, at=now)
    language = _language(request, found.language if found else settings.LANGUAGE_CODE)
    with translation.override(language):
        context: dict[str, object] = {
            "state": state.value,
            "survey": found if state == LinkState.OPEN else None,
            "language": language,
            "languages": settings.LANGUAGES,
        }
        if state != LinkState.OPEN:
            return render(request, "quality/survey.html", context, status=_STATUS[state])
        form = SurveyAnswerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(
                    token=token,
                    csat=form.cleaned_data["csat"],
                    nps=form.cleaned_data["nps"],
                    comment=form.cleaned_data["comment"],
                    at=now,
                )
            except DomainError as error:
                context.update(state="refused", message=error.text())
                return render(request, "quality/survey.html", context, status=error.status)
            context["state"] = "thanks"
            return render(request, "quality/survey.html", context)
        context["form"] = form
        status = 422 if request.method == "POST" else 200
        return render(request, "quality/survey.html", context, status=status)
