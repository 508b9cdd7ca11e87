"""Pages: rules (list, builder, dry-run, run log), macros (list, case panel, bulk) and webhooks."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kefu.automation import forms, selectors, services, webhooks
from kefu.automation.facts import FIELD_LABELS, FIELDS
from kefu.automation.models import Macro, Rule
from kefu.automation.rules import ACTION_TYPES, NOTIFY_TO, OPS, SETTABLE, TIME_SINCE
from kefu.cases.models import Case, ReplyTemplate
from kefu.cases.selectors import access_case
from kefu.core.errors import DomainError
from kefu.core.models import Department, Team, User
from kefu.core.roles import Role


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


ACTION_LABELS = {
    "set_field": gettext_lazy("Set a field"),
    "add_tags": gettext_lazy("Add tags"),
    "assign_person": gettext_lazy("Assign to a person"),
    "assign_team": gettext_lazy("Assign to a team"),
    "assign_routing": gettext_lazy("Assign by routing"),
    "add_watchers": gettext_lazy("Add a watcher"),
    "reply_template": gettext_lazy("Send a reply template (id)"),
    "note": gettext_lazy("Add an internal note"),
    "notify": gettext_lazy("Notify staff"),
    "webhook": gettext_lazy("Call a webhook (id)"),
}
OP_LABELS = {
    "eq": gettext_lazy("is"),
    "ne": gettext_lazy("is not"),
    "contains": gettext_lazy("contains"),
    "not_contains": gettext_lazy("does not contain"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "is": gettext_lazy("is (true/false)"),
    "gt": gettext_lazy("more than"),
    "gte": gettext_lazy("at least"),
    "lt": gettext_lazy("less than"),
    "lte": gettext_lazy("at most"),
    "is_set": gettext_lazy("is set"),
    "is_unset": gettext_lazy("is empty"),
}
SETTABLE_LABELS = {
    "priority": gettext_lazy("Priority"),
    "category": gettext_lazy("Category"),
    "status": gettext_lazy("Status"),
}
NOTIFY_LABELS = {
    "owner": gettext_lazy("the case owner"),
    "team_lead": gettext_lazy("the team lead"),
    "department_manager": gettext_lazy("the department manager"),
    "watchers": gettext_lazy("the watchers"),
}
EVENT_LABELS = {
    "case_opened": gettext_lazy("Case opened"),
    "customer_replied": gettext_lazy("Customer replied"),
    "agent_replied": gettext_lazy("Agent replied"),
    "status_changed": gettext_lazy("Status changed"),
    "coach_flagged": gettext_lazy("Coach read the customer as upset or threatening"),
    "sla_warning": gettext_lazy("SLA warning"),
    "sla_breached": gettext_lazy("SLA breached"),
    "csat_answered": gettext_lazy("CSAT answered"),
}


def _builder_context(actor: User) -> dict[str, Any]:
    ops = sorted({op for values in OPS.values() for op in values}, key=list(OP_LABELS).index)
    return {
        "fields": [(name, FIELD_LABELS.get(name, name)) for name in FIELDS],
        "ops": [(op, OP_LABELS[op]) for op in ops],
        "action_types": [(kind, ACTION_LABELS[kind]) for kind in ACTION_TYPES],
        "settable": [(value, SETTABLE_LABELS.get(value, value)) for value in SETTABLE],
        "notify_to": [(value, NOTIFY_LABELS.get(value, value)) for value in NOTIFY_TO],
        "events": [(code, EVENT_LABELS.get(code, code)) for code in services.TRIGGER_EVENTS],
        "since_choices": TIME_SINCE,
        "teams": list(
            Team.objects.select_related("department").order_by("department__name", "name")
        ),
        "departments": list(Department.objects.order_by("name")),
        "templates": ReplyTemplate.objects.filter(is_active=True).order_by("name"),
        "people": _people_for(actor),
    }


# The builder lists at most this many people; past it, type the id in the value box.
PEOPLE_LIMIT = 500


def _people_for(actor: User) -> list[User]:
    """Active staff the builder offers by name: the actor's department, or everyone for
    an administrator (who may write rules for every department)."""
    people = User.objects.filter(is_active=True).select_related("team")
    if not (actor.is_superuser or actor.role == Role.ADMINISTRATOR):
        people = (
            people.filter(department_id=actor.department_id)
            if actor.department_id is not None
            else people.none()
        )
    return list(people.order_by("display_name", "username")[:PEOPLE_LIMIT])


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    rules = list(selectors.rules_for(actor))
    return render(
        request,
        "automation/index.html",
        {
            "triggers": [r for r in rules if r.kind == Rule.Kind.TRIGGER],
            "automations": [r for r in rules if r.kind == Rule.Kind.AUTOMATION],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    actor = _user(request)
    rule = selectors.access_rule(actor, rule_id) if rule_id else None
    services.require_rule_manager(actor)
    kind = rule.kind if rule else request.GET.get("kind", Rule.Kind.TRIGGER)
    if kind not in Rule.Kind.values:
        kind = Rule.Kind.TRIGGER
    context: dict[str, Any] = {"rule": rule, "kind": kind, **_builder_context(actor)}
    if request.method == "POST":
        conditions = forms.conditions_from(request.POST)
        actions = forms.actions_from(request.POST)
        time = forms.time_from(request.POST)
        events = request.POST.getlist("events")
        try:
            saved = services.rule_save(
                actor=actor,
                rule=rule,
                name=request.POST.get("name", ""),
                kind=kind,
                events=events,
                conditions=conditions,
                actions=actions,
                time=time,
                position=int(request.POST.get("position") or 100),
                is_active=request.POST.get("is_active") == "on",
                at=timezone.now(),
            )
        except DomainError as exc:
            context.update(
                error=exc.text(),
                name=request.POST.get("name", ""),
                chosen_events=events,
                cond_rows=forms.rows_of(conditions),
                action_rows=forms.action_rows(actions),
                match=conditions.get("match", "all"),
                time=time or {},
                is_active=request.POST.get("is_active") == "on",
            )
            return render(request, "automation/rule_edit.html", context, status=422)
        messages.success(request, _("Rule saved: %(name)s") % {"name": saved.name})
        return redirect("automation:index")
    context.update(
        name=rule.name if rule else "",
        chosen_events=rule.events if rule else ["case_opened"],
        cond_rows=forms.rows_of(rule.conditions) if rule else [],
        action_rows=forms.action_rows(rule.actions) if rule else [],
        match=(rule.conditions or {}).get("match", "all") if rule else "all",
        time=(rule.time or {}) if rule else {"since": "updated", "hours": 48, "working": True},
        is_active=rule.is_active if rule else True,
    )
    return render(request, "automation/rule_edit.html", context)


@require_POST
@login_required
def dry_run(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    conditions = forms.conditions_from(request.POST)
    try:
        matched, examined = services.rule_dry_run(
            actor=actor, conditions=conditions, at=timezone.now()
        )
    except DomainError as exc:
        return render(request, "automation/_dry_run.html", {"error": exc.text()}, status=422)
    return render(
        request,
        "automation/_dry_run.html",
        {"matched": matched[:50], "count": len(matched), "examined": examined},
    )


@require_POST
@login_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = _user(request)
    rule = selectors.access_rule(actor, rule_id)
    services.rule_delete(actor=actor, rule=rule, at=timezone.now())
    messages.success(request, _("Rule deleted."))
    return redirect("automation:index")


@require_GET
@login_required
def rule_runs(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = _user(request)
    rule = selectors.access_rule(actor, rule_id)
    return render(
        request, "automation/runs.html", {"rule": rule, "runs": selectors.rule_runs(rule)}
    )


# Macros ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def macros(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    context: dict[str, Any] = {
        "macros": selectors.macros_for(actor),
        "scopes": Macro.Scope.choices,
        **_builder_context(actor),
    }
    if request.method == "POST":
        template_id = request.POST.get("reply_template", "")
        template = (
            ReplyTemplate.objects.filter(pk=int(template_id), is_active=True).first()
            if template_id.isdigit()
            else None
        )
        try:
            services.macro_save(
                actor=actor,
                name=request.POST.get("name", ""),
                scope=request.POST.get("scope", Macro.Scope.PERSONAL),
                actions=forms.actions_from(request.POST),
                reply_template=template,
                at=timezone.now(),
            )
        except DomainError as exc:
            context["error"] = exc.text()
            return render(request, "automation/macros.html", context, status=422)
        messages.success(request, _("Macro saved."))
        return redirect("automation:macros")
    return render(request, "automation/macros.html", context)


@require_GET
@login_required
def macro_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _user(request)
    case = access_case(actor, case_id)
    found = selectors.macros_for(actor)
    if not found or not case.is_open:
        return HttpResponse("")
    return render(request, "automation/_macro_panel.html", {"case": case, "macros": found})


@require_POST
@login_required
def macro_apply(request: HttpRequest, case_id: int, macro_id: int) -> HttpResponse:
    """Apply the macro; answer the reply box with the template's text (after what
    was typed) and, out of band, what the macro did."""
    actor = _user(request)
    case = access_case(actor, case_id)
    macro = selectors.access_macro(actor, macro_id)
    typed = request.POST.get("body", "")
    try:
        result = services.macro_apply(actor=actor, macro=macro, case=case, at=timezone.now())
    except DomainError as exc:
        return render(
            request,
            "automation/_macro_applied.html",
            {"text": typed, "error": exc.text(), "macro": macro},
            status=422,
        )
    text = "\n\n".join(part for part in (typed.strip(), result.reply_text) if part)
    return render(
        request,
        "automation/_macro_applied.html",
        {"text": text, "macro": macro, "case": result.case},
    )


@require_GET
@login_required
def macro_bulk_options(request: HttpRequest) -> HttpResponse:
    """The queue's bulk form loads this: a macro to apply to the ticked cases."""
    found = selectors.macros_for(_user(request))
    if not found:
        return HttpResponse("")
    return render(request, "automation/_macro_bulk.html", {"macros": found})


