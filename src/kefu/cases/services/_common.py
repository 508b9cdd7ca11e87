"""Helpers shared by the desk's services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.cases import search
from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Case
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import Department, User


class CaseConflictError(ConflictError):
    pass


def cas_update(case: Case, *, at: datetime, version: int | None = None, **fields: Any) -> Case:
    """Write ``fields`` only if the case is still at ``version`` (default: the
    version this copy was read at), bump the version, and refresh ``case``.

    Two agents saving the same case at once: one wins, the other gets
    ``case_changed_concurrently`` and nothing of theirs is written.
    """
    expected = case.version if version is None else version
    updated = Case.objects.filter(pk=case.pk, version=expected).update(
        version=F("version") + 1, updated_at=at, **fields
    )
    if updated != 1:
        raise CaseConflictError(
            CaseErrorCode.CHANGED_CONCURRENTLY,
            _("Someone else changed this case a moment ago. Reload it and try again."),
        )
    case.refresh_from_db()
    return case


def case_search_terms_add(*, case: Case, text: str) -> str:
    """Add the search terms of ``text`` to the case's stored terms; return the new terms.

    Must run inside the writer's transaction. The stored terms are read again
    under a row lock (PostgreSQL ``FOR NO KEY UPDATE``; SQLite's transactions
    are ``IMMEDIATE``, so a writer holds the database lock already), never taken
    from ``case``, which may be a copy read before another writer added a note or
    a message: two notes saved at once keep both their terms. ``NO KEY`` so that
    a writer who has just inserted a message (which holds a key-share lock on the
    case through its foreign key) cannot deadlock with another doing the same.
    """
    current = (
        Case.objects.select_for_update(no_key=True)
        .filter(pk=case.pk)
        .values_list("search_terms", flat=True)
        .get()
    )
    terms = search.merge_terms(current, text)
    if terms != current:
        Case.objects.filter(pk=case.pk).update(search_terms=terms)
    case.search_terms = terms
    return terms


def require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise DomainError(CaseErrorCode.CLOSED, _("This case is closed."))


def require_text(value: str, code: CaseErrorCode, message: str | Promise) -> str:
    text = value.strip()
    if not text:
        raise DomainError(code, message)
    return text


def person_for(case: Case, role: str, department: Department | None = None) -> User | None:
    """The team's lead, else one in the department; the department's manager."""
    department = department or case.department
    people = User.objects.filter(is_active=True, role=role, department=department)
    if role == "team_lead" and case.team_id:
        in_team = people.filter(team_id=case.team_id).order_by("pk").first()
        if in_team:
            return in_team
    return people.order_by("pk").first()
