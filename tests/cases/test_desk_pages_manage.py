"""The desk's managing pages: a new case, a case's details with the version check,
assignment by name, merge, link and watch, and bulk actions with one confirmation."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases.models import Case, CaseEvent, CaseLink
from kefu.channels.models import CallRecord
from kefu.core.models import AuditEntry, Team, User
from kefu.core.roles import Role
from kefu.customers.models import Contact, Organisation
from tests.cases.builders import at, make_contact, open_case
from tests.core.factories import make_staff

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        yield


@pytest.fixture
def agent(team: Team) -> User:
    return make_staff(
        username="agent.wang", role=Role.AGENT, team=team, department=team.department, language="en"
    )


@pytest.fixture
def lead(team: Team) -> User:
    return make_staff(
        username="lead.zhao",
        role=Role.TEAM_LEAD,
        team=team,
        department=team.department,
        language="en",
    )


@pytest.fixture
def colleague(team: Team) -> User:
    user = make_staff(username="agent.liu", role=Role.AGENT, team=team, department=team.department)
    user.display_name = "刘洋"
    user.save(update_fields=["display_name"])
    return user


def _phone_case_data(**extra: str) -> dict[str, str]:
    return {
        "new_name": "陈静",
        "new_phone": "139-1234-5678",
        "new_email": "",
        "channel": "phone",
        "call_direction": "in",
        "call_minutes": "6",
        "subject": "空调不制冷",
        "body": "客户来电：客厅空调开了半小时仍不制冷，希望明天上门。",
        "category": "enquiry",
        "priority": "high",
        **extra,
    }


# -- a new case ----------------------------------------------------------------------------


def test_agent_logs_a_phone_call_as_a_new_case_for_a_new_contact(
    client_for: ClientFor, agent: User
) -> None:
    response = client_for(agent).post(reverse("cases:new"), _phone_case_data())

    case = Case.objects.get(subject="空调不制冷")
    contact = Contact.objects.get(name="陈静")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case", args=[case.pk])
    assert (case.channel, case.priority, case.owner, case.contact) == (
        "phone",
        "high",
        agent,
        contact,
    )
    assert contact.phone == "+8613912345678"
    assert case.messages.get().body.startswith("客户来电")
    call = CaseEvent.objects.get(case=case, kind="call_logged")
    assert call.data == {"direction": "in", "minutes": 6}
    record = CallRecord.objects.get(case=case)
    assert (record.direction, record.duration_seconds, record.from_number, record.agent) == (
        "in",
        360,
        "+8613912345678",
        agent,
    )
    assert AuditEntry.objects.filter(action="call.recorded", target_id=str(record.pk)).count() == 1
    assert (
        AuditEntry.objects.filter(action="contact.created", target_id=str(contact.pk)).count() == 1
    )


def test_a_walk_in_customer_gets_a_case_and_is_answered_by_phone(
    client_for: ClientFor, agent: User
) -> None:
    data = _phone_case_data(channel="walk_in", call_direction="", call_minutes="")
    data["body"] = "客户到店：新装的热水器漏水，带来了照片。"
    response = client_for(agent).post(reverse("cases:new"), data)

    case = Case.objects.get(subject="空调不制冷")
    assert response.status_code == 302
    assert case.channel == "walk_in"
    assert not CallRecord.objects.filter(case=case).exists()
    # Nobody is reached "by walk-in": the contact's channels are the ones they gave.
    assert case.contact.preferred_channels == ["phone"]
    page = client_for(agent).get(reverse("cases:case", args=[case.pk]))
    assert "Walk-in" in page.content.decode() or "到店" in page.content.decode()


def test_walk_in_is_never_a_preferred_channel() -> None:
    from kefu.customers.errors import CustomerInvalidError
    from kefu.customers.validation import clean_channels

    assert clean_channels(["wechat", "sms"]) == ["wechat", "sms"]
    with pytest.raises(CustomerInvalidError):
        clean_channels(["walk_in"])


def test_a_bad_phone_on_the_new_case_page_keeps_everything_typed(
    client_for: ClientFor, agent: User
) -> None:
    response = client_for(agent).post(reverse("cases:new"), _phone_case_data(new_phone="12ab"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "A phone number holds digits, spaces, dashes and brackets" in page
    assert "客厅空调开了半小时仍不制冷" in page
    assert 'value="空调不制冷"' in page
    assert not Case.objects.exists()
    assert not Contact.objects.filter(name="陈静").exists()


def test_a_phone_case_needs_who_called_and_how_long(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).post(
        reverse("cases:new"), _phone_case_data(call_direction="", call_minutes="")
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Say who called." in page
    assert "Give the call&#x27;s length in minutes." in page
    assert not Case.objects.exists()


def test_new_case_from_a_contact_page_is_for_that_contact(
    client_for: ClientFor, agent: User
) -> None:
    contact = make_contact(name="周敏")
    client = client_for(agent)

    form = client.get(reverse("cases:new"), {"contact": contact.pk}).content.decode()
    response = client.post(
        reverse("cases:new"),
        {
            "contact": str(contact.pk),
            "channel": "email",
            "subject": "发票抬头错误",
            "body": "转来的邮件：发票抬头写错了，请重开。",
            "category": "enquiry",
            "priority": "normal",
        },
    )

    assert "周敏" in form
    assert response.status_code == 302
    assert Case.objects.get(subject="发票抬头错误").contact == contact


def test_contact_search_on_the_new_case_page_masks_phones(
    client_for: ClientFor, agent: User
) -> None:
    make_contact(name="周敏", phone="13812345678")

    page = (
        client_for(agent)
        .get(reverse("cases:contact_pick"), {"contact_query": "周敏"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "周敏" in page
    assert "138****5678" in page
    assert "13812345678" not in page


# -- a case's details ----------------------------------------------------------------------


def _details(case: Case, **changes: str) -> dict[str, str]:
    return {
        "subject": case.subject,
        "priority": case.priority,
        "category": case.category,
        "tags": ", ".join(case.tags),
        "version": str(case.version),
        "seen_subject": case.subject,
        "seen_priority": case.priority,
        "seen_category": case.category,
        "seen_tags": ", ".join(case.tags),
        **changes,
    }


def test_editing_details_saves_them_with_one_audit_entry(
    client_for: ClientFor, team: Team, agent: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    response = client_for(agent).post(
        reverse("cases:details", args=[case.pk]),
        _details(case, subject="卫生间渗水（二次）", priority="urgent", tags="漏水，回访"),
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.subject, case.priority, case.tags) == (
        "卫生间渗水（二次）",
        "urgent",
        ["漏水", "回访"],
    )
    assert AuditEntry.objects.filter(action="case.updated", target_id=str(case.pk)).count() == 1


def test_a_stale_details_form_overwrites_nothing_and_keeps_the_users_text(
    client_for: ClientFor, team: Team, agent: User, lead: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)
    stale = _details(case, subject="楼上漏水导致天花板发霉", priority="low")
    client_for(lead).post(reverse("cases:details", args=[case.pk]), _details(case, priority="high"))

    response = client_for(agent).post(reverse("cases:details", args=[case.pk]), stale)

    page = response.content.decode()
    case.refresh_from_db()
    assert response.status_code == 409
    assert (case.subject, case.priority) == ("卫生间渗水", "high")
    assert "Someone else changed this case while you were editing it" in page
    assert "Priority is now “High”" in page
    assert 'value="楼上漏水导致天花板发霉"' in page
    assert f'name="version" value="{case.version}"' in page


def test_saving_again_after_a_collision_goes_through(
    client_for: ClientFor, team: Team, agent: User, lead: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)
    stale = _details(case, subject="楼上漏水导致天花板发霉")
    client_for(lead).post(reverse("cases:details", args=[case.pk]), _details(case, priority="high"))
    client_for(agent).post(reverse("cases:details", args=[case.pk]), stale)
    case.refresh_from_db()

    response = client_for(agent).post(
        reverse("cases:details", args=[case.pk]),
        _details(case, subject="楼上漏水导致天花板发霉"),
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.subject, case.priority) == ("楼上漏水导致天花板发霉", "high")


def test_a_bad_tag_is_shown_on_the_field(client_for: ClientFor, team: Team, agent: User) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    response = client_for(agent).post(
        reverse("cases:details", args=[case.pk]), _details(case, tags="x" * 41)
    )

    assert response.status_code == 422
    assert "A tag is at most 40 characters" in response.content.decode()


# -- assignment, merge, link, watch --------------------------------------------------------


def test_case_page_offers_people_by_display_name_to_a_lead_only(
    client_for: ClientFor, team: Team, agent: User, lead: User, colleague: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    as_lead = client_for(lead).get(reverse("cases:case", args=[case.pk])).content.decode()
    as_agent = client_for(agent).get(reverse("cases:case", args=[case.pk])).content.decode()

    assert f'<option value="{colleague.pk}">刘洋 · 热线一组</option>' in as_lead
    assert "agent.liu" not in as_lead
    assert reverse("cases:assign", args=[case.pk]) not in as_agent
    assert reverse("cases:details", args=[case.pk]) in as_agent


def test_lead_assigns_a_case_to_a_named_agent(
    client_for: ClientFor, team: Team, agent: User, lead: User, colleague: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    response = client_for(lead).post(
        reverse("cases:assign", args=[case.pk]), {"owner": str(colleague.pk)}
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.owner == colleague


def test_agent_cannot_assign_a_case_to_a_colleague(
    client_for: ClientFor, team: Team, agent: User, colleague: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    response = client_for(agent).post(
        reverse("cases:assign", args=[case.pk]), {"owner": str(colleague.pk)}
    )

    case.refresh_from_db()
    assert response.status_code == 403
    assert case.owner == agent


def test_merge_by_reference_moves_messages_and_closes_the_case(
    client_for: ClientFor, team: Team, agent: User
) -> None:
    contact = make_contact()
    keep = open_case(when="2026-11-02 08:00", team=team, owner=agent, contact=contact)
    duplicate = open_case(
        when="2026-11-02 09:00", team=team, owner=agent, contact=contact, body="又来催了"
    )

    response = client_for(agent).post(
        reverse("cases:merge", args=[duplicate.pk]), {"reference": keep.reference.lower()}
    )

    duplicate.refresh_from_db()
    assert response.status_code == 302
    assert duplicate.merged_into == keep
    assert keep.messages.filter(body="又来催了").exists()


def test_merge_with_an_unknown_reference_says_so_and_keeps_the_text(
    client_for: ClientFor, team: Team, agent: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    response = client_for(agent).post(
        reverse("cases:merge", args=[case.pk]), {"reference": "KF-2026-999999"}
    )

    page = response.content.decode()
    assert response.status_code == 404
    assert "No such case." in page
    assert 'value="KF-2026-999999"' in page


def test_link_by_search_words_and_watch(client_for: ClientFor, team: Team, agent: User) -> None:
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)
    other = open_case(when="2026-11-02 09:30", team=team, subject="电梯异响")
    client = client_for(agent)

    linked = client.post(
        reverse("cases:link", args=[case.pk]), {"reference": "电梯异响", "kind": "related"}
    )
    watched = client.post(reverse("cases:watch", args=[case.pk]), {"watching": "1"})

    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert (linked.status_code, watched.status_code) == (302, 302)
    assert CaseLink.objects.filter(from_case=case, to_case=other).exists()
    assert case.watchers.filter(pk=agent.pk).exists()
    assert other.reference in page
    assert "Stop watching" in page


# -- bulk actions --------------------------------------------------------------------------


def test_lead_bulk_assigns_three_cases_to_a_named_agent_after_one_confirmation(
    client_for: ClientFor, team: Team, lead: User, colleague: User
) -> None:
    cases = [open_case(when=f"2026-11-02 0{hour}:00", team=team) for hour in (7, 8, 9)]
    data = {
        "cases": [str(case.pk) for case in cases],
        "action": "assign",
        "owner": str(colleague.pk),
    }
    client = client_for(lead)

    preview = client.post(reverse("cases:bulk"), data)
    assert preview.status_code == 200
    assert "Owner: Unassigned → 刘洋" in preview.content.decode()
    assert not Case.objects.filter(owner=colleague).exists()

    done = client.post(reverse("cases:bulk"), {**data, "confirm": "1"})

    assert done.status_code == 200
    assert "Assign to: 3 cases." in done.content.decode()
    assert Case.objects.filter(owner=colleague).count() == 3
    for case in cases:
        assert (
            AuditEntry.objects.filter(target_id=str(case.pk), action="case.assigned").count() == 1
        )


def test_agent_cannot_bulk_assign(
    client_for: ClientFor, team: Team, agent: User, colleague: User
) -> None:
    cases = [open_case(when="2026-11-02 09:00", team=team) for _n in range(3)]
    data = {
        "cases": [str(case.pk) for case in cases],
        "action": "assign",
        "owner": str(colleague.pk),
        "confirm": "1",
    }

    response = client_for(agent).post(reverse("cases:bulk"), data)

    assert response.status_code == 403
    assert "team leads and department managers" in response.content.decode()
    assert not Case.objects.filter(owner__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="case.assigned").exists()


def test_bulk_merge_reports_each_refused_case_in_words(
    client_for: ClientFor, team: Team, agent: User
) -> None:
    contact = make_contact()
    keep = open_case(when="2026-11-02 07:00", team=team, contact=contact)
    same = open_case(when="2026-11-02 08:00", team=team, contact=contact)
    stranger = open_case(when="2026-11-02 09:00", team=team)
    data = {"cases": [str(c.pk) for c in (keep, same, stranger)], "action": "merge", "confirm": "1"}

    response = client_for(agent).post(reverse("cases:bulk"), data)

    page = response.content.decode()
    same.refresh_from_db()
    stranger.refresh_from_db()
    assert response.status_code == 200
    assert same.merged_into == keep
    assert stranger.merged_into is None
    assert "Not changed: These cases differ in contact" in page
    assert "1 case was not changed" in page


def test_bulk_priority_and_tag_write_one_audit_entry_per_changed_case(
    client_for: ClientFor, team: Team, agent: User
) -> None:
    cases = [open_case(when="2026-11-02 09:00", team=team) for _n in range(2)]
    ids = [str(case.pk) for case in cases]
    client = client_for(agent)

    client.post(
        reverse("cases:bulk"),
        {"cases": ids, "action": "priority", "priority": "urgent", "confirm": "1"},
    )
    client.post(
        reverse("cases:bulk"), {"cases": ids, "action": "tag", "tag": "回访", "confirm": "1"}
    )

    for case in cases:
        case.refresh_from_db()
        assert (case.priority, case.tags) == ("urgent", ["回访"])
        assert AuditEntry.objects.filter(target_id=str(case.pk), action="case.updated").count() == 2


def test_bulk_without_a_selection_says_what_to_do(client_for: ClientFor, agent: User) -> None:
    response = client_for(agent).post(
        reverse("cases:bulk"), {"action": "status", "status": "resolved"}
    )

    assert response.status_code == 400
    assert "Select at least one case." in response.content.decode()


def test_queue_rows_carry_checkboxes_for_the_bulk_form(
    client_for: ClientFor, team: Team, lead: User
) -> None:
    case = open_case(when="2026-11-02 09:00", team=team)

    page = client_for(lead).get(reverse("cases:queue"), {"scope": "all"}).content.decode()

    assert f'name="cases" value="{case.pk}" form="bulk-form"' in page
    assert reverse("cases:bulk") in page
    assert reverse("cases:new") in page


def test_bulk_assign_leaves_a_case_already_theirs_alone(
    client_for: ClientFor, team: Team, lead: User, colleague: User
) -> None:
    theirs = open_case(when="2026-11-02 08:00", team=team, owner=colleague)
    other = open_case(when="2026-11-02 09:00", team=team)
    data = {
        "cases": [str(theirs.pk), str(other.pk)],
        "action": "assign",
        "owner": str(colleague.pk),
        "confirm": "1",
    }

    page = client_for(lead).post(reverse("cases:bulk"), data).content.decode()

    assert "Already so; unchanged" in page
    assert not AuditEntry.objects.filter(target_id=str(theirs.pk), action="case.assigned").exists()
    assert AuditEntry.objects.filter(target_id=str(other.pk), action="case.assigned").count() == 1


def test_a_contact_gone_meanwhile_is_said_on_the_form_which_keeps_the_text(
    client_for: ClientFor, agent: User
) -> None:
    client = client_for(agent)

    shown = client.get(reverse("cases:new"), {"contact": "999999"})
    posted = client.post(reverse("cases:new"), {**_phone_case_data(), "contact": "999999"})

    assert shown.status_code == 200
    assert "No such contact." in shown.content.decode()
    assert posted.status_code == 422
    assert "No such contact." in posted.content.decode()
    assert "客厅空调开了半小时仍不制冷" in posted.content.decode()
    assert not Case.objects.exists()


def test_a_new_contact_joins_the_organisation_named_and_an_unknown_name_is_said(
    client_for: ClientFor, agent: User
) -> None:
    organisation = Organisation.objects.create(name="华东物业", created_at=at("2026-01-01 09:00"))
    client = client_for(agent)

    unknown = client.post(reverse("cases:new"), _phone_case_data(new_organisation="华东物"))
    known = client.post(reverse("cases:new"), _phone_case_data(new_organisation="华东物业"))

    assert unknown.status_code == 422
    assert "No organisation is called “华东物”" in unknown.content.decode()
    assert known.status_code == 302
    assert Contact.objects.get(name="陈静").organisation == organisation
    assert Case.objects.get().organisation == organisation


def test_lead_moves_a_case_to_another_team_of_the_department_and_an_agent_cannot(
    client_for: ClientFor, team: Team, agent: User, lead: User
) -> None:
    night = Team.objects.create(department=team.department, name="夜班组")
    case = open_case(when="2026-11-02 09:00", team=team, owner=agent)

    refused = client_for(agent).post(
        reverse("cases:assign_team", args=[case.pk]), {"team": str(night.pk)}
    )
    moved = client_for(lead).post(
        reverse("cases:assign_team", args=[case.pk]), {"team": str(night.pk)}
    )

    case.refresh_from_db()
    assert (refused.status_code, moved.status_code) == (403, 302)
    assert case.team == night
    assert AuditEntry.objects.get(action="case.team_assigned").after == {"team": "夜班组"}
