"""Incident notices on the customer's timeline."""

from __future__ import annotations

from django.db.models import Q

from kefu.customers.timeline import (
    TimelineItem,
    TimelineScope,
    excerpt,
    register_timeline_source,
)
from kefu.incidents.models import Delivery


@register_timeline_source("incidents.notices")
def incident_notices(scope: TimelineScope) -> list[TimelineItem]:
    """Each incident notice handed to the contact (or to the organisation's contacts),
    once per notice and contact, newest first."""
    if scope.contact is not None:
        where = Q(contact=scope.contact)
    else:
        where = Q(contact__organisation=scope.organisation)
    rows = (
        Delivery.objects.filter(where, status__in=[Delivery.Status.SENT, Delivery.Status.DELIVERED])
        .select_related("notice__incident", "contact")
        .order_by("-handed_at", "-id")[: scope.limit * 2]
    )
    seen: set[tuple[int, int]] = set()
    items: list[TimelineItem] = []
    for row in rows:
        if (row.notice_id, row.contact_id) in seen or row.handed_at is None:
            continue
        seen.add((row.notice_id, row.contact_id))
        notice = row.notice
        items.append(
            TimelineItem(
                at=row.handed_at,
                kind="incident_notice",
                title=f"{notice.incident.reference} {notice.subject_in(row.contact.language)}",
                body_excerpt=excerpt(notice.body_in(row.contact.language)),
                link=f"/incidents/{notice.incident_id}/",
            )
        )
    return items[: scope.limit]
