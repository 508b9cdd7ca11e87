"""Incident pages: the list, the incident page and its actions (post, redirect, get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actions import Action, View, record_action
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.customers.models import Organisation
from kefu.incidents import selectors, services
from kefu.incidents.forms import (
    CallForm,
    EvidenceForm,
    ImpactForm,
    IncidentForm,
    MeetingForm,
    MinutesForm,
    PickForm,
    PlanForm,
    ReasonForm,
    ResumeForm,
    TextForm,
    UpdateForm,
    UpdateNowForm,
)
from kefu.incidents.models import (
    CallTask,
    Incident,
    IncidentContact,
    ManualOutreach,
    Meeting,
    Notice,
    ReadinessItem,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = IncidentForm(
        initial={"started_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.incident_create(
                    actor=actor,
                    title=data["title"],
                    kind=data["kind"],
                    cause=data["cause"],
                    next_steps=data["next_steps"],
                    contact_point=data["contact_point"],
                    started_at=data["started_at"],
                    expected_from=data["expected_from"],
                    expected_to=data["expected_to"],
                    update_interval_hours=data["intervals"],
                    auto_send_updates=data["auto_send_updates"],
                    at=timezone.now(),
                )
            except DomainError as exc:
                messages.error(request, exc.text())
            else:
                return HttpResponseRedirect(reverse("incidents:incident", args=[incident.pk]))
    context = {
        "incidents": selectors.incident_list(actor=actor)[:100],
        "form": form,
        "can_run": actor.has_role_perm(Perm.RUN_INCIDENTS),
        "active": "incidents",
    }
    return render(request, "incidents/index.html", context, status=422 if form.errors else 200)


def _tags() -> list[str]:
    tags: set[str] = set()
    for values in Organisation.objects.exclude(tags=[]).values_list("tags", flat=True)[:2000]:
        tags.update(values or [])
    return sorted(tags)


@login_required
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor = _user(request)
    return _incident_page(request, actor, selectors.access_incident(actor, incident_id))


def _incident_page(
    request: HttpRequest, actor: User, incident: Incident, revealed: tuple[int, str] | None = None
) -> HttpResponse:
    """The incident page; ``revealed`` is (call task id, full number) just shown to its holder."""
    now = timezone.now()
    notices = selectors.notices_of(incident)
    draft = next(
        (n for n in notices if n.kind == Notice.Kind.UPDATE and n.status == Notice.Status.DRAFT),
        None,
    )
    context = {
        "incident": incident,
        "affected": IncidentContact.objects.filter(incident=incident)
        .select_related("contact", "contact__organisation")
        .order_by("contact__organisation__name", "contact__name")[:200],
        "affected_count": selectors.affected_count(incident),
        "grid": selectors.delivery_grid(incident),
        "outreach": selectors.open_outreach(incident),
        "calls": selectors.open_call_tasks(incident),
        "notices": [n for n in notices if n.status != Notice.Status.DISCARDED],
        "draft": draft,
        "update_form": UpdateForm(initial={"body_zh": draft.body_zh, "body_en": draft.body_en})
        if draft
        else None,
        "update_now_form": UpdateNowForm(),
        "cases": selectors.linked_cases(incident),
        "measures": selectors.incident_measures(incident, now=now),
        "readiness": list(
            ReadinessItem.objects.filter(incident=incident).select_related("done_by", "waived_by")
        ),
        "tags": _tags(),
        "regions": sorted(
            set(Organisation.objects.exclude(region="").values_list("region", flat=True))
        ),
        "forms": {
            "evidence": EvidenceForm(),
            "plan": PlanForm(),
            "impact": ImpactForm(),
            "meeting": MeetingForm(),
            "resume": ResumeForm(initial={"resume_on": incident.expected_from}),
            "reason": ReasonForm(),
            "note": TextForm(),
            "call": CallForm(),
            "minutes": MinutesForm(),
        },
        "can_run": actor.has_role_perm(Perm.RUN_INCIDENTS),
        "can_waive": actor.has_role_perm(Perm.WAIVE_READINESS),
        "active": "incidents",
        "now": now,
        "revealed_call": revealed[0] if revealed else None,
        "revealed_number": revealed[1] if revealed else "",
    }
    return render(request, "incidents/incident.html", context)


@login_required
def grid(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The delivery grid alone (htmx polls it while anything is queued or sending);
    ``?notice=<id>`` shows another notice of the incident (an update, a survey)."""
    incident = selectors.access_incident(_user(request), incident_id)
    notice = selectors.notice_of(incident, request.GET.get("notice", ""))
    return render(
        request,
        "incidents/_grid.html",
        {"incident": incident, "grid": selectors.delivery_grid(incident, notice=notice)},
    )


def incident_action(form_class: type | None = None) -> Callable[[Action], View]:
    """A POST action on the incident page (see core.actions.record_action)."""
    return record_action(
        load=selectors.access_incident,
        page="incidents:incident",
        key="incident_id",
        name="incident",
        form_class=form_class,
    )


