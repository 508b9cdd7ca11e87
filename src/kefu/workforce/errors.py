"""Error codes of the workforce app (the API contract) and its error classes."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import DomainError, NotFoundError
from kefu.workforce.messages import explain


class WorkforceErrorCode(StrEnum):
    INVALID_CSV = "invalid_csv"
    INVALID_INPUT = "invalid_input"
    INVALID_RULES = "invalid_rules"
    NOT_FOUND = "not_found"
    NOT_READY = "schedule_not_ready"
    NO_REQUIREMENTS = "no_requirements"
    NO_AGENTS = "no_agents"


#: Core codes for input too large to compute in seconds: answered 422, not 400.
TOO_LARGE_CODES = frozenset(
    {"traffic_too_large", "agents_too_many", "patience_load_too_large", "work_too_large"}
)


class CoreInputError(DomainError):
    """A pure core refused its input; ``code`` is the core's own code, worded by ``explain``."""

    status = 400

    def __init__(self, code: str, params: dict[str, Any]) -> None:
        # The core's code is the API contract here; an enum of one member carries it.
        CoreCode = StrEnum("CoreCode", [("CODE", code)])  # noqa: N806
        super().__init__(CoreCode(code), explain(code, params))
        self.core_params = params
        if code in TOO_LARGE_CODES:
            self.status = 422


class ScheduleProblemsError(DomainError):
    """``scheduling.check`` found rules or contracts no schedule can meet; nothing was built."""

    status = 422

    def __init__(self, problems: Sequence[tuple[str, dict[str, Any]]]) -> None:
        super().__init__(
            WorkforceErrorCode.INVALID_RULES,
            _("These rules and contracts cannot be scheduled; nothing was built."),
        )
        self.problems = [(code, dict(params)) for code, params in problems]

    def sentences(self) -> list[str]:
        return [explain(code, params) for code, params in self.problems]


class WorkforceNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__(WorkforceErrorCode.NOT_FOUND, _("No such record."))
