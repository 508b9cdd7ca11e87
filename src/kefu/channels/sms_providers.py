"""How the SMS providers' answers map to kefu's delivery failures. Pure: no Django.

Each provider code maps to retry-later or permanent and to the failure the agent
reads (a ``delivery.FailureCode`` value). The provider's own code is kept in the
delivery's reason (``aliyun isv.BUSINESS_LIMIT_CONTROL: ...``), so an
administrator can look it up in the provider's console.
"""

from __future__ import annotations

from dataclasses import dataclass

# The values of kefu.cases.delivery.FailureCode (spelled here so this stays pure).
LIMITED = "limited"
REFUSED = "refused"
NO_TEMPLATE = "no_template"
TEMPLATE_REJECTED = "template_rejected"
NOT_CONFIGURED = "not_configured"
REJECTED = "rejected"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class ProviderFailure:
    permanent: bool
    failure: str


_RETRY_LIMITED = ProviderFailure(permanent=False, failure=LIMITED)
_RETRY = ProviderFailure(permanent=False, failure=UNAVAILABLE)
_BAD_NUMBER = ProviderFailure(permanent=True, failure=REFUSED)
_BAD_TEMPLATE = ProviderFailure(permanent=True, failure=TEMPLATE_REJECTED)
_SETUP = ProviderFailure(permanent=True, failure=NOT_CONFIGURED)

# Aliyun Dysmsapi SendSms codes (help.aliyun.com/document_detail/101346.html).
ALIYUN: dict[str, ProviderFailure] = {
    "isv.BUSINESS_LIMIT_CONTROL": _RETRY_LIMITED,
    "isv.DAY_LIMIT_CONTROL": _RETRY_LIMITED,
    "isv.OUT_OF_SERVICE": _RETRY,
    "isv.AMOUNT_NOT_ENOUGH": _RETRY,
    "isp.SYSTEM_ERROR": _RETRY,
    "isp.RAM_PERMISSION_DENY": _SETUP,
    "Throttling.User": _RETRY_LIMITED,
    "isv.MOBILE_NUMBER_ILLEGAL": _BAD_NUMBER,
    "isv.MOBILE_COUNT_OVER_LIMIT": _BAD_NUMBER,
    "isv.BLACK_KEY_CONTROL_LIMIT": _BAD_TEMPLATE,
    "isv.SMS_TEMPLATE_ILLEGAL": _BAD_TEMPLATE,
    "isv.TEMPLATE_MISSING_PARAMETERS": _BAD_TEMPLATE,
    "isv.INVALID_JSON_PARAM": _BAD_TEMPLATE,
    "isv.PARAM_LENGTH_LIMIT": _BAD_TEMPLATE,
    "isv.SMS_SIGNATURE_ILLEGAL": _SETUP,
    "isv.SMS_SIGN_ILLEGAL": _SETUP,
    "isv.ACCOUNT_NOT_EXISTS": _SETUP,
    "isv.ACCOUNT_ABNORMAL": _SETUP,
    "InvalidAccessKeyId.NotFound": _SETUP,
    "SignatureDoesNotMatch": _SETUP,
}

# Tencent Cloud SMS SendSms codes (cloud.tencent.com/document/product/382/52075).
TENCENT: dict[str, ProviderFailure] = {
    "LimitExceeded.PhoneNumberDailyLimit": _RETRY_LIMITED,
    "LimitExceeded.PhoneNumberThirtySecondLimit": _RETRY_LIMITED,
    "LimitExceeded.PhoneNumberOneHourLimit": _RETRY_LIMITED,
    "LimitExceeded.DeliveryFrequencyLimit": _RETRY_LIMITED,
    "LimitExceeded.AppDailyLimit": _RETRY_LIMITED,
    "RequestLimitExceeded": _RETRY_LIMITED,
    "FailedOperation.InsufficientBalanceInSmsPackage": _RETRY,
    "InternalError.Timeout": _RETRY,
    # The SDK's own codes for an answer that never came or was not 200.
    "ClientNetworkError": _RETRY,
    "ServerNetworkError": _RETRY,
    "InternalError.RequestTimeException": _SETUP,
    "InvalidParameterValue.IncorrectPhoneNumber": _BAD_NUMBER,
    "FailedOperation.PhoneNumberInBlacklist": _BAD_NUMBER,
    "UnsupportedOperation.UnsupportedRegion": _BAD_NUMBER,
    "FailedOperation.TemplateIncorrectOrUnapproved": _BAD_TEMPLATE,
    "FailedOperation.MissingTemplateToModify": _BAD_TEMPLATE,
    "InvalidParameterValue.TemplateParameterFormatError": _BAD_TEMPLATE,
    "InvalidParameterValue.TemplateParameterLengthLimit": _BAD_TEMPLATE,
    "FailedOperation.ContainSensitiveWord": _BAD_TEMPLATE,
    "FailedOperation.SignatureIncorrectOrUnapproved": _SETUP,
    "InvalidParameterValue.SdkAppIdNotExist": _SETUP,
    "AuthFailure.SecretIdNotFound": _SETUP,
    "AuthFailure.SignatureFailure": _SETUP,
    "AuthFailure.SignatureExpire": _SETUP,
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": _SETUP,
}


def classify(table: dict[str, ProviderFailure], code: str) -> ProviderFailure:
    """The failure ``code`` means; unknown codes: ``InternalError``/``isp.`` retry, else
    permanent (resending the same request would be refused the same way)."""
    known = table.get(code)
    if known is not None:
        return known
    if code.startswith(("InternalError", "isp.", "ServiceUnavailable", "Throttling")):
        return _RETRY
    if code.startswith("LimitExceeded"):
        return _RETRY_LIMITED
    return ProviderFailure(permanent=True, failure=REJECTED)


def classify_status(status: int) -> ProviderFailure:
    """An answer with no provider code: 5xx, 408 and 429 retry; 401/403 is the setup."""
    if status in (401, 403):
        return _SETUP
    if status >= 500 or status in (0, 408, 429):
        return _RETRY
    return ProviderFailure(permanent=True, failure=REJECTED)
