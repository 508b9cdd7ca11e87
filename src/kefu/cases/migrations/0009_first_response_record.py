"""Keep the first response's due time next to when it was made.

Until now a reply to the customer cleared ``first_response_due_at``, so the
service level (first responses made by their due time) had nothing to count.
The desk now keeps it; this fills what the records still tell for existing
cases, and leaves the rest unknown (not counted), never guessed:

- ``first_response_at``, where missing, from the case's first ``replied`` event;
- ``first_response_due_at``, where cleared, from the case's first-response SLA
  breach (the clock recorded the due time it missed). A case answered in time
  left no such record: its due time stays unknown.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def fill(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("cases", "Case")
    event_model = apps.get_model("cases", "CaseEvent")
    breach_model = apps.get_model("cases", "SlaBreach")
    first_reply = (
        event_model.objects.filter(case=OuterRef("pk"), kind="replied")
        .order_by()
        .values("case")
        .annotate(first=Min("at"))
        .values("first")
    )
    case_model.objects.filter(first_response_at__isnull=True).update(
        first_response_at=Subquery(first_reply)
    )
    missed = (
        breach_model.objects.filter(case=OuterRef("pk"), target="first_response")
        .order_by()
        .values("case")
        .annotate(first=Min("due_at"))
        .values("first")
    )
    case_model.objects.filter(
        first_response_due_at__isnull=True, first_response_at__isnull=False
    ).update(first_response_due_at=Subquery(missed))


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_delivery_attempts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
