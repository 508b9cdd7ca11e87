"""Error codes of the customers app (the API contract) and its error classes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import ngettext_lazy

from kefu.core.errors import DomainError


class CustomerErrorCode(StrEnum):
    NAME_REQUIRED = "name_required"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_ID_NUMBER = "invalid_id_number"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_CHANNEL = "unknown_channel"
    DUPLICATE_CHANNEL = "duplicate_channel"
    INVALID_QUIET_HOURS = "invalid_quiet_hours"
    UNKNOWN_TIER = "unknown_tier"
    INVALID_TAG = "invalid_tag"
    UNKNOWN_STATUS = "unknown_status"
    INVALID_DATES = "invalid_dates"
    INACTIVE_PROJECT_MANAGER = "inactive_project_manager"
    DUPLICATE_ORGANISATION = "duplicate_organisation"
    DUPLICATE_CONTACT = "duplicate_contact"
    UNKNOWN_REVEAL_FIELD = "unknown_reveal_field"
    PROJECT_CHANGED = "project_changed_concurrently"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    CONTACT_NOT_FOUND = "contact_not_found"
    PROJECT_NOT_FOUND = "project_not_found"
    PROJECT_MANAGER_NOT_FOUND = "project_manager_not_found"
    INVALID_CSV = "invalid_csv"


class CustomerInvalidError(DomainError):
    """A value a user typed does not fit (phone, email, quiet hours, ...)."""

    status = 400


@dataclass(frozen=True)
class LineError:
    """One problem in an uploaded CSV file: its line number and why."""

    line: int
    reason: str


class CsvImportError(DomainError):
    """An uploaded CSV file has problems; ``errors`` lists every one. Nothing was imported."""

    status = 422

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(
            CustomerErrorCode.INVALID_CSV,
            ngettext_lazy(
                "The file has %(count)s problem; nothing was imported.",
                "The file has %(count)s problems; nothing was imported.",
                len(errors),
            ),
            count=len(errors),
        )
        self.errors = errors
