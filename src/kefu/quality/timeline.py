"""The quality app's source for the customer timeline: satisfaction surveys answered.

Registered from ``QualityConfig.ready()``; only surveys of cases the actor may see.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.selectors import visible_cases
from kefu.customers.timeline import TimelineItem, TimelineScope, excerpt, register_timeline_source
from kefu.quality.models import CsatSurvey


@register_timeline_source("quality.surveys")
def surveys_answered(scope: TimelineScope) -> list[TimelineItem]:
    """Each answered CSAT survey of the customer, with its scores and comment."""
    match = (
        Q(contact=scope.contact)
        if scope.contact is not None
        else Q(case__organisation=scope.organisation)
    )
    surveys = (
        CsatSurvey.objects.filter(match, answered_at__isnull=False)
        .filter(case__in=visible_cases(scope.actor))
        .select_related("case")
        .order_by("-answered_at", "-pk")[: scope.limit]
    )
    items = []
    for survey in surveys:
        assert survey.answered_at is not None  # noqa: S101  (filtered above)
        items.append(
            TimelineItem(
                at=survey.answered_at,
                kind="csat",
                title=_("Satisfaction survey on %(reference)s: %(score)s/5")
                % {"reference": survey.case.reference, "score": survey.csat},
                body_excerpt=excerpt(survey.comment),
                link=reverse("cases:case", args=[survey.case_id]),
            )
        )
    return items
