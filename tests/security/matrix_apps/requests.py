"""Internal customers' pages (issue 21): any member of staff raises and follows requests."""

from __future__ import annotations

# fmt: off
PAGES = {
    "cases:requests": "LAAAAAA",
    "cases:request": "LNNNNNN",  # only the requester; the world's case has an external contact
}
# fmt: on
