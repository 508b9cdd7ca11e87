"""Error codes of the incidents app (the API contract)."""

from __future__ import annotations

from enum import StrEnum


class IncidentErrorCode(StrEnum):
    NOT_FOUND = "incident_not_found"
    NO_CONTACTS = "incident_no_affected_contacts"
    RESUMPTION_IN_PAST = "incident_resumption_in_past"
    BAD_RANGE = "incident_resumption_range_reversed"
    BAD_INTERVALS = "incident_bad_update_intervals"
    WRONG_STATUS = "incident_wrong_status"
    CHANGED_CONCURRENTLY = "incident_changed_concurrently"
    NOTHING_PICKED = "incident_nothing_picked"
    EMPTY_TEXT = "incident_empty_text"
    CHECKLIST_OPEN = "incident_checklist_open"
    ALREADY_SETTLED = "incident_readiness_already_settled"
    WAIVER_NEEDS_REASON = "incident_waiver_needs_reason"
    NO_PARTIES = "incident_meeting_no_parties"
    BAD_SURVEY_LINK = "incident_bad_survey_link"
    BAD_RATING = "incident_bad_rating"
    ALREADY_RESOLVED = "incident_already_resolved"
    NO_FONT = "incident_no_cjk_font"
    BAD_INPUT = "incident_bad_input"
    CALL_TAKEN = "incident_call_taken"
    NOT_CALL_HOLDER = "incident_not_call_holder"
