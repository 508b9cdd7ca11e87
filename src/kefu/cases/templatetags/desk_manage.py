"""The case page's managing forms (cases/_case_manage.html), built where they are drawn
so the case page's view needs no change; a form the page was drawn again with (what
the user typed after a refusal or a collision) wins over a fresh one."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.cases.forms_manage import (
    AssignForm,
    BulkForm,
    CaseDetailsForm,
    CaseReferenceForm,
    LinkForm,
    TeamForm,
)
from kefu.cases.models import Case
from kefu.cases.services.bulk import BULK_ACTION_LABELS, BulkAction
from kefu.core.models import User
from kefu.core.roles import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def case_manage_forms(context: template.Context, case: Case) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    can_assign = isinstance(user, User) and user.has_role_perm(Perm.APPROVE_ESCALATIONS)
    links = [
        (link.get_kind_display(), link.to_case) for link in case.links_out.select_related("to_case")
    ] + [
        (link.get_kind_display(), link.from_case)
        for link in case.links_in.select_related("from_case")
    ]
    watchers = list(case.watchers.order_by("display_name", "username"))
    return {
        "details_form": context.get("details_form") or CaseDetailsForm.for_case(case),
        "assign_form": context.get("assign_form") or AssignForm(initial={"owner": case.owner_id}),
        "team_form": context.get("team_form")
        or TeamForm(initial={"team": case.team_id}, department_id=case.department_id),
        "merge_form": context.get("merge_form") or CaseReferenceForm(),
        "link_form": context.get("link_form") or LinkForm(),
        "can_assign": can_assign,
        "links": links,
        "watchers": watchers,
        "is_watching": isinstance(user, User) and any(w.pk == user.pk for w in watchers),
    }


@register.simple_tag(takes_context=True)
def queue_bulk_form(context: template.Context) -> dict[str, Any]:
    """The queue's bulk form: assigning is offered to team leads and up only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_assign = isinstance(user, User) and user.has_role_perm(Perm.APPROVE_ESCALATIONS)
    actions = [
        (action.value, BULK_ACTION_LABELS[action])
        for action in BulkAction
        if can_assign or action != BulkAction.ASSIGN
    ]
    form = BulkForm(auto_id="bulk-%s")
    return {"form": form, "can_assign": can_assign, "actions": actions}
