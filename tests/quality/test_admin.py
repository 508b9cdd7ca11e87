"""Administrators edit the SERVQUAL wording and the QA rubric's weights in the admin."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.quality.models import QaCriterion, ServqualItem
from tests.conftest import MakeUser


def test_admin_edits_rubric_weights_and_servqual_wording(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="admin.qa")
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    criterion = QaCriterion.objects.order_by("position").first()
    item = ServqualItem.objects.order_by("number").first()
    assert criterion is not None
    assert item is not None

    listing = client.get("/admin/quality/qacriterion/")
    page = client.get(f"/admin/quality/servqualitem/{item.pk}/change/")

    assert listing.status_code == 200
    assert f"/admin/quality/qacriterion/{criterion.pk}/change/" in listing.content.decode()
    assert 'name="form-0-weight"' in listing.content.decode()
    assert page.status_code == 200
    assert item.text_zh in page.content.decode()
