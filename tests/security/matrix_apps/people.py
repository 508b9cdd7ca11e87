"""Permission-matrix rows of the people practices (issue 21, item 4): sick pay, the
two-year list, overtime, openings and scorecards, the person page's actions."""

from __future__ import annotations

# fmt: off
PAGES: dict[str, str] = {
    "floor:person_contract": "MMMMMMM",
    "floor:onboarding_tick": "MMMMMMM",
    "floor:overtime_record": "MMMMMMM",
    "floor:two_year": "LFAAAAA",
    "floor:leave_policies": "LFAAAAA",
    "floor:overtime": "LFAAAAA",
    "floor:openings": "LFAAAAA",
    "floor:opening": "LFNNNNN",
    "floor:interview_score": "MMMMMMM",
}
# fmt: on
