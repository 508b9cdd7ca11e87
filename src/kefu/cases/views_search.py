"""The header's search across the desk: cases, customers and organisations on one page.

Each group comes from the selector its own list uses (``case_list_for`` with the
visibility rules, ``contact_list`` and ``organisation_list`` with the masking
rule of ``contact_match``), so this page finds nothing those lists would hide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kefu.cases import selectors
from kefu.core.requests import request_user
from kefu.core.roles import Perm
from kefu.customers.selectors import contact_list, organisation_list

# Results shown per group; "show all" opens the group's own list with the same query.
GROUP_SIZE = 10


class DeskSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)


def _first(rows: Any) -> tuple[list[Any], bool]:
    """Up to ``GROUP_SIZE`` rows, and whether there are more."""
    found = list(rows[: GROUP_SIZE + 1])
    return found[:GROUP_SIZE], len(found) > GROUP_SIZE


@login_required
def desk_search(request: HttpRequest) -> HttpResponse:
    actor = request_user(request)
    form = DeskSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context: dict[str, Any] = {
        "form": form,
        "search_query": query,
        "can_reveal": actor.has_role_perm(Perm.REVEAL_PII),
        "may_work_cases": actor.has_role_perm(Perm.WORK_CASES),
    }
    if query:
        if context["may_work_cases"]:
            found = selectors.case_list_for(actor, selectors.CaseFilter(scope="all", q=query))
            context["cases"], context["more_cases"] = _first(found)
        context["contacts"], context["more_contacts"] = _first(
            contact_list(actor=actor, query=query)
        )
        context["organisations"], context["more_organisations"] = _first(
            organisation_list(actor=actor, query=query)
        )
    return render(request, "cases/search.html", context)
