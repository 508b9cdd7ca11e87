"""Floor pages: the agent's own panel, the lead's live hands, leave, intraday, meals."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.cases.selectors import access_case_by_reference
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as user_of
from kefu.core.roles import Perm
from kefu.floor import plan, selectors, services
from kefu.floor.adherence import PlanKind
from kefu.floor.days import local_day
from kefu.floor.forms import BreakForm, HandForm, LeaveForm, StateForm
from kefu.floor.models import BREAK_STATES, RaisedHand
from kefu.floor.services.states import EARLY_START
from kefu.floor.views._common import action


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return local_day(timezone.now())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    now = timezone.now()
    today = local_day(now)
    current = services.state_current(actor)
    is_lead = actor.has_role_perm(Perm.VIEW_TEAM)
    context = {
        "active": "floor",
        "now": now,
        "current": current,
        "on_break": current is not None and current.state in BREAK_STATES,
        "my_hand": RaisedHand.objects.filter(agent=actor, closed_at__isnull=True)
        .select_related("case")
        .first(),
        "next_break": plan.planned_activity_near(
            actor,
            now,
            kinds=frozenset({PlanKind.BREAK, PlanKind.MEAL}),
            early=EARLY_START * 6,
        ),
        "hand_form": HandForm(),
        "state_form": StateForm(initial={"state": current.state if current else "available"}),
        "break_form": BreakForm(),
        "special_breaks": selectors.special_breaks_for(actor, day=today)[:50],
        "is_lead": is_lead,
        "can_work": actor.has_role_perm(Perm.WORK_CASES),
    }
    if is_lead:
        context |= {
            "hands": selectors.hands_open_for(actor),
            "helped": selectors.hands_recent_for(actor, day=today)[:20],
            "team_states": selectors.team_states_for(actor),
            "suggestions": selectors.suggestions_open_for(actor)[:20],
        }
    return render(request, "floor/index.html", context)


@login_required
def hands_live(request: HttpRequest) -> HttpResponse:
    """The lead's queue of raised hands, polled every second by htmx."""
    actor = user_of(request)
    context = {"hands": selectors.hands_open_for(actor), "now": timezone.now()}
    return render(request, "floor/_hands.html", context)


@action(lambda: reverse("floor:index"))
def hand_raise(request: HttpRequest, actor: User) -> None:
    form = HandForm(request.POST)
    form.is_valid()
    reference = form.cleaned_data.get("case", "").strip()
    # Through the desk's access check: a case the agent may not open reads as missing.
    case = access_case_by_reference(actor, reference) if reference else None
    services.hand_raise(
        actor=actor, case=case, note=form.cleaned_data.get("note", ""), at=timezone.now()
    )
    messages.success(request, _("Your hand is up. Your team lead can see it."))


@action(lambda hand_id: reverse("floor:index"))
def hand_acknowledge(request: HttpRequest, actor: User, hand_id: int) -> None:
    hand = selectors.access_hand(actor, hand_id)
    services.hand_acknowledge(actor=actor, hand=hand, at=timezone.now())


@action(lambda hand_id: reverse("floor:index"))
def hand_close(request: HttpRequest, actor: User, hand_id: int) -> None:
    hand = selectors.access_hand(actor, hand_id)
    services.hand_close(actor=actor, hand=hand, at=timezone.now())


@action(lambda: reverse("floor:index"))
def state_change(request: HttpRequest, actor: User) -> None:
    form = StateForm(request.POST)
    if form.is_valid():
        services.state_change(actor=actor, state=form.cleaned_data["state"], at=timezone.now())


@action(lambda: reverse("floor:index"))
def break_start(request: HttpRequest, actor: User) -> None:
    form = BreakForm(request.POST)
    if not form.is_valid():
        return
    state = services.break_start(
        actor=actor,
        kind=form.cleaned_data["kind"],
        reason=form.cleaned_data["reason"],
        at=timezone.now(),
    )
    messages.success(
        request, _("Enjoy your break: %(state)s.") % {"state": state.get_state_display()}
    )


