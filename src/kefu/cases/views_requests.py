"""Internal customers' pages: my requests, raise a request, follow and reply on one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.cases.selectors_requests import request_thread, requests_of
from kefu.cases.services.internal import (
    INTERNAL_CATEGORIES,
    internal_case_open,
    requester_reply,
    require_requester,
)
from kefu.core.errors import DomainError
from kefu.core.models import Department
from kefu.core.requests import request_user


class RequestForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Which department should help"), queryset=Department.objects.order_by("name")
    )
    category = forms.ChoiceField(
        label=_("Kind of request"),
        choices=[(c.value, c.label) for c in Case.Category if c in INTERNAL_CATEGORIES],
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("What you need"), widget=forms.Textarea(attrs={"rows": 5}))


class RequestReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    actor = request_user(request)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = internal_case_open(
                actor=actor,
                department=form.cleaned_data["department"],
                category=form.cleaned_data["category"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(
                request,
                gettext("Your request %(ref)s was sent to %(department)s.")
                % {"ref": case.reference, "department": case.department.name},
            )
            return HttpResponseRedirect(reverse("cases:request", args=[case.pk]))
    return render(
        request,
        "cases/requests.html",
        {"form": form, "cases": requests_of(actor)[:200], "active": "requests"},
    )


@login_required
def request_page(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_user(request)
    case = require_requester(actor, case_id)
    form = RequestReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            requester_reply(
                actor=actor, case_id=case.pk, body=form.cleaned_data["body"], at=timezone.now()
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            return HttpResponseRedirect(reverse("cases:request", args=[case.pk]))
    return render(
        request,
        "cases/request.html",
        {
            "case": case,
            "thread": request_thread(case),
            "commitments": case.commitments.filter(status="open").order_by("due_at"),
            "form": form,
            "active": "requests",
        },
    )