@incident_action(PickForm)
def pick(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    form: PickForm = data["_form"]
    picked = services.incident_pick_affected(
        actor=actor,
        incident=incident,
        projects=form.ids("projects"),
        organisations=form.ids("organisations"),
        contacts=form.ids("contacts"),
        tags=form.words("tags"),
        regions=form.words("regions"),
        at=timezone.now(),
    )
    messages.success(
        request,
        _("%(added)d contacts added; %(total)d affected in all.")
        % {"added": picked.added, "total": picked.total},
    )


@incident_action()
def confirm(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    services.incident_confirm(actor=actor, incident=incident, at=timezone.now())
    messages.success(request, _("Confirmed; the first notice is on its way to every contact."))


@incident_action(ReasonForm)
def cancel(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    services.incident_cancel(
        actor=actor, incident=incident, reason=data["reason"], at=timezone.now()
    )


@incident_action(EvidenceForm)
def evidence(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]
) -> None:
    services.evidence_add(
        actor=actor,
        incident=incident,
        file=data["file"],
        description=data["description"],
        shared=data["shared"],
        at=timezone.now(),
    )


@incident_action(UpdateForm)
def send_update(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]
) -> None:
    services.update_send(
        actor=actor,
        incident=incident,
        body_zh=data["body_zh"],
        body_en=data["body_en"],
        at=timezone.now(),
    )
    messages.success(request, _("Update sent."))


@incident_action(UpdateNowForm)
def send_update_now(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]
) -> None:
    # An empty text keeps the standard update's text in that language.
    services.update_send(
        actor=actor,
        incident=incident,
        body_zh=data["body_zh"].strip() or None,
        body_en=data["body_en"].strip() or None,
        at=timezone.now(),
    )
    messages.success(request, _("Update sent."))


@incident_action(TextForm)
def outreach_record(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], outreach_id: int
) -> None:
    outreach = get_object_or_404(ManualOutreach, pk=outreach_id, incident=incident)
    services.outreach_record(actor=actor, outreach=outreach, note=data["note"], at=timezone.now())


@incident_action(CallForm)
def call_record(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], call_id: int
) -> None:
    task = get_object_or_404(CallTask, pk=call_id, incident=incident)
    services.call_task_record(
        actor=actor, task=task, outcome=data["outcome"], note=data["note"], at=timezone.now()
    )


@incident_action()
def call_take(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], call_id: int
) -> None:
    task = get_object_or_404(CallTask, pk=call_id, incident=incident)
    services.call_task_take(actor=actor, task=task, at=timezone.now())


@require_POST
@login_required
def call_number(request: HttpRequest, incident_id: int, call_id: int) -> HttpResponse:
    """The full number of a call's contact, for the agent holding the call; audit-logged."""
    actor = _user(request)
    incident = selectors.access_incident(actor, incident_id)
    task = get_object_or_404(
        CallTask.objects.select_related("contact", "held_by"), pk=call_id, incident=incident
    )
    number = services.call_task_number(actor=actor, task=task, at=timezone.now())
    if getattr(request, "htmx", False):
        return render(request, "incidents/_call_number.html", {"t": task, "number": number})
    return _incident_page(request, actor, incident, revealed=(task.pk, number))


@incident_action(PlanForm)
def plan(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    services.plan_add(
        actor=actor,
        incident=incident,
        kind=data["kind"],
        parts=data["parts"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        at=timezone.now(),
    )


@incident_action(ImpactForm)
def impact(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    fields = {k: v for k, v in data.items() if k != "_form"}
    for text in ("description", "supplier", "item"):
        fields[text] = fields.get(text) or ""
    services.impact_add(actor=actor, incident=incident, at=timezone.now(), **fields)


@incident_action(MeetingForm)
def meeting(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    services.meeting_schedule(
        actor=actor,
        incident=incident,
        title=data["title"],
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        online_link=data["online_link"],
        extra_emails=data["_form"].emails(),
        at=timezone.now(),
    )
    messages.success(request, _("Meeting scheduled; invitations sent."))


@incident_action(MinutesForm)
def minutes(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], meeting_id: int
) -> None:
    item = get_object_or_404(Meeting, pk=meeting_id, incident=incident)
    services.meeting_save_minutes(
        actor=actor, meeting=item, minutes=data["minutes"], at=timezone.now()
    )


@incident_action()
def start_resumption(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]
) -> None:
    services.incident_start_resumption(actor=actor, incident=incident, at=timezone.now())


@incident_action(TextForm)
def readiness_done(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], item_id: int
) -> None:
    item = get_object_or_404(ReadinessItem, pk=item_id, incident=incident)
    services.readiness_complete(actor=actor, item=item, note=data["note"], at=timezone.now())


@incident_action(ReasonForm)
def readiness_waive(
    request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any], item_id: int
) -> None:
    item = get_object_or_404(ReadinessItem, pk=item_id, incident=incident)
    services.readiness_waive(actor=actor, item=item, reason=data["reason"], at=timezone.now())


@incident_action(ResumeForm)
def resume(request: HttpRequest, *, actor: User, incident: Incident, data: dict[str, Any]) -> None:
    fields = {k: v for k, v in data.items() if k != "_form"}
    services.incident_resume(actor=actor, incident=incident, at=timezone.now(), **fields)
    messages.success(request, _("Resumption notice sent."))