@action(lambda: reverse("floor:index"))
def break_end(request: HttpRequest, actor: User) -> None:
    services.break_end(actor=actor, at=timezone.now())


# -- leave ---------------------------------------------------------------------------------


@login_required
def leave(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    is_lead = actor.has_role_perm(Perm.VIEW_TEAM)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entered = services.leave_request(actor=actor, at=timezone.now(), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            if entered.status == entered.Status.APPROVED:
                messages.success(request, _("Get well soon. Your leave is recorded."))
            else:
                messages.success(request, _("Your leave request is with your team lead."))
            return render_leave(request, actor, LeaveForm(), is_lead)
    return render_leave(request, actor, form, is_lead, status=422 if form.errors else 200)


def render_leave(
    request: HttpRequest, actor: User, form: LeaveForm, is_lead: bool, status: int = 200
) -> HttpResponse:
    context = {
        "active": "floor",
        "form": form,
        "mine": selectors.leave_list_for(actor, mine=True)[:50],
        "is_lead": is_lead,
        "team": selectors.leave_list_for(actor).exclude(agent=actor)[:100] if is_lead else [],
        "suggestions": selectors.suggestions_open_for(actor) if is_lead else [],
    }
    return render(request, "floor/leave.html", context, status=status)


@action(lambda leave_id: reverse("floor:leave"))
def leave_decide(request: HttpRequest, actor: User, leave_id: int) -> None:
    item = selectors.access_leave(actor, leave_id)
    services.leave_decide(
        actor=actor, leave=item, approve=request.POST.get("approve") == "1", at=timezone.now()
    )


@action(lambda leave_id: reverse("floor:leave"))
def leave_cancel(request: HttpRequest, actor: User, leave_id: int) -> None:
    item = selectors.access_leave(actor, leave_id)
    services.leave_cancel(actor=actor, leave=item, at=timezone.now())


@action(lambda suggestion_id: reverse("floor:leave"))
def suggestion_close(request: HttpRequest, actor: User, suggestion_id: int) -> None:
    suggestion = selectors.suggestions_open_for(actor).get(pk=suggestion_id)
    services.suggestion_close(
        actor=actor, suggestion=suggestion, done=request.POST.get("done") == "1", at=timezone.now()
    )


# -- intraday, adherence, meals ------------------------------------------------------------


@login_required
def intraday(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    queue_id = request.GET.get("queue_id", "")
    view = selectors.intraday_view(
        actor=actor,
        day=_day(request),
        now=timezone.now(),
        queue_id=int(queue_id) if queue_id.isdigit() else None,
        queue_name=request.GET.get("queue", ""),
    )
    peak = max([r.offered for r in view.rows] + [r.forecast_offered or 0 for r in view.rows] + [1])
    context = {"active": "floor", "view": view, "peak": peak}
    return render(request, "floor/intraday.html", context)


@login_required
def adherence(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    agent = None if actor.has_role_perm(Perm.VIEW_TEAM) else actor
    rows = selectors.adherence_for(actor=actor, day=_day(request), now=timezone.now(), agent=agent)
    context = {"active": "floor", "rows": rows, "day": _day(request)}
    return render(request, "floor/adherence.html", context)


@login_required
def meals(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    day = _day(request)
    context = {
        "active": "floor",
        "day": day,
        "alerts": selectors.meal_alerts_for(actor, day=day),
        "delays": selectors.meal_delays_for(actor=actor, day=day, now=timezone.now()),
        "can_resolve": actor.has_role_perm(Perm.WATCH_FLOOR),
    }
    return render(request, "floor/meals.html", context)


@action(lambda alert_id: reverse("floor:meals"))
def meal_alert_resolve(request: HttpRequest, actor: User, alert_id: int) -> None:
    services.meal_alert_resolve(actor=actor, alert_id=alert_id, at=timezone.now())
