from __future__ import annotations

from tests.cases.conftest import desk_agent, desk_lead, team

__all__ = ["desk_agent", "desk_lead", "team"]
