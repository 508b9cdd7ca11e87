"""People pages: the list and retention, one person's history, coaching, exits, recruitment."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.floor import services
from kefu.floor.days import local_day
from kefu.floor.forms import (
    CandidateForm,
    CareerEventForm,
    CoachingForm,
    DisciplineForm,
    ExitForm,
    StageForm,
)
from kefu.floor.retention import TenureBand
from kefu.floor.selectors import people as selectors
from kefu.floor.views._common import action
from kefu.floor.views.practices import person_practices

BAND_LABELS = {
    TenureBand.UNDER_3_MONTHS: "< 3",
    TenureBand.MONTHS_3_TO_6: "3–6",
    TenureBand.MONTHS_6_TO_12: "6–12",
    TenureBand.YEARS_1_TO_2: "12–24",
    TenureBand.OVER_2_YEARS: "24+",
}


@login_required
def people(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    if not actor.has_role_perm(Perm.VIEW_TEAM):
        return HttpResponseRedirect(reverse("floor:person", args=[actor.pk]))
    context: dict[str, Any] = {"active": "people", "people": selectors.people_list_for(actor)}
    if actor.has_role_perm(Perm.VIEW_USERS):
        figures = selectors.retention_for(actor, today=local_day(timezone.now()))
        top = max([count for _band, count in figures.bands] + [1])
        context |= {
            "figures": figures,
            "bands": [(BAND_LABELS[band], count, count / top) for band, count in figures.bands],
            "reasons": selectors.exit_reasons_for(actor),
            "exits": selectors.exits_for(actor)[:50],
        }
    return render(request, "floor/people.html", context)


def _person_context(actor: User, person: User) -> dict[str, Any]:
    history = selectors.agent_history(actor, person)
    conversations = [(c.pk, f"{c.held_at:%Y-%m-%d} {c.topic}") for c in history.coaching]
    top = max([p.score for p in history.qa_trend] + [100.0])
    return {
        "active": "people",
        "person": person,
        "history": history,
        "qa_points": [(p, p.score / top) for p in history.qa_trend],
        "can_manage": actor.pk != person.pk and actor.has_role_perm(Perm.VIEW_TEAM),
        "event_form": CareerEventForm(),
        "coaching_form": CoachingForm(),
        "discipline_form": DisciplineForm(conversations=conversations),
        "exit_form": ExitForm(),
        **person_practices(actor, person),
    }


@login_required
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = user_of(request)
    found = selectors.access_person(actor, user_id)
    return render(request, "floor/person.html", _person_context(actor, found))


def _to_person(user_id: int) -> str:
    return reverse("floor:person", args=[user_id])


@action(_to_person)
def career_event(request: HttpRequest, actor: User, user_id: int) -> None:
    found = selectors.access_person(actor, user_id)
    form = CareerEventForm(request.POST)
    if form.is_valid():
        services.career_event_record(
            actor=actor, agent=found, at=timezone.now(), **form.cleaned_data
        )


@action(_to_person)
def coaching(request: HttpRequest, actor: User, user_id: int) -> None:
    found = selectors.access_person(actor, user_id)
    form = CoachingForm(request.POST)
    if form.is_valid():
        services.coaching_record(actor=actor, agent=found, at=timezone.now(), **form.cleaned_data)


@action(_to_person)
def discipline(request: HttpRequest, actor: User, user_id: int) -> None:
    found = selectors.access_person(actor, user_id)
    raw = request.POST.get("coaching", "")
    services.disciplinary_note_record(
        actor=actor,
        agent=found,
        coaching_id=int(raw) if raw.isdigit() else None,
        text=request.POST.get("text", ""),
        at=timezone.now(),
    )


@action(_to_person)
def exit_record(request: HttpRequest, actor: User, user_id: int) -> None:
    found = selectors.access_person(actor, user_id)
    form = ExitForm(request.POST)
    if form.is_valid():
        services.exit_record(actor=actor, agent=found, at=timezone.now(), **form.cleaned_data)


# -- recruitment ---------------------------------------------------------------------------


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    stage = request.GET.get("stage", "")
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        national_id = data.pop("national_id")
        try:
            created = services.candidate_create(
                actor=actor,
                changes=cast(services.CandidateChanges, data),
                national_id=national_id,
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error("national_id", exc.text())
        else:
            return HttpResponseRedirect(reverse("floor:candidate", args=[created.pk]))
    context = {
        "active": "people",
        "candidates": selectors.candidates_for(actor, stage=stage)[:200],
        "stage": stage,
        "stages": services.recruitment.Stage.choices,
        "form": form,
    }
    return render(request, "floor/candidates.html", context, status=422 if form.errors else 200)


@login_required
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    actor = user_of(request)
    found = selectors.access_candidate(actor, candidate_id)
    context = {
        "active": "people",
        "candidate": found,
        "stage_form": StageForm(),
        "next_stages": sorted(services.recruitment.NEXT_STAGES[found.stage]),
        "can_reveal": actor.has_role_perm(Perm.REVEAL_PII),
    }
    return render(request, "floor/candidate.html", context)


@action(lambda candidate_id: reverse("floor:candidate", args=[candidate_id]))
def candidate_stage(request: HttpRequest, actor: User, candidate_id: int) -> None:
    found = selectors.access_candidate(actor, candidate_id)
    services.candidate_move(
        actor=actor, candidate=found, stage=request.POST.get("stage", ""), at=timezone.now()
    )


@require_POST
@login_required
def candidate_reveal(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """The full national ID in place of the mask (htmx), audit-logged by the service."""
    actor = user_of(request)
    found = selectors.access_candidate(actor, candidate_id)
    value = services.candidate_reveal_national_id(actor=actor, candidate=found, at=timezone.now())
    return render(request, "floor/_revealed.html", {"value": value})
