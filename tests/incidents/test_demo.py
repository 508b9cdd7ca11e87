"""The demo stoppage."""

from __future__ import annotations

import pytest

from kefu.core.models import User
from kefu.incidents.demo import demo_load
from kefu.incidents.models import Delivery, Incident
from tests.incidents.builders import NOW, make_contact, make_customer, make_project

pytestmark = pytest.mark.django_db


def test_demo_load_confirms_one_stoppage_once(lead: User) -> None:
    home = make_customer()
    make_project(home)
    make_contact(home, email="pm@example.com")
    make_contact(make_customer(), email="x@example.com")
    incident = demo_load(at=NOW)
    assert incident is not None
    assert incident.status == Incident.Status.CONFIRMED
    assert Delivery.objects.count() == 2
    assert demo_load(at=NOW) is None
    assert Incident.objects.count() == 1
