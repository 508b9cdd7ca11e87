"""Error codes of routing (the API contract)."""

from __future__ import annotations

from enum import StrEnum


class RoutingErrorCode(StrEnum):
    NOT_ALLOWED = "routing_not_allowed"
    TEAM_NOT_FOUND = "team_not_found"
    SKILL_NOT_FOUND = "skill_not_found"
    AGENT_NOT_IN_TEAM = "agent_not_in_team"
    UNKNOWN_SKILL_KIND = "unknown_skill_kind"
    UNKNOWN_SKILL_VALUE = "unknown_skill_value"
    BAD_LEVEL = "bad_level"
    BAD_CAPACITY = "bad_capacity"
    UNKNOWN_METHOD = "unknown_method"
    CASE_CLOSED = "case_closed"
