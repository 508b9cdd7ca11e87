"""The portal's error codes (the API contract); the wording is translated."""

from __future__ import annotations

from enum import StrEnum


class PortalErrorCode(StrEnum):
    BAD_ADDRESS = "bad_address"
    TOO_MANY_CODES = "too_many_codes"
    BAD_CODE = "bad_code"
    EMPTY_MESSAGE = "empty_message"
    BAD_FILE = "bad_file"
    BAD_CATEGORY = "bad_category"
    STATUS_PAGE_OFF = "status_page_off"
    BAD_LINK = "bad_link"
