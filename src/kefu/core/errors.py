"""Domain errors: an enum code (the API contract) and a translated message."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the request.

    ``code`` is stable and machine-readable; ``message`` is lazily translated
    so it renders in the language active where it is shown. ``status`` is the
    HTTP status the API and the pages answer with.
    """

    status = 400

    def __init__(self, code: StrEnum, message: str | Promise, **params: Any) -> None:
        self.code = code
        self.message = message
        self.params = params
        super().__init__(f"{code}: {message}")

    def text(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class PermissionDeniedError(DomainError):
    status = 403


class NotFoundError(DomainError):
    status = 404


class ConflictError(DomainError):
    status = 409


class RateLimitedError(DomainError):
    status = 429
