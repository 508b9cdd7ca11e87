"""Internal customers' pages (issue 21): any member of staff raises and follows requests."""

from __future__ import annotations

# fmt: off
API = {
    "GET /api/v1/requests": "UAAAAAA",
    "POST /api/v1/requests": "UAAAAAA",  # an empty body is judged on its content (422)
    "GET /api/v1/requests/{case_id}/messages": "UNNNNNN",
    "POST /api/v1/requests/{case_id}/messages": "UAAAAAA",
}
PAGES = {
    "cases:requests": "LAAAAAA",
    "cases:request": "LNNNNNN",  # only the requester; the world's case has an external contact
}
# fmt: on
