"""Error codes of the channels (the API contract) and the errors that carry them."""

from __future__ import annotations

from enum import StrEnum

from kefu.core.errors import DomainError


class ChannelErrorCode(StrEnum):
    EMPTY_EMAIL = "empty_email"
    NO_SENDER = "no_sender"
    UNREADABLE_EMAIL = "unreadable_email"
    PROCESSING_FAILED = "processing_failed"
    STORE_FAILED = "store_failed"
    BAD_SIGNATURE = "bad_signature"
    WEBHOOK_NOT_CONFIGURED = "webhook_not_configured"
    QUARANTINE_NOT_FOUND = "quarantine_not_found"
    NOT_HELD = "quarantine_not_held"
    REPLAY_UNSUPPORTED = "replay_unsupported"
    UNKNOWN_AGENT = "unknown_agent"
    BAD_RECORDING_URL = "bad_recording_url"
    BAD_PHONE_NUMBER = "bad_phone_number"
    BAD_SMS_TEMPLATE = "bad_sms_template"
    REPLAYED = "replayed"
    UNDECRYPTABLE = "undecryptable"
    UNREADABLE_WECHAT = "unreadable_wechat"


class MessageUnreadableError(DomainError):
    """The input is not a message this channel can take; it belongs in quarantine."""

    status = 400


class MessageQuarantinedError(DomainError):
    """The input was kept in quarantine (``quarantine_id``) instead of being processed."""

    status = 400

    def __init__(self, cause: DomainError, *, quarantine_id: int) -> None:
        super().__init__(cause.code, cause.message, **cause.params)
        self.quarantine_id = quarantine_id


class SignatureError(DomainError):
    """A signed request whose signature is missing, wrong or cannot be checked."""

    status = 401
