"""Error codes of the writing partner (the API contract) and their messages."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import DomainError


class PartnerErrorCode(StrEnum):
    NOT_CONFIGURED = "partner_not_configured"
    CONFIDENTIAL = "partner_confidential_case"
    DEPARTMENT_EXCLUDED = "partner_department_excluded"
    BUDGET_SPENT = "partner_budget_spent"
    NOTHING_TO_REWRITE = "partner_nothing_to_rewrite"
    UNKNOWN_REWRITE = "partner_unknown_rewrite"
    TIMEOUT = "partner_timeout"
    RATE_LIMITED = "partner_rate_limited"
    PROVIDER_ERROR = "partner_provider_error"
    UNAUTHORIZED = "partner_unauthorized"
    UNREACHABLE = "partner_unreachable"
    MALFORMED = "partner_malformed_answer"
    ANSWER_REFUSED = "partner_answer_refused"


MESSAGES: dict[PartnerErrorCode, Promise] = {
    PartnerErrorCode.NOT_CONFIGURED: _(
        "The writing partner is off: an administrator sets KEFU_LLM_BASE_URL to turn it on."
    ),
    PartnerErrorCode.CONFIDENTIAL: _(
        "This case is confidential: it is never sent to the writing partner."
    ),
    PartnerErrorCode.DEPARTMENT_EXCLUDED: _(
        "Cases of this department are kept from the writing partner."
    ),
    PartnerErrorCode.BUDGET_SPENT: _(
        "The writing partner's token budget for this month is spent; administrators "
        "have been told. Write the reply yourself for now."
    ),
    PartnerErrorCode.NOTHING_TO_REWRITE: _(
        "The reply box is empty: write or ask for a draft first, then ask for a rewrite."
    ),
    PartnerErrorCode.UNKNOWN_REWRITE: _("Unknown kind of rewrite."),
    PartnerErrorCode.TIMEOUT: _(
        "The writing partner took too long to answer. Your reply is unchanged; try again "
        "or write it yourself."
    ),
    PartnerErrorCode.RATE_LIMITED: _(
        "The writing partner is busy (too many requests). Your reply is unchanged; try "
        "again in a minute."
    ),
    PartnerErrorCode.PROVIDER_ERROR: _(
        "The writing partner's server had an error. Your reply is unchanged; try again later."
    ),
    PartnerErrorCode.UNAUTHORIZED: _(
        "The writing partner refused kefu's key: an administrator checks KEFU_LLM_API_KEY."
    ),
    PartnerErrorCode.UNREACHABLE: _(
        "The writing partner's server cannot be reached. Your reply is unchanged; an "
        "administrator checks KEFU_LLM_BASE_URL."
    ),
    PartnerErrorCode.MALFORMED: _(
        "The writing partner's answer could not be read. Your reply is unchanged; try again."
    ),
    PartnerErrorCode.ANSWER_REFUSED: _(
        "The writing partner's answer was refused: it held personal data it was not given. "
        "Your reply is unchanged; try again or write it yourself."
    ),
}


class PartnerError(DomainError):
    """The partner could not help with this request; the page keeps working."""

    status = 409

    def __init__(self, code: PartnerErrorCode) -> None:
        super().__init__(code, MESSAGES[code])
