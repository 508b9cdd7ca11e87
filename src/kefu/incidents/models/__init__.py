"""Models of the incidents app."""

from kefu.incidents.models.incident import Evidence, Incident, IncidentCase, IncidentContact
from kefu.incidents.models.notices import CallTask, Delivery, ManualOutreach, Notice
from kefu.incidents.models.work import (
    ContinuationPlan,
    ImpactEntry,
    Meeting,
    PlanAnswer,
    ReadinessItem,
    Resumption,
    Review,
    ReviewAction,
    SurveyAnswer,
)

__all__ = [
    "CallTask",
    "ContinuationPlan",
    "Delivery",
    "Evidence",
    "ImpactEntry",
    "Incident",
    "IncidentCase",
    "IncidentContact",
    "ManualOutreach",
    "Meeting",
    "Notice",
    "PlanAnswer",
    "ReadinessItem",
    "Resumption",
    "Review",
    "ReviewAction",
    "SurveyAnswer",
]
