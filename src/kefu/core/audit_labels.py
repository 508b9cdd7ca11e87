"""The audit log as people read it: each action code by its label, and the changed
fields as "field: old → new" lines with the fields' names and the choices' labels.

The log stores codes and JSON values (``kefu.core.audit``); these labels are
rendered in the reader's language when the page is read. An action missing here
reads as its code, so a new action is never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.labels import choice_label, field_label
from kefu.core.models import AuditEntry
from kefu.core.timefmt import display_value

ACTION_LABELS: dict[str, str | Promise] = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "assist.lexicon_entry_add": _("Coach word list: entry added"),
    "assist.lexicon_entry_set_active": _("Coach word list: entry switched on or off"),
    "attachment.downloaded": _("Attachment downloaded"),
    "calendar.override_deleted": _("Calendar exception deleted"),
    "calendar.override_saved": _("Calendar exception saved"),
    "calendar.overrides_imported": _("Calendar exceptions imported"),
    "call.recorded": _("Phone call recorded"),
    "candidate.created": _("Candidate added"),
    "candidate.pii_revealed": _("Candidate's personal data shown"),
    "candidate.stage_changed": _("Candidate moved to another stage"),
    "candidate.updated": _("Candidate changed"),
    "career_event.recorded": _("Career event recorded"),
    "case.assigned": _("Case assigned"),
    "case.escalated": _("Case escalated"),
    "case.linked": _("Cases linked"),
    "case.merged": _("Cases merged"),
    "case.opened": _("Case opened"),
    "case.status_changed": _("Case status changed"),
    "case.team_assigned": _("Case given to a team"),
    "case.thread_refused": _("Mail not threaded onto a case"),
    "case.transferred": _("Case transferred"),
    "case.updated": _("Case details changed"),
    "channels.sms_template_changed": _("SMS template changed"),
    "coaching.recorded": _("Coaching conversation recorded"),
    "commitment.closed": _("Promise closed"),
    "compensation.decided": _("Compensation decided"),
    "compensation.offered": _("Compensation offered"),
    "contact.created": _("Contact added"),
    "contact.pii_revealed": _("Contact's personal data shown"),
    "contact.updated": _("Contact changed"),
    "customers.exported_with_pii": _("Customers exported with personal data"),
    "disciplinary_note.recorded": _("Disciplinary note recorded"),
    "exit.recorded": _("Leaver recorded"),
    "incident.action_added": _("Incident: action added"),
    "incident.affected_added": _("Incident: affected customers added"),
    "incident.call_number_viewed": _("Incident: phone number shown"),
    "incident.call_recorded": _("Incident: call recorded"),
    "incident.call_taken": _("Incident: call taken"),
    "incident.cancelled": _("Incident cancelled"),
    "incident.confirmed": _("Incident confirmed"),
    "incident.created": _("Incident opened"),
    "incident.evidence_added": _("Incident: evidence added"),
    "incident.impact_logged": _("Incident: impact logged"),
    "incident.meeting_scheduled": _("Incident: meeting scheduled"),
    "incident.minutes_saved": _("Incident: minutes saved"),
    "incident.outreach_recorded": _("Incident: outreach recorded"),
    "incident.plan_added": _("Incident: plan added"),
    "incident.readiness_done": _("Incident: readiness item done"),
    "incident.readiness_waived": _("Incident: readiness item waived"),
    "incident.resumed": _("Incident: service resumed"),
    "incident.resumption_started": _("Incident: resumption started"),
    "incident.review_saved": _("Incident review saved"),
    "incident.reviewed": _("Incident reviewed"),
    "incident.update_sent": _("Incident update sent"),
    "leave.approved": _("Leave approved"),
    "leave.cancelled": _("Leave cancelled"),
    "leave.entered": _("Leave entered"),
    "message.resent": _("Message sent again"),
    "organisation.created": _("Organisation added"),
    "organisation.updated": _("Organisation changed"),
    "project.created": _("Project added"),
    "project.status_changed": _("Project status changed"),
    "project.updated": _("Project changed"),
    "quality.calibration_opened": _("QA calibration opened"),
    "quality.campaign_answered": _("Survey campaign answered"),
    "quality.campaign_closed": _("Survey campaign closed"),
    "quality.campaign_created": _("Survey campaign created"),
    "quality.campaign_invited": _("Survey campaign invitations sent"),
    "quality.case_scored": _("Case scored"),
    "quality.root_cause_recorded": _("Root cause recorded"),
    "quality.survey_answered": _("Satisfaction survey answered"),
    "quarantine.discarded": _("Quarantined message discarded"),
    "quarantine.held": _("Message quarantined"),
    "quarantine.replayed": _("Quarantined message let through"),
    "queue_calls.imported": _("Queue calls imported"),
    "reply_template.created": _("Reply template added"),
    "sla_policy.created": _("SLA policy added"),
    "user.language_changed": _("Language changed"),
    "workforce.contract_save": _("Working contract saved"),
    "workforce.forecast_run": _("Forecast run"),
    "workforce.history_import": _("Traffic history imported"),
    "workforce.schedule_create": _("Schedule built"),
    "workforce.schedule_publish": _("Schedule published"),
}


@dataclass(frozen=True)
class AuditChange:
    field: str
    before: str
    after: str


def action_label(action: str) -> str:
    """The action in the active language, or its code when it has no label."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def target_type_label(target_type: str) -> str:
    """The kind of record (its model's verbose name), or the code."""
    model = _model(target_type)
    return str(model._meta.verbose_name) if model is not None else target_type


def _value(model: type[models.Model] | None, name: str, value: object) -> str:
    if model is not None:
        return display_value(choice_label(model, name, value))
    if value is None or value == "":
        return "—"
    return display_value(value)


def audit_changes(entry: AuditEntry) -> list[AuditChange]:
    """The fields ``entry`` records, each as its name, value before and value after
    (a creation has only "after" values, a deletion only "before")."""
    model = _model(entry.target_type)
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        AuditChange(
            field=field_label(model, name) if model is not None else name,
            before=_value(model, name, before[name]) if name in before else "",
            after=_value(model, name, after[name]) if name in after else "",
        )
        for name in names
    ]
