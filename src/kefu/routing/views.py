"""Routing pages: the teams a lead manages (settings, skills, the cases waiting and
why), and the case page's routing panel (requirements, the latest decision).

A refused form is drawn again with what was typed and the reason in words; a
success goes back where it came from (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kefu.cases.models import CaseEvent
from kefu.cases.selectors import access_case
from kefu.core.errors import DomainError
from kefu.core.models import Team, User
from kefu.core.requests import request_user
from kefu.routing import reasons, selectors, services
from kefu.routing.forms import SkillFields, SkillForm, TeamRoutingForm
from kefu.routing.models import CaseRouting


def _waiting_rows(team: Team) -> list[dict[str, Any]]:
    return [
        {
            "routing": row,
            "case": row.case,
            "reason": reasons.decision_text(row.reason, row.reason_params),
        }
        for row in selectors.waiting_for_team(team)[:50]
    ]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = request_user(request)
    teams = list(selectors.teams_for(actor))
    rows = [
        {"team": team, "routing": selectors.team_routing(team), "waiting": _waiting_rows(team)}
        for team in teams
    ]
    return render(request, "routing/index.html", {"rows": rows})


def _team_context(actor: User, team: Team, **forms: Any) -> dict[str, Any]:
    row = selectors.team_routing(team)
    agents = selectors.team_agents(team)
    skills = [
        {
            "skill": s,
            "kind": reasons.kind_label(s.kind),
            "value": reasons.value_label(s.kind, s.value),
        }
        for s in selectors.skills_for_team(team)
    ]
    return {
        "team": team,
        "routing": row,
        "form": forms.get("form") or TeamRoutingForm(initial=TeamRoutingForm.initial_for(row)),
        "skill_form": forms.get("skill_form") or SkillForm(agents=agents),
        "skills": skills,
        "waiting": _waiting_rows(team),
    }


@require_http_methods(["GET", "POST"])
@login_required
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request_user(request)
    team = selectors.access_team(actor, team_id)
    if request.method == "GET":
        return render(request, "routing/team.html", _team_context(actor, team))
    form = TeamRoutingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.team_routing_save(
                actor=actor,
                team=team,
                at=timezone.now(),
                method=data["method"],
                is_enabled=data["is_enabled"],
                fallback_minutes=data["fallback_minutes"],
                require_shift=data["require_shift"],
                sticky_days=data["sticky_days"],
                capacity=data["capacity"],
                channel_capacity=form.channel_capacity(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(request, _saved())
            return HttpResponseRedirect(reverse("routing:team", args=[team.pk]))
    return render(request, "routing/team.html", _team_context(actor, team, form=form), status=422)


def _saved() -> str:
    return _("Saved.")


@require_POST
@login_required
def skill_add(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request_user(request)
    team = selectors.access_team(actor, team_id)
    form = SkillForm(request.POST, agents=selectors.team_agents(team))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.skill_set(
                actor=actor,
                agent=data["agent"],
                kind=data["kind"],
                value=data["value"],
                level=data["level"],
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(request, _saved())
            return HttpResponseRedirect(reverse("routing:team", args=[team.pk]))
    context = _team_context(actor, team, skill_form=form)
    return render(request, "routing/team.html", context, status=422)


@require_POST
@login_required
def skill_remove(request: HttpRequest, skill_id: int) -> HttpResponse:
    actor = request_user(request)
    skill = selectors.access_skill(actor, skill_id)
    team_id = skill.agent.team_id
    services.skill_remove(actor=actor, skill=skill, at=timezone.now())
    messages.success(request, _saved())
    return HttpResponseRedirect(reverse("routing:team", args=[team_id]))


# -- the case panel ------------------------------------------------------------------------


def _panel_context(actor: User, case_id: int, form: SkillFields | None = None) -> dict[str, Any]:
    case = access_case(actor, case_id)
    row = selectors.case_routing(case)
    needs = selectors.requirements_for(case, row)
    latest = (
        CaseEvent.objects.filter(case=case, kind__in=(reasons.ROUTED_EVENT, reasons.WAITING_EVENT))
        .order_by("-at", "-pk")
        .first()
    )
    waiting = row is not None and row.status == CaseRouting.Status.WAITING and case.owner_id is None
    return {
        "case": case,
        "routing": row,
        "requirements": [
            {
                "kind": reasons.kind_label(n.kind),
                "value": reasons.value_label(n.kind, n.value),
                "level": n.level,
            }
            for n in needs
        ],
        "is_manual": bool(row and row.is_manual),
        "waiting_reason": reasons.decision_text(row.reason, row.reason_params)
        if waiting and row
        else "",
        "latest": reasons.routed_event_text(latest.data)
        if latest is not None and latest.kind == reasons.ROUTED_EVENT
        else "",
        "can_manage": selectors.can_manage(actor),
        "form": form or SkillFields(),
    }


@require_GET
@login_required
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_user(request)
    return render(request, "routing/_case_panel.html", _panel_context(actor, case_id))


@require_POST
@login_required
def case_requirements(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add or remove a requirement set by hand, or go back to those read from the case."""
    actor = request_user(request)
    case = access_case(actor, case_id)
    selectors.authorize_manage(actor)
    row = selectors.case_routing(case)
    current = [
        {"kind": n.kind, "value": n.value, "level": n.level}
        for n in selectors.requirements_for(case, row)
    ]
    op = request.POST.get("op", "add")
    at = timezone.now()
    back = HttpResponseRedirect(reverse("cases:case", args=[case.pk]))
    if op == "derive":
        services.case_requirements_set(actor=actor, case=case, requirements=None, at=at)
        return back
    if op == "remove":
        index = request.POST.get("index", "")
        kept = [item for i, item in enumerate(current) if str(i) != index]
        services.case_requirements_set(actor=actor, case=case, requirements=kept, at=at)
        return back
    form = SkillFields(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        wanted = [
            item
            for item in current
            if (item["kind"], item["value"]) != (data["kind"], data["value"])
        ]
        wanted.append({"kind": data["kind"], "value": data["value"], "level": data["level"]})
        try:
            services.case_requirements_set(actor=actor, case=case, requirements=wanted, at=at)
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            return back
    context = _panel_context(actor, case.pk, form=form)
    return render(request, "routing/_case_panel.html", context, status=422)


@require_POST
@login_required
def case_route(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_user(request)
    case = access_case(actor, case_id)
    result = services.case_route_now(actor=actor, case=case, at=timezone.now())
    if result.text:
        messages.info(request, result.text)
    return HttpResponseRedirect(reverse("cases:case", args=[case.pk]))
