"""Error codes of the desk (the API contract) and the errors that carry them."""

from __future__ import annotations

from enum import StrEnum


class CaseErrorCode(StrEnum):
    NOT_FOUND = "case_not_found"
    CHANGED_CONCURRENTLY = "case_changed_concurrently"
    INVALID_STATUS = "invalid_status_change"
    CLOSED = "case_closed"
    EMPTY_MESSAGE = "empty_message"
    NO_CONTACT_CHANNEL = "no_contact_channel"
    TOP_OF_LADDER = "top_of_ladder"
    NO_ONE_TO_ESCALATE_TO = "no_one_to_escalate_to"
    REASON_REQUIRED = "reason_required"
    EXPLANATION_REQUIRED = "explanation_required"
    SAME_DEPARTMENT = "same_department"
    BAD_DUE_TIME = "bad_due_time"
    COMMITMENT_CLOSED = "commitment_closed"
    COMMITMENT_NOT_YOURS = "commitment_not_yours"
    BEYOND_AUTHORITY = "beyond_authority"
    OFFER_DECIDED = "offer_already_decided"
    BAD_AMOUNT = "bad_amount"
    MERGE_INTO_SELF = "merge_into_self"
    MERGE_NEEDS_LEAD = "merge_needs_lead"
    CONFIDENTIALITY_NEEDS_LEAD = "confidentiality_needs_lead"
    TEMPLATE_PLACEHOLDER = "template_placeholder"
    UNKNOWN_PLAYBOOK_STEP = "unknown_playbook_step"
    CHANNEL_UNREACHABLE = "channel_unreachable"
    NOT_RESENDABLE = "message_not_resendable"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
    FILES_NEED_EMAIL = "files_need_email"
    TOO_MANY_FILES = "too_many_files"
    FILE_TOO_LARGE = "file_too_large"
