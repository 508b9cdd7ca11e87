"""People practices pages: the sick-pay table, the two-year list, overtime, openings and
scorecards; the person page's actions (contract type, onboarding ticks, overtime)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.floor.days import local_day
from kefu.floor.forms_practices import ContractTypeForm, LeavePolicyForm, OpeningForm, OvertimeForm
from kefu.floor.selectors import people as people_selectors
from kefu.floor.selectors import practices as selectors
from kefu.floor.services import practices as services
from kefu.floor.views._common import action


def _to_person(user_id: int) -> str:
    return reverse("floor:person", args=[user_id])


def person_practices(actor: User, person: User) -> dict[str, Any]:
    """What the person page adds for the people practices (merged into its context)."""
    today = local_day(timezone.now())
    own = actor.pk == person.pk
    shifts = selectors.exposure_for(actor, person, today=today)
    now = timezone.now()
    return {
        "sick_pay": selectors.sick_pay_for(person, year=today.year),
        "contract_type": selectors.contract_type_of(person),
        "contract_form": ContractTypeForm(
            initial={"contract_type": selectors.contract_type_of(person)}
        ),
        "onboarding": selectors.onboarding_for(person),
        "exposure_own": own,
        "exposure": shifts if own else [s for s in shifts if s.lead_may_see(now)],
        "overtime": selectors.overtime_for(person)[:20],
        "overtime_form": OvertimeForm(initial={"on": today}),
    }


@action(_to_person)
def person_contract(request: HttpRequest, actor: User, user_id: int) -> None:
    found = people_selectors.access_person(actor, user_id)
    services.person_contract_set(
        actor=actor,
        agent=found,
        contract_type=request.POST.get("contract_type", ""),
        at=timezone.now(),
    )


@action(_to_person)
def onboarding_tick(request: HttpRequest, actor: User, user_id: int) -> None:
    found = people_selectors.access_person(actor, user_id)
    services.onboarding_tick(
        actor=actor,
        agent=found,
        step=request.POST.get("step", ""),
        done=request.POST.get("done") == "1",
        at=timezone.now(),
    )


@action(_to_person)
def overtime_record(request: HttpRequest, actor: User, user_id: int) -> None:
    found = people_selectors.access_person(actor, user_id)
    form = OvertimeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return
    services.overtime_record(actor=actor, agent=found, at=timezone.now(), **form.cleaned_data)


@login_required
def leave_policies(request: HttpRequest) -> HttpResponse:
    """The sick-pay table: read by leads, edited by managers and administrators."""
    actor = user_of(request)
    rows = selectors.leave_policies_for(actor)
    form = LeavePolicyForm(request.POST or None, initial={"year": local_day(timezone.now()).year})
    can_edit = actor.has_role_perm(Perm.SET_PEOPLE_POLICY)
    if request.method == "POST":
        authorize(actor, Perm.SET_PEOPLE_POLICY)
        if form.is_valid():
            try:
                services.leave_policy_save(actor=actor, at=timezone.now(), **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.text())
            else:
                return HttpResponseRedirect(reverse("floor:leave_policies"))
    context = {"active": "people", "policies": rows, "form": form, "can_edit": can_edit}
    return render(request, "floor/leave_policies.html", context, status=422 if form.errors else 200)


@login_required
def two_year(request: HttpRequest) -> HttpResponse:
    """Agents nearing two years with no move yet, with the retention figures behind it."""
    actor = user_of(request)
    today = local_day(timezone.now())
    rows = selectors.two_year_list_for(actor, today=today)
    context = {
        "active": "people",
        "rows": rows,
        "figures": people_selectors.retention_for(actor, today=today),
    }
    return render(request, "floor/two_year.html", context)


def _month(raw: str, today: date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in raw.split("-", 1))
    except ValueError:
        return today.year, today.month
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return year, month
    return today.year, today.month


@login_required
def overtime(request: HttpRequest) -> HttpResponse:
    """Overtime per agent for one month (``?month=YYYY-MM``), with the reasons."""
    actor = user_of(request)
    year, month = _month(request.GET.get("month", ""), local_day(timezone.now()))
    rows = selectors.overtime_month_for(actor, year=year, month=month)
    context = {
        "active": "people",
        "rows": rows,
        "month": f"{year:04d}-{month:02d}",
        "total": sum(row.minutes for row in rows),
    }
    return render(request, "floor/overtime.html", context)


@login_required
def openings(request: HttpRequest) -> HttpResponse:
    """Openings with their bars and the report of hires against the bar."""
    actor = user_of(request)
    reports = selectors.hiring_report_for(actor)
    form = OpeningForm(request.POST or None)
    if request.method == "POST":
        authorize(actor, Perm.SET_PEOPLE_POLICY)
        if form.is_valid():
            try:
                created = services.opening_create(
                    actor=actor, at=timezone.now(), **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.text())
            else:
                return HttpResponseRedirect(reverse("floor:opening", args=[created.pk]))
    context = {
        "active": "people",
        "reports": reports,
        "form": form,
        "can_edit": actor.has_role_perm(Perm.SET_PEOPLE_POLICY),
    }
    return render(request, "floor/openings.html", context, status=422 if form.errors else 200)


@login_required
def opening(request: HttpRequest, opening_id: int) -> HttpResponse:
    """One opening: its criteria and bar, and a scorecard for each candidate."""
    actor = user_of(request)
    found = selectors.access_opening(actor, opening_id)
    candidates = people_selectors.candidates_for(actor)[:200]
    rows = [(c, selectors.candidate_average(c, found)) for c in candidates]
    context = {"active": "people", "opening": found, "rows": rows}
    return render(request, "floor/opening.html", context)


@action(lambda opening_id: reverse("floor:opening", args=[opening_id]))
def interview_score(request: HttpRequest, actor: User, opening_id: int) -> None:
    found = selectors.access_opening(actor, opening_id)
    raw = request.POST.get("candidate", "")
    candidate = people_selectors.access_candidate(actor, int(raw) if raw.isdigit() else 0)
    scores: dict[str, int] = {}
    for index, name in enumerate(found.criteria):
        value = request.POST.get(f"score_{index}", "")
        if value.isdigit():
            scores[name] = int(value)
    services.interview_score_record(
        actor=actor,
        opening=found,
        candidate=candidate,
        scores=scores,
        notes=request.POST.get("notes", ""),
        at=timezone.now(),
    )
