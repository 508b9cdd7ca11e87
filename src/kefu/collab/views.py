"""The collaboration panel on the case page and its actions (thin: services do the work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kefu.cases import selectors as case_selectors
from kefu.collab import forms, selectors, services
from kefu.collab.models import CaseMeeting, Collaborator, SideConversation
from kefu.core.actions import Action, View, record_action
from kefu.core.models import User
from kefu.core.requests import request_user
from kefu.core.roles import Perm


def _action(form_class: type | None = None) -> Callable[[Action], View]:
    return record_action(
        load=case_selectors.access_case,
        page="cases:case",
        key="case_id",
        name="case",
        form_class=form_class,
    )


@login_required
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_user(request)
    case = case_selectors.access_case(actor, case_id)
    return render(
        request,
        "collab/_panel.html",
        {
            "case": case,
            "collab": selectors.case_collaboration(case, viewer=actor),
            "invite_form": forms.InviteForm(auto_id="id_collab_%s"),
            "done_form": forms.TaskDoneForm(auto_id="id_done_%s"),
            "side_form": forms.SideStartForm(auto_id="id_side_%s"),
            "side_reply_form": forms.SideReplyForm(auto_id="id_sidereply_%s"),
            "meeting_form": forms.MeetingForm(auto_id="id_meeting_%s"),
            "check_in_form": forms.CheckInForm(auto_id="id_checkin_%s"),
            "task_force_form": forms.TaskForceForm(auto_id="id_force_%s"),
            "can_form_task_force": actor.has_role_perm(Perm.APPROVE_ESCALATIONS),
        },
    )


@_action(forms.InviteForm)
def invite(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.collaborator_invite(
        actor=actor,
        case=case,
        user=data["user"],
        task=data["task"],
        due_at=data["task_due"],
        at=timezone.now(),
    )


@_action(forms.TaskDoneForm)
def task_done(
    request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any], item_id: int
) -> None:
    item = get_object_or_404(Collaborator, pk=item_id, case=case)
    services.collaborator_task_done(actor=actor, item=item, note=data["note"], at=timezone.now())


@_action(forms.SideStartForm)
def side_start(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.side_conversation_start(
        actor=actor,
        case=case,
        party_name=data["party_name"],
        party_email=data["party_email"],
        subject=data["subject"],
        body=data["body"],
        at=timezone.now(),
    )


@_action(forms.SideReplyForm)
def side_reply(
    request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any], conversation_id: int
) -> None:
    conversation = get_object_or_404(SideConversation, pk=conversation_id, case=case)
    services.side_message_send(
        actor=actor, conversation=conversation, body=data["body"], at=timezone.now()
    )


@_action(forms.MeetingForm)
def meeting(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    form: forms.MeetingForm = data["_form"]
    services.case_meeting_schedule(
        actor=actor,
        case=case,
        title=data["title"],
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        location=data["location"],
        extra_emails=form.emails(),
        at=timezone.now(),
    )


@login_required
def meeting_file(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    case = case_selectors.access_case(request_user(request), case_id)
    item = get_object_or_404(CaseMeeting, pk=meeting_id, case=case)
    response = HttpResponse(services.meeting_ics(item), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{item.pk}.ics"'
    return response


@_action(forms.CheckInForm)
def check_in(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.check_in_set(
        actor=actor, case=case, every_hours=data["every_hours"] or None, at=timezone.now()
    )


@_action(forms.TaskForceForm)
def task_force(request: HttpRequest, *, actor: User, case: Any, data: dict[str, Any]) -> None:
    services.task_force_form(
        actor=actor,
        case=case,
        name=data["name"],
        lead=data["lead"],
        members=list(data["members"]),
        at=timezone.now(),
    )
