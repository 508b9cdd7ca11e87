"""Reads of the channels app shared by the API and the commands."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.cases.selectors import access_case_by_reference
from kefu.channels.models import CallRecord, QuarantinedMessage
from kefu.core.models import User


def quarantine_list(
    *, status: str | None = QuarantinedMessage.Status.HELD
) -> QuerySet[QuarantinedMessage]:
    """Quarantined items, newest first; every status when ``status`` is None.

    For administrators at the command line; the raw bytes are not loaded.
    """
    items = QuarantinedMessage.objects.defer("raw", "text").order_by("-received_at", "-id")
    return items if status is None else items.filter(status=status)


def call_list_for_case(*, actor: User, case_reference: str) -> QuerySet[CallRecord]:
    """The calls on a case ``actor`` may see, latest first; else ``case_not_found``."""
    case = access_case_by_reference(actor, case_reference)
    return (
        CallRecord.objects.filter(case=case)
        .select_related("case", "agent")
        .order_by("-started_at", "-id")
    )
