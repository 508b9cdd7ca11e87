"""Collaboration on a case (issue 21): the panel, its actions and the meeting file."""

from __future__ import annotations

# fmt: off
PAGES = {
    "collab:panel": "LAAFFAA",
    "collab:invite": "MMMMMMM",
    "collab:task_done": "MMMMMMM",
    "collab:side_start": "MMMMMMM",
    "collab:side_reply": "MMMMMMM",
    "collab:meeting": "MMMMMMM",
    "collab:meeting_file": "LNNFFNN",
    "collab:check_in": "MMMMMMM",
    "collab:task_force": "MMMMMMM",
}
# fmt: on
