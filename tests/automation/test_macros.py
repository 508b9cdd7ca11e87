"""Macros: one click on the case page sets fields and a tag and writes the reply."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kefu.automation import services
from kefu.automation.models import Macro
from kefu.cases.models import Case, ReplyTemplate
from kefu.core.models import Team, User
from tests.cases.builders import at, make_contact, open_case

pytestmark = pytest.mark.django_db


def leak_macro(owner: User) -> Macro:
    template = ReplyTemplate.objects.create(
        name="漏水回复",
        body_zh="{contact_name}您好，维修师傅今天会联系您（{case_reference}）。",
        body_en="Dear {contact_name}, an engineer will call you today ({case_reference}).",
    )
    return services.macro_save(
        actor=owner,
        name="漏水处理",
        scope=Macro.Scope.SHARED,
        actions=[
            {"type": "set_field", "field": "priority", "value": "high"},
            {"type": "set_field", "field": "category", "value": "emergency"},
            {"type": "add_tags", "tags": ["漏水"]},
        ],
        reply_template=template,
        at=at("2026-03-02 09:00"),
    )


def test_macro_on_the_case_page_sets_fields_a_tag_and_the_reply(
    desk_manager: User,
    desk_agent: User,
    service_team: Team,
    client_for: Callable[[User], Client],
) -> None:
    macro = leak_macro(desk_manager)
    case = open_case(
        when="2026-03-02 10:00",
        team=service_team,
        owner=desk_agent,
        contact=make_contact(name="Anna", language="en"),
    )
    client = client_for(desk_agent)

    panel = client.get(f"/automation/cases/{case.pk}/macros/").content.decode()
    assert "漏水处理" in panel
    response = client.post(
        f"/automation/cases/{case.pk}/macros/{macro.pk}/apply/",
        {"body": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Dear Anna, an engineer will call you today ({case.reference})." in page
    case = Case.objects.get(pk=case.pk)
    assert (case.priority, case.category, case.tags) == ("high", "emergency", ["漏水"])
    macro.refresh_from_db()
    assert macro.use_count == 1


def test_macro_in_bulk_from_the_queue(
    desk_manager: User, desk_agent: User, service_team: Team, client_for: Callable[[User], Client]
) -> None:
    macro = leak_macro(desk_manager)
    cases = [
        open_case(when=f"2026-03-02 10:0{n}", team=service_team, owner=desk_agent) for n in range(2)
    ]

    response = client_for(desk_agent).post(
        "/automation/macros/bulk/", {"macro": macro.pk, "cases": [c.pk for c in cases]}
    )

    assert response.status_code == 302
    assert sorted(Case.objects.values_list("tags", flat=True)) == [["漏水"], ["漏水"]]


def test_personal_macro_is_not_offered_to_others(
    desk_agent: User, desk_manager: User, service_team: Team, client_for: Callable[[User], Client]
) -> None:
    services.macro_save(
        actor=desk_manager,
        name="我的",
        scope=Macro.Scope.PERSONAL,
        actions=[{"type": "add_tags", "tags": ["x"]}],
        at=at("2026-03-02 09:00"),
    )
    case = open_case(when="2026-03-02 10:00", team=service_team, owner=desk_agent)

    assert client_for(desk_agent).get(f"/automation/cases/{case.pk}/macros/").content == b""
