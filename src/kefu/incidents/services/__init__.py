"""Every write of the incidents app."""

from kefu.incidents.services.calls import call_task_number, call_task_take
from kefu.incidents.services.incidents import (
    evidence_add,
    incident_cancel,
    incident_confirm,
    incident_create,
    incident_link_cases,
    incident_pick_affected,
    incident_remove_affected,
    incidents_link_cases,
)
from kefu.incidents.services.resumption import (
    incident_resume,
    incident_start_resumption,
    readiness_complete,
    readiness_waive,
    survey_answer,
    survey_send,
    survey_target,
)
from kefu.incidents.services.rhythm import (
    update_autosend,
    update_check_missed,
    update_draft_due,
    update_send,
)
from kefu.incidents.services.sending import (
    call_task_record,
    channel_order,
    deliveries_requeue_stuck,
    deliveries_send_due,
    notice_publish,
    outreach_record,
)
from kefu.incidents.services.work import (
    impact_add,
    incident_close_review,
    meeting_save_minutes,
    meeting_schedule,
    plan_add,
    review_action_add,
    review_save,
)

__all__ = [
    "call_task_number",
    "call_task_record",
    "call_task_take",
    "channel_order",
    "deliveries_requeue_stuck",
    "deliveries_send_due",
    "evidence_add",
    "impact_add",
    "incident_cancel",
    "incident_close_review",
    "incident_confirm",
    "incident_create",
    "incident_link_cases",
    "incident_pick_affected",
    "incident_remove_affected",
    "incident_resume",
    "incident_start_resumption",
    "incidents_link_cases",
    "meeting_save_minutes",
    "meeting_schedule",
    "notice_publish",
    "outreach_record",
    "plan_add",
    "readiness_complete",
    "readiness_waive",
    "review_action_add",
    "review_save",
    "survey_answer",
    "survey_send",
    "survey_target",
    "update_autosend",
    "update_check_missed",
    "update_draft_due",
    "update_send",
]
