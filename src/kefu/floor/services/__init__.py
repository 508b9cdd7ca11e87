"""Writes of the floor and people: every change goes through one of these.

Permissions: agents (``WORK_CASES``) raise hands, change their own state, take
breaks and enter their own leave; leads (``VIEW_TEAM``) act for the agents of
their team, floor watchers (``WATCH_FLOOR``) for everyone; queue calls are
imported by planners (``PLAN_WORKFORCE``); national IDs are revealed with
``REVEAL_PII``.
"""

from kefu.floor.services.calls import (
    MAX_CSV_BYTES,
    MAX_HANDLE_SECONDS,
    CallsImported,
    queue_calls_import,
    queue_calls_import_csv,
    queue_calls_store_simulated,
)
from kefu.floor.services.hands import hand_acknowledge, hand_close, hand_raise
from kefu.floor.services.leave import (
    absence_check,
    leave_cancel,
    leave_decide,
    leave_request,
    suggestion_close,
)
from kefu.floor.services.meals import meal_alert_resolve, meal_protection_run
from kefu.floor.services.people import (
    career_event_record,
    coaching_record,
    disciplinary_note_record,
    exit_record,
)
from kefu.floor.services.practices import (
    interview_score_record,
    leave_policy_save,
    onboarding_tick,
    opening_create,
    overtime_record,
    person_contract_set,
)
from kefu.floor.services.recruitment import (
    CandidateChanges,
    candidate_create,
    candidate_move,
    candidate_reveal_national_id,
    candidate_update,
)
from kefu.floor.services.states import (
    BreakKind,
    break_end,
    break_start,
    state_change,
    state_current,
)

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_HANDLE_SECONDS",
    "BreakKind",
    "CallsImported",
    "CandidateChanges",
    "absence_check",
    "break_end",
    "break_start",
    "candidate_create",
    "candidate_move",
    "candidate_reveal_national_id",
    "candidate_update",
    "career_event_record",
    "coaching_record",
    "disciplinary_note_record",
    "exit_record",
    "hand_acknowledge",
    "hand_close",
    "hand_raise",
    "interview_score_record",
    "leave_cancel",
    "leave_decide",
    "leave_policy_save",
    "leave_request",
    "meal_alert_resolve",
    "meal_protection_run",
    "onboarding_tick",
    "opening_create",
    "overtime_record",
    "person_contract_set",
    "queue_calls_import",
    "queue_calls_import_csv",
    "queue_calls_store_simulated",
    "state_change",
    "state_current",
    "suggestion_close",
]
