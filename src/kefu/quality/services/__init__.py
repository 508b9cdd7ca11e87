"""Every write of the quality app. Pages, the API, commands and clock jobs call these."""

from kefu.quality.services.alarms import warnings_evaluate
from kefu.quality.services.digest import digest_send
from kefu.quality.services.rootcause import root_cause_record
from kefu.quality.services.scoring import (
    qa_calibration_open,
    qa_pre_scores,
    qa_score_case,
    qa_scored_agent,
)
from kefu.quality.services.surveys import (
    LinkState,
    survey_answer,
    survey_for_token,
    survey_send,
    survey_token,
    survey_url,
    surveys_send_due,
)

__all__ = [
    "LinkState",
    "digest_send",
    "qa_calibration_open",
    "qa_pre_scores",
    "qa_score_case",
    "qa_scored_agent",
    "root_cause_record",
    "survey_answer",
    "survey_for_token",
    "survey_send",
    "survey_token",
    "survey_url",
    "surveys_send_due",
    "warnings_evaluate",
]
