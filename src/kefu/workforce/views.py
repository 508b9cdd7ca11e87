"""Workforce pages: history import, forecasts, schedules, publishing, my schedule, exports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.workforce import charts, csv_io, selectors, services
from kefu.workforce.errors import CoreInputError, ScheduleProblemsError, WorkforceNotFoundError
from kefu.workforce.forms import ForecastForm, HistoryUploadForm, ScheduleForm
from kefu.workforce.ics import shifts_ics
from kefu.workforce.models import Forecast, Schedule

ACTIVE = "workforce"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"active": ACTIVE, **context}, status=status)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    context: dict[str, Any] = {
        "can_plan": selectors.can_plan(actor),
        "can_view": selectors.can_view(actor),
        "upcoming": selectors.my_shifts(actor=actor, since=timezone.localdate())[:5],
    }
    if context["can_view"]:
        context["forecasts"] = selectors.forecast_list(actor=actor, limit=5)
        context["schedules"] = selectors.schedule_list(actor=actor, limit=5)
    return _page(request, "workforce/index.html", context)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    authorize(actor, Perm.PLAN_WORKFORCE)
    summary = None
    status = 200
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            summary = services.history_import_csv(
                actor=actor,
                data=upload.read(csv_io.MAX_BYTES + 1),
                default_queue=form.cleaned_data["queue"],
                at=timezone.now(),
            )
            if summary.rejected and not (summary.imported or summary.updated):
                status = 422
        else:
            status = 422
    context = {"form": form, "summary": summary, "queues": selectors.queue_list(actor=actor)}
    return _page(request, "workforce/history.html", context, status)


@login_required
def forecasts(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    can_plan = selectors.can_plan(actor)
    form = ForecastForm(request.POST or None)
    status = 200
    if request.method == "POST":
        authorize(actor, Perm.PLAN_WORKFORCE)
        if form.is_valid():
            try:
                forecast = services.forecast_run(
                    actor=actor,
                    queue=form.cleaned_data["queue"],
                    start=form.cleaned_data["start"],
                    days=form.cleaned_data["days"],
                    at=timezone.now(),
                )
            except CoreInputError as exc:
                form.add_error(None, exc.text())
            else:
                return HttpResponseRedirect(reverse("workforce:forecast", args=[forecast.pk]))
        status = 422
    context = {
        "form": form,
        "can_plan": can_plan,
        "forecasts": selectors.forecast_list(actor=actor),
    }
    return _page(request, "workforce/forecasts.html", context, status)


@login_required
def forecast(request: HttpRequest, forecast_id: int) -> HttpResponse:
    actor = _user(request)
    item = selectors.access_forecast(actor, forecast_id)
    intervals = selectors.forecast_intervals(item)
    history_points = selectors.forecast_history(item)
    chart = charts.time_chart(
        [
            ("history", _("History"), history_points),
            ("forecast", _("Forecast"), [(row.interval_start, row.offered) for row in intervals]),
        ]
    )
    peak = max(intervals, key=lambda row: row.offered, default=None)
    context = {
        "forecast": item,
        "intervals": intervals,
        "chart": chart,
        "peak": peak,
        "history_count": len(history_points),
        "candidates": sorted(item.candidates.items(), key=lambda pair: pair[1]),
        "total_offered": sum(row.offered for row in intervals),
        "can_plan": selectors.can_plan(actor),
    }
    return _page(request, "workforce/forecast.html", context)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(("\ufeff" + text).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def forecast_requirements(request: HttpRequest, forecast_id: int) -> HttpResponse:
    item = selectors.access_forecast(_user(request), forecast_id)
    rows = (
        (row.interval_start.astimezone(services.LOCAL).isoformat(), row.required)
        for row in selectors.forecast_intervals(item)
    )
    return _csv_response(csv_io.write_rows(("interval_start", "required"), rows), "req.csv")


@login_required
def schedules(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    can_plan = selectors.can_plan(actor)
    initial: dict[str, Any] = {}
    chosen = Forecast.objects.filter(pk=request.GET.get("forecast") or 0).select_related("queue")
    picked = chosen.first()
    if picked is not None:
        initial = {
            "forecast": picked.pk,
            "team": picked.queue.team_id,
            "week_start": picked.start - timedelta(days=picked.start.weekday()),
        }
    form = ScheduleForm(request.POST or None, initial=initial)
    status = 200
    problems: list[str] = []
    if request.method == "POST":
        authorize(actor, Perm.PLAN_WORKFORCE)
        if form.is_valid():
            try:
                schedule = services.schedule_create(
                    actor=actor,
                    team=form.cleaned_data["team"],
                    forecast=form.cleaned_data["forecast"],
                    week_start=form.cleaned_data["week_start"],
                    rules=form.rules(),
                    time_limit_s=form.cleaned_data["time_limit"],
                    at=timezone.now(),
                )
            except ScheduleProblemsError as exc:
                problems = exc.sentences()
                form.add_error(None, exc.text())
            else:
                return HttpResponseRedirect(reverse("workforce:schedule", args=[schedule.pk]))
        status = 422
    context = {
        "form": form,
        "problems": problems,
        "can_plan": can_plan,
        "schedules": selectors.schedule_list(actor=actor),
    }
    return _page(request, "workforce/schedules.html", context, status)


def _schedule_context(actor: User, schedule: Schedule) -> dict[str, Any]:
    shifts = selectors.schedule_shifts(schedule)
    coverage = selectors.schedule_coverage(schedule, shifts)
    days, grid = selectors.schedule_grid(schedule, shifts)
    chart = charts.time_chart(
        [
            ("required", _("Required on the phones"), [(r.start, r.required) for r in coverage]),
            ("on_phone", _("Scheduled on the phones"), [(r.start, r.on_phone) for r in coverage]),
        ],
        step=frozenset({"required", "on_phone"}),
    )
    return {
        "schedule": schedule,
        "shifts": shifts,
        "coverage": coverage,
        "chart": chart,
        "days": days,
        "grid": grid,
        "can_plan": selectors.can_plan(actor),
        "short": sum(max(0, row.required - row.on_phone) for row in coverage),
        "required_total": sum(row.required for row in coverage),
    }


@login_required
def schedule(request: HttpRequest, schedule_id: int) -> HttpResponse:
    actor = _user(request)
    item = selectors.access_schedule(actor, schedule_id)
    return _page(request, "workforce/schedule.html", _schedule_context(actor, item))


@login_required
def schedule_status(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """The progress box the schedule page polls; once solved the page reloads itself."""
    item = selectors.access_schedule(_user(request), schedule_id)
    response = render(request, "workforce/_schedule_status.html", {"schedule": item})
    if not item.is_running and request.GET.get("running") == "1":
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def schedule_publish(request: HttpRequest, schedule_id: int) -> HttpResponse:
    actor = _user(request)
    item = selectors.access_schedule(actor, schedule_id)
    try:
        services.schedule_publish(actor=actor, schedule=item, at=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.text())
    else:
        messages.success(request, _("Schedule published; the agents have been notified."))
    return HttpResponseRedirect(reverse("workforce:schedule", args=[item.pk]))


@login_required
def schedule_csv(request: HttpRequest, schedule_id: int) -> HttpResponse:
    item = selectors.access_schedule(_user(request), schedule_id)
    rows: list[tuple[str, str, str, str]] = []
    for shift in selectors.schedule_shifts(item):
        rows.append(
            (
                shift.agent.username,
                "shift",
                shift.start.astimezone(services.LOCAL).isoformat(),
                shift.end.astimezone(services.LOCAL).isoformat(),
            )
        )
        rows.extend(
            (
                shift.agent.username,
                activity.type,
                activity.start.astimezone(services.LOCAL).isoformat(),
                activity.end.astimezone(services.LOCAL).isoformat(),
            )
            for activity in shift.activities.all()
        )
    text = csv_io.write_rows(("agent", "type", "start", "end"), rows)
    return _csv_response(text, f"schedule-{item.pk}-{item.week_start:%Y%m%d}.csv")


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def schedule_agent_ics(request: HttpRequest, schedule_id: int, username: str) -> HttpResponse:
    """One agent's shifts of one schedule: team viewers any agent, an agent only their own."""
    actor = _user(request)
    if actor.username == username and not selectors.can_view(actor):
        item, shifts = selectors.my_published_schedule(actor=actor, schedule_id=schedule_id)
    else:
        item = selectors.access_schedule(actor, schedule_id)
        agent = get_object_or_404(User, username=username)
        shifts = [shift for shift in selectors.schedule_shifts(item) if shift.agent_id == agent.pk]
        if not shifts:
            raise WorkforceNotFoundError()
    name = _("Shifts of %(agent)s") % {"agent": shifts[0].agent}
    body = shifts_ics(shifts, name=name, stamp=timezone.now())
    return _ics_response(body, f"shifts-{username}-{item.week_start:%Y%m%d}.ics")


@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    shifts = selectors.my_shifts(actor=actor, since=timezone.localdate() - timedelta(days=7))
    weeks: dict[Any, list[Any]] = {}
    for shift in shifts:
        weeks.setdefault(shift.schedule.week_start, []).append(shift)
    return _page(request, "workforce/my.html", {"weeks": sorted(weeks.items())})


@login_required
def my_schedule_ics(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    shifts = selectors.my_shifts(actor=actor, since=timezone.localdate() - timedelta(days=7))
    name = _("Shifts of %(agent)s") % {"agent": actor}
    return _ics_response(shifts_ics(shifts, name=name, stamp=timezone.now()), "my-shifts.ics")
