"""Error codes of the coach (the API contract)."""

from __future__ import annotations

from enum import StrEnum

from kefu.core.errors import DomainError


class AssistErrorCode(StrEnum):
    INVALID_ENTRY = "invalid_lexicon_entry"
    UNKNOWN_LIST = "unknown_lexicon_list"
    INVALID_ROLE = "invalid_role"


class AssistInvalidError(DomainError):
    """A lexicon entry or an analysis request does not fit."""
