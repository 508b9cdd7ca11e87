"""Schemathesis against /api/v1/openapi.json: the API answers what its document says.

Every operation is fuzzed through the real WSGI stack (Django's handler, the
database of the test) as an administrator with a bearer token, so the
permission checks pass and the requests reach validation and the services.
Each answer must be no 5xx (``not_a_server_error``), a status the operation
documents (``status_code_conformance``: the error contract of ``kefu.openapi``)
and a body matching that status's schema (``response_schema_conformance``).
Found bugs get a focused regression test in ``test_api_regressions.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from kefu.core.models import User
from kefu.core.roles import Role

# Bounded and deterministic: a fixed seed, ~10 fuzzed examples per operation, no
# shrinking, no example database; about a minute on SQLite and two on PostgreSQL
# on a 2-core machine (docs/security.md, "API fuzzing").
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261123,
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "generation": {
            "max-examples": 10,
            "no-shrink": True,
            "database": "none",
            "allow-x00": True,
        },
    }
)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture
def admin_headers(
    make_user: Callable[..., User], bearer_for: Callable[[User], dict[str, str]]
) -> dict[str, str]:
    return bearer_for(make_user(Role.ADMINISTRATOR, username="fuzz.admin"))


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    """Django's handler closes the connection after each request; the test's
    transaction must survive between calls (Django's test Client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_answers_conform_to_the_document(
    case: schemathesis.Case,  # type: ignore[type-arg]
    admin_headers: dict[str, str],
) -> None:
    response = case.call(headers=admin_headers)
    case.validate_response(response, checks=CHECKS, headers=admin_headers)
