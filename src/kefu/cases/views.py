"""Desk pages: the queue, the case page and its actions (post, redirect, get)."""

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

from kefu.cases import panels, search_pages, selectors, services, views_reply
from kefu.cases.events import event_text
from kefu.cases.forms import (
    CommitmentCloseForm,
    CommitmentForm,
    CompensationForm,
    EscalateForm,
    NoteForm,
    OverHeadsForm,
    QueueFilterForm,
    SavedViewForm,
    StatusForm,
    TransferForm,
)
from kefu.cases.models import Commitment, CompensationOffer, ReplyTemplate, SavedView
from kefu.cases.services import coach, workspace
from kefu.core.actions import Action, View, record_action
from kefu.core.models import User
from kefu.core.pagination import CappedPaginator
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm


def _filters(form: QueueFilterForm) -> selectors.CaseFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.CaseFilter(
        scope=data.get("scope") or "mine",
        q=data.get("q", ""),
        status=tuple(data.get("status", ())),
        priority=tuple(data.get("priority", ())),
        category=tuple(data.get("category", ())),
        flags=tuple(data.get("flag", ())),
    )


PER_PAGE = 50


def _page_number(raw: str | None) -> int:
    """The page asked for; the first for anything that is not a positive number."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return max(1, min(number, 1_000_000))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = QueueFilterForm(request.GET or {"scope": "mine"})
    filters = _filters(form)
    cases = selectors.case_list_for(actor, filters)
    if filters.q.strip():
        # Search results are counted to the end of the page asked for, along the same
        # newest-first walk as the page ("more than 50" rather than a full count).
        number = _page_number(request.GET.get("page"))
        paginator = CappedPaginator(
            cases,
            PER_PAGE,
            cap=search_pages.search_count_cap(offset=(number - 1) * PER_PAGE, limit=PER_PAGE),
            ordered=True,
        )
        with search_pages.search_reads():
            page = paginator.get_page(number)
            page.object_list = list(page.object_list)
    else:
        page = CappedPaginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searching": bool(filters.q.strip()),
        "query": query.urlencode(),
        "saved_views": SavedView.objects.filter(owner=actor),
        "save_form": SavedViewForm(),
        "overdue": selectors.commitments_overdue_for(actor)[:10],
        "active": "cases",
        "now": timezone.now(),
    }
    if getattr(request, "htmx", False):
        return render(request, "cases/_queue_rows.html", context)
    return render(request, "cases/queue.html", context)


@require_POST
@login_required
def saved_view_save(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        filters = {key: value for key, value in _parse_query(query).items() if key != "page"}
        workspace.saved_view_save(
            actor=_user(request), name=form.cleaned_data["name"], filters=filters
        )
        messages.success(request, _("View saved."))
    return HttpResponseRedirect(f"{reverse('cases:queue')}?{query}")


def _parse_query(query: str) -> dict[str, object]:
    from urllib.parse import parse_qs

    parsed = parse_qs(query)
    return {key: values if len(values) > 1 else values[0] for key, values in parsed.items()}


def _case_context(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = _user(request)
    # A QA inspector reads the cases it scores (no reply, status or notes); the
    # actions stay behind WORK_CASES (case_action loads with the default perm).
    can_work = actor.has_role_perm(Perm.WORK_CASES)
    reads_only = not can_work and actor.has_role_perm(Perm.SCORE_QUALITY)
    case = selectors.access_case(
        actor, case_id, perm=Perm.SCORE_QUALITY if reads_only else Perm.WORK_CASES
    )
    detail = selectors.case_detail(case)
    return {
        "can_work": can_work,
        "case": case,
        **detail,
        "note_form": NoteForm(auto_id="id_note_%s"),
        "status_form": StatusForm(initial={"status": case.status, "version": case.version}),
        "escalate_form": EscalateForm(),
        "over_heads_form": OverHeadsForm(),
        "transfer_form": TransferForm(),
        "commitment_form": CommitmentForm(),
        "compensation_form": CompensationForm(),
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "latest_reading": selectors.latest_reading(case),
        "playbook": coach.playbook_state(case),
        "can_approve": actor.has_role_perm(Perm.APPROVE_ESCALATIONS),
        "active": "cases",
        "now": timezone.now(),
        "reply_panels": panels.panels_for("reply", case.pk) if can_work else [],
        "aside_panels": panels.panels_for("aside", case.pk),
        **(
            views_reply.reply_context(request, actor=actor, case=case, detail=detail)
            if can_work
            else {"event_lines": [(event, event_text(event)) for event in detail["events"]]}
        ),
    }


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "cases/case.html", _case_context(request, case_id))


def case_action(form_class: type | None = None) -> Callable[[Action], View]:
    """A POST action on the case page (see core.actions.record_action)."""
    return record_action(
        load=selectors.access_case,
        page="cases:case",
        key="case_id",
        name="case",
        form_class=form_class,
    )


@case_action(NoteForm)
def note(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_note(actor=actor, case=case, body=data["body"], at=timezone.now())


@case_action(StatusForm)
def status(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_set_status(
        actor=actor, case=case, status=data["status"], at=timezone.now(), version=data["version"]
    )


@case_action()
def take(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_assign(actor=actor, case=case, owner=actor, at=timezone.now())


@case_action(EscalateForm)
def escalate(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_escalate(
        actor=actor,
        case=case,
        reason=data["reason"],
        explanation=data["explanation"],
        at=timezone.now(),
    )
    messages.success(request, _("Escalated; the customer has been told who owns the case now."))


@case_action(OverHeadsForm)
def over_heads(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_flag_over_heads(actor=actor, case=case, note=data["note"], at=timezone.now())


@case_action(TransferForm)
def transfer(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.case_transfer(
        actor=actor,
        case=case,
        to_department=data["department"],
        why=data["why"],
        next_steps=data["next_steps"],
        expected_by=data["expected_by"],
        at=timezone.now(),
    )
    messages.success(request, _("Transferred; the customer received your explanation."))


@case_action(CommitmentForm)
def commit(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.commitment_create(
        actor=actor, case=case, what=data["what"], due_at=data["due_at"], at=timezone.now()
    )


@case_action(CommitmentCloseForm)
def commitment_close(
    request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any], commitment_id: int
) -> None:
    commitment = get_object_or_404(Commitment, pk=commitment_id, case=case)
    services.commitment_close(
        actor=actor, commitment=commitment, status=data["status"], at=timezone.now()
    )


@case_action(CompensationForm)
def compensate(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.compensation_offer(
        actor=actor,
        case=case,
        kind=data["kind"],
        amount=data["amount"],
        reason=data["reason"],
        at=timezone.now(),
    )


@case_action()
def compensation_decide(
    request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any], offer_id: int
) -> None:
    offer = get_object_or_404(CompensationOffer, pk=offer_id, case=case)
    services.compensation_decide(
        actor=actor, offer=offer, approve=request.POST.get("approve") == "1", at=timezone.now()
    )


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """htmx panel for the overview: my open work, overdue promises, kept-rates."""
    actor = _user(request)
    mine = selectors.case_list_for(actor, selectors.CaseFilter(scope="mine"))
    context: dict[str, Any] = {
        "open_count": mine.count(),
        "breached_count": mine.filter(breach_count__gt=0).count(),
        "overdue": list(selectors.commitments_overdue_for(actor)[:10]),
    }
    if actor.has_role_perm(Perm.VIEW_TEAM):
        context["kept_rates"] = selectors.commitment_kept_rates(actor=actor, by="owner")
    return render(request, "cases/_summary.html", context)


@login_required
def template_text(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: the chosen reply template filled for this case, as the reply textarea."""
    actor = _user(request)
    case = selectors.access_case(actor, case_id)
    template = ReplyTemplate.objects.filter(pk=request.GET.get("template") or 0).first()
    text = ""
    if template is not None:
        text, _language = workspace.reply_template_render(template=template, case=case, agent=actor)
    return render(request, "cases/_reply_body.html", {"text": text})
