"""Root causes: fishbone records with their five whys, linked to cases and incidents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models import Cause, RootCauseAnalysis, WhyStep


def incident_exists(incident_id: int) -> bool:
    """Whether the incidents app has incident ``incident_id`` (False without the app)."""
    try:
        model = apps.get_model("incidents", "Incident")
    except LookupError:
        return False
    return bool(model.objects.filter(pk=incident_id).exists())


@transaction.atomic
def root_cause_record(
    *,
    actor: User,
    problem: str,
    causes: Sequence[tuple[str, str]],
    whys: Sequence[str],
    at: datetime,
    cases: Sequence[Case] = (),
    incident_id: int | None = None,
    conclusion: str = "",
) -> RootCauseAnalysis:
    """Record a fishbone: ``causes`` as (category, text) pairs, the five-whys answers
    in order, the cases it explains and optionally an incident (which must exist)."""
    authorize(actor, Perm.VIEW_TEAM)
    problem = problem.strip()
    if not problem:
        raise DomainError(QualityErrorCode.EMPTY_PROBLEM, _("Name the problem first."))
    if incident_id is not None and not incident_exists(incident_id):
        raise DomainError(
            QualityErrorCode.UNKNOWN_INCIDENT,
            _("There is no incident %(incident)s."),
            incident=incident_id,
        )
    analysis = RootCauseAnalysis.objects.create(
        problem=problem[:200],
        incident_id=incident_id,
        conclusion=conclusion.strip(),
        created_by=actor,
        created_at=at,
    )
    analysis.cases.set(cases)
    valid = set(Cause.Category.values)
    Cause.objects.bulk_create(
        Cause(analysis=analysis, category=category, text=text.strip()[:200])
        for category, text in causes
        if category in valid and text.strip()
    )
    WhyStep.objects.bulk_create(
        WhyStep(analysis=analysis, position=position, answer=answer.strip()[:300])
        for position, answer in enumerate((w for w in whys if w.strip()), start=1)
    )
    audit_record(
        actor=actor,
        action="quality.root_cause_recorded",
        target=analysis,
        at=at,
        after={"cases": [c.reference for c in cases], "incident": incident_id},
    )
    return analysis
