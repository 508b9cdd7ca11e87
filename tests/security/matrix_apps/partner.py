"""The writing partner (issue 22): its case-page panels, their actions, the call log.

The world has no provider set, so the panels answer empty fragments to whoever
works the case; the actions are POST-only (tests/partner covers them); the call
log is the administrators'.
"""

from __future__ import annotations

# fmt: off
PAGES = {
    "partner:summary_panel": "LAAFFAA",
    "partner:summary": "MMMMMMM",
    "partner:draft_panel": "LAAFFAA",
    "partner:draft": "MMMMMMM",
    "partner:calls": "LFFFFFA",
}
# fmt: on
