"""The API document's error contract: every 4xx an operation can answer, with its schema.

django-ninja documents only the answers a view returns itself; the errors come from
the exception handlers in ``kefu.api`` (``{"code", "message"}``, plus ``details`` for a
422). ``document_errors`` adds them to each operation of the OpenAPI document by
these rules, read from the operation itself:

- 401 for an operation behind an API token or a signature (none, or a wrong one);
- 403 for an operation behind a staff token that checks a role, the actor's
  department or the record's holder: all but those in ``OPEN_TO_STAFF``;
- 422 for an operation that reads a parameter or a body (the schema refused it);
- 400 for an operation that reads a body (malformed JSON, or a domain rule refused
  the values: ``DomainError``'s own status);
- 404 for an operation with an id in its path;
- 409 for an operation whose body carries the record's ``version`` (compare-and-swap);

and ``ANSWERS`` adds what one operation answers beyond them: 400 for a read whose
rules refuse the values, 404 for a record named in the body or the query, 409 where
a compare-and-swap or a state check can fail, 429 where it is throttled. The fuzz
test (``tests/security/test_api_fuzz.py``) fails on any status the document does not
list, so a new refusal must be added here.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "Error"
ERROR_COMPONENT: dict[str, Any] = {
    "title": ERROR_SCHEMA,
    "type": "object",
    "description": "A refusal: a stable machine-readable code and a translated message.",
    "properties": {
        "code": {"type": "string", "title": "Code"},
        "message": {"type": "string", "title": "Message"},
        "details": {
            "type": "array",
            "title": "Details",
            "description": "422 only: each field the schema refused, with where and why.",
            "items": {"type": "object"},
        },
    },
    "required": ["code", "message"],
}
DESCRIPTIONS = {
    400: "Bad request: malformed JSON, or a rule refused the values",
    401: "No valid credentials",
    403: "Not allowed for your role, department or this record",
    404: "No such record",
    409: "Conflict: the record changed meanwhile, or its state does not allow this",
    422: "The request does not match the schema (details name each field)",
    429: "Too many requests; wait and try again",
}
STAFF_SCHEMES = frozenset({"BearerToken", "SessionAuth"})

# Staff operations with no role or holder check: any signed-in staff member may call
# them (a read of their own data, or of reference data every page shows).
OPEN_TO_STAFF = frozenset(
    {
        "GET /me",
        "PATCH /me",
        "GET /departments",
        "GET /teams",
        "GET /calendar/due",
        "GET /reply-templates",
        "GET /saved-views",
        "GET /sla-policies",
        "POST /workforce/erlang",
        "GET /workforce/my-schedule",
        "GET /quality/qa-scores/mine",
        "GET /floor/state",
    }
)

_404 = frozenset({404})
_409 = frozenset({409})
# What one operation answers beyond the rules above, keyed "METHOD /path" under
# /api/v1: 404 for a record its body or query names, 409 for a state check (the
# services that raise ``ConflictError``), 400 for a read whose values a rule refuses.
ANSWERS: dict[str, frozenset[int]] = {
    "GET /calendar/due": frozenset({400}),
    "POST /organisations": _409,
    "PATCH /organisations/{organisation_id}": _409,
    "POST /contacts": _404 | _409,
    "PATCH /contacts/{contact_id}": _404 | _409,
    "GET /projects": _404,
    "POST /projects": _404,
    "PATCH /projects/{project_id}": _404 | _409,
    "POST /cases": _404,
    "POST /requests": _404,  # the department named in the body
    "POST /kb/articles": _404,  # the category named in the body
    "GET /kb/search": frozenset({400}),  # an audience other than public or internal
    "POST /routing/skills": _404,  # the agent named in the body
    "POST /cases/{case_id}/replies": _409,
    "POST /cases/{case_id}/status": _409,
    "POST /cases/{case_id}/assign": _409,
    "POST /cases/{case_id}/escalate": _409,
    "POST /cases/{case_id}/over-heads": _409,
    "POST /cases/{case_id}/transfer": _409,
    "POST /cases/{case_id}/merge": _409,
    "GET /channels/phone/calls": _404,
    "POST /channels/phone/calls": _404,  # the case named in the body
    "POST /incidents": _404,
    "POST /incidents/{incident_id}/affected": _409,
    "POST /incidents/{incident_id}/confirm": _409,
    "POST /incidents/{incident_id}/updates": _409,
    "POST /incidents/{incident_id}/resume": _409,
    "POST /workforce/schedules/{schedule_id}/publish": _409,
    "POST /quality/cases/{case_id}/qa-scores": _409,
    "POST /quality/campaigns/{campaign_id}/invite": _409,
    "POST /floor/hands": _404 | _409,
    "POST /floor/hands/{hand_id}/acknowledge": _409,
    "POST /floor/hands/{hand_id}/close": _409,
    "POST /floor/state": _409,
    "POST /floor/breaks": _409,
    "POST /floor/breaks/end": _409,
    "GET /floor/states": _404,
    "GET /floor/adherence": _404,
    "POST /floor/leave": _404 | _409,
    "POST /floor/leave/{leave_id}/decision": _409,
    "POST /floor/leave/{leave_id}/cancel": _409,
    "GET /people/coaching": _404,
    "POST /people/coaching": _404,
    "POST /people/discipline": _404 | _409,
    "POST /people/exits": _404 | _409,
    "POST /people/candidates/{candidate_id}/stage": _409,
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _body_properties(operation: dict[str, Any], components: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        schema = media.get("schema", {})
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            schema = components.get(ref.rsplit("/", 1)[1], {})
        names |= set(schema.get("properties", {}))
    return names


def _codes(operation: dict[str, Any], key: str, components: dict[str, Any]) -> set[int]:
    schemes = {name for entry in operation.get("security", []) for name in entry}
    codes = set(ANSWERS.get(key, frozenset()))
    if schemes:
        codes.add(401)
    if schemes & STAFF_SCHEMES and key not in OPEN_TO_STAFF:
        codes.add(403)
    if "version" in _body_properties(operation, components):
        codes.add(409)
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        codes.add(422)
    if "requestBody" in operation:
        codes.add(400)
    if any(parameter.get("in") == "path" for parameter in parameters):
        codes.add(404)
    return codes


def _add(responses: dict[Any, Any], code: int) -> None:
    error = {"schema": _ref(ERROR_SCHEMA)}
    declared = responses.get(code) or responses.get(str(code))
    if declared is None:
        responses[code] = {
            "description": DESCRIPTIONS[code],
            "content": {"application/json": error},
        }
        return
    # The view answers this status itself (an import's line errors): either shape.
    content = declared.setdefault("content", {}).setdefault("application/json", {})
    own = content.get("schema")
    content["schema"] = {"anyOf": [own, error["schema"]]} if own else error["schema"]


def document_errors(document: dict[str, Any], *, prefix: str) -> dict[str, Any]:
    """Add the error responses of every operation (see the module's rules) to
    ``document``, whose paths start with ``prefix`` ("/api/v1")."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA] = ERROR_COMPONENT
    for path, operations in document.get("paths", {}).items():
        relative = path.removeprefix(prefix) or "/"
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(_codes(operation, f"{method.upper()} {relative}", components)):
                _add(responses, code)
    return document


def operation_keys(document: dict[str, Any], *, prefix: str) -> set[str]:
    """Every "METHOD /path" of ``document``, as ``ANSWERS`` names them."""
    return {
        f"{method.upper()} {path.removeprefix(prefix) or '/'}"
        for path, operations in document.get("paths", {}).items()
        for method in operations
    }
