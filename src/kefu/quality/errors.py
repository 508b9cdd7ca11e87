"""Error codes of the quality app (the API contract); messages are translated."""

from __future__ import annotations

from enum import StrEnum


class QualityErrorCode(StrEnum):
    LINK_FORGED = "survey_link_forged"
    LINK_EXPIRED = "survey_link_expired"
    ALREADY_ANSWERED = "survey_already_answered"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    MISSING_CRITERION = "missing_criterion"
    ALREADY_SCORED = "already_scored_in_calibration"
    UNKNOWN_INCIDENT = "unknown_incident"
    EMPTY_PROBLEM = "empty_problem"
    NO_CASE = "no_such_case"
    PDF_FONT_MISSING = "pdf_font_missing"
    BAD_ANSWER = "campaign_bad_answer"
    BAD_CAMPAIGN = "campaign_invalid"
    CAMPAIGN_CLOSED = "campaign_closed"
