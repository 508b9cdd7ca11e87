"""Error codes of the floor and people services (the API contract)."""

from __future__ import annotations

from enum import StrEnum


class FloorErrorCode(StrEnum):
    HAND_ALREADY_RAISED = "hand_already_raised"
    HAND_CLOSED = "hand_closed"
    HAND_NOT_FOUND = "hand_not_found"
    ALREADY_ON_BREAK = "already_on_break"
    NOT_ON_BREAK = "not_on_break"
    UNKNOWN_STATE = "unknown_state"
    STATE_CHANGED_CONCURRENTLY = "state_changed_concurrently"
    LEAVE_ENDS_BEFORE_START = "leave_ends_before_start"
    LEAVE_OVERLAPS = "leave_overlaps"
    LEAVE_NOT_PENDING = "leave_not_pending"
    LEAVE_NOT_FOUND = "leave_not_found"
    NOT_YOUR_TEAM = "not_your_team"
    SUGGESTION_NOT_FOUND = "suggestion_not_found"
    ALERT_NOT_FOUND = "alert_not_found"
    CALLS_INVALID = "calls_invalid"


class PeopleErrorCode(StrEnum):
    NO_COACHING_ON_FILE = "no_coaching_on_file"
    COACHING_NOT_FOUND = "coaching_not_found"
    COACHING_FOR_ANOTHER_AGENT = "coaching_for_another_agent"
    EMPTY_TEXT = "empty_text"
    PERSON_NOT_FOUND = "person_not_found"
    ALREADY_LEFT = "already_left"
    CANDIDATE_NOT_FOUND = "candidate_not_found"
    STAGE_NOT_ALLOWED = "stage_not_allowed"
    INVALID_NATIONAL_ID = "invalid_national_id"
    NO_NATIONAL_ID = "no_national_id"
    UNDECRYPTABLE = "undecryptable"
    POLICY_INVALID = "policy_invalid"
    CHOICE_INVALID = "choice_invalid"
    OPENING_INVALID = "opening_invalid"
    OPENING_NOT_FOUND = "opening_not_found"
    SCORE_INVALID = "score_invalid"
    OVERTIME_INVALID = "overtime_invalid"