@require_POST
@login_required
def macro_bulk(request: HttpRequest) -> HttpResponse:
    """The queue's bulk form posts here with ``macro`` and the ticked ``cases``."""
    actor = _user(request)
    macro_id = request.POST.get("macro", "")
    macro = selectors.access_macro(actor, int(macro_id) if macro_id.isdigit() else 0)
    cases: list[Case] = []
    for value in request.POST.getlist("cases")[:200]:
        if value.isdigit():
            try:
                cases.append(access_case(actor, int(value)))
            except DomainError:
                continue
    result = services.macro_apply_bulk(actor=actor, macro=macro, cases=cases, at=timezone.now())
    if result.applied:
        messages.success(
            request,
            _("Macro %(name)s applied to %(count)s cases.")
            % {"name": macro.name, "count": len(result.applied)},
        )
    for reference, why in result.refused:
        messages.error(request, f"{reference}: {why}")
    return redirect("cases:queue")


# Webhooks ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    context: dict[str, Any] = {
        "subscriptions": list(selectors.webhooks_for(actor)),
        "deliveries": selectors.deliveries_for(actor),
        "events": webhooks.EVENTS,
    }
    if request.method == "POST":
        try:
            saved = webhooks.webhook_save(
                actor=actor,
                name=request.POST.get("name", ""),
                url=request.POST.get("url", "").strip(),
                events=request.POST.getlist("events"),
                at=timezone.now(),
            )
        except DomainError as exc:
            context["error"] = exc.text()
            return render(request, "automation/webhooks.html", context, status=422)
        messages.success(
            request,
            _("Webhook saved. Its signing secret: %(secret)s") % {"secret": saved.secret},
        )
        return redirect("automation:webhooks")
    return render(request, "automation/webhooks.html", context)
