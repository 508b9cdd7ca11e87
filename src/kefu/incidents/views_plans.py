"""Plans sent for the customers' approval: the staff action and the contact's signed page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.incidents.models import ContinuationPlan, Incident
from kefu.incidents.services.plans import plan_answer, plan_send, plan_target
from kefu.incidents.views import incident_action


class PlanAnswerForm(forms.Form):
    question = forms.CharField(
        label=_("Your question (optional when you accept)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@incident_action()
def plan_send_view(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], plan_id: int
) -> None:
    plan = get_object_or_404(ContinuationPlan, pk=plan_id, incident=incident)
    notice = plan_send(actor=actor, plan=plan, at=timezone.now())
    messages.success(
        request,
        gettext("The plan was sent to %(count)s affected contacts for their approval.")
        % {"count": notice.deliveries.values("contact_id").distinct().count()},
    )


def plan_page(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's page: the plan in their language, accept it or ask a question.
    No login: the signed link is the proof."""
    target = plan_target(token=token)
    with translation.override(target.contact.language or "zh-hans"):
        form = PlanAnswerForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            try:
                answer = plan_answer(
                    token=token,
                    accept=request.POST.get("decision") == "accept",
                    question=form.cleaned_data["question"],
                    at=timezone.now(),
                )
            except DomainError as exc:
                error = exc.text()
            else:
                return render(
                    request,
                    "incidents/plan_answer.html",
                    {"target": target, "answer": answer, "done": True},
                )
        return render(
            request,
            "incidents/plan_answer.html",
            {
                "target": target,
                "answer": target.answer,
                "form": form,
                "done": False,
                "error": error,
            },
        )
