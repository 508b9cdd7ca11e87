"""A signed-in portal customer against every page and API operation: the portal
session opens the portal and nothing of the desk; another contact's case is hidden."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.customers.models import Contact
from tests.cases.builders import make_contact
from tests.security.matrix_world import api_operations, build_world, fill, pages
from tests.security.test_permission_matrix import CUSTOMER_PAGES

pytestmark = pytest.mark.django_db

PORTAL_OPEN = {"portal:home", "portal:case_new", "portal:help"}


def test_a_portal_customer_reaches_only_their_portal_pages(
    portal_client: Callable[[Contact], Client],
) -> None:
    world = build_world()
    stranger = make_contact(email="stranger@example.com")
    client = portal_client(stranger)
    for name, route in pages():
        response = client.get("/" + fill(route, world.values, name=name))
        status = response.status_code
        if name in PORTAL_OPEN:
            assert status == 200, name
        elif name == "portal:login":
            # Signed in already: on to the portal's home.
            assert response["Location"] == "/portal/", name
        elif name == "portal:case":
            # The world's case belongs to another contact.
            assert status == 404, name
        elif name in CUSTOMER_PAGES or name in ("core:login", "core:healthz"):
            continue  # public by design
        else:
            assert status in (302, 404, 405), (name, status)
            if status == 302:
                assert "/login/" in response["Location"], name
    for method, template in api_operations():
        answer = client.generic(method, fill(template, world.values), "{}", "application/json")
        assert answer.status_code == 401, (method, template)
