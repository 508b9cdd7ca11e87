"""Reads for internal customers: the requests a member of staff raised, and what they
may read of each (the messages between them and the desk, never the internal notes)."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.cases.models import Case, Message
from kefu.core.models import User


def requests_of(user: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(contact__user=user, merged_into__isnull=True)
        .select_related("department", "owner")
        .order_by("-created_at")
    )


def request_thread(case: Case) -> QuerySet[Message]:
    return (
        case.messages.exclude(direction=Message.Direction.NOTE)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
