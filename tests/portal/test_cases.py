"""A signed-in customer's cases: list, thread, promise, reply with a photo, new case;
and everything they must never see (other contacts' cases and files, internal notes,
hidden staff names), including by changing the URL."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases import services
from kefu.cases.models import Case, Message
from kefu.core.models import User
from kefu.customers.models import Contact
from kefu.portal.models import OrganisationPortalAccess, PortalSettings
from tests.cases.builders import at, make_contact, open_case
from tests.portal.builders import PNG, agent_answers, customer_with_case, file_on, note

pytestmark = pytest.mark.django_db
PortalClient = Callable[[Contact], Client]


def test_the_list_shows_own_cases_with_status_label_and_next_promise(
    agent: User, portal_client: PortalClient
) -> None:
    contact, case = customer_with_case(agent)
    services.commitment_create(
        actor=agent,
        case=case,
        what="师傅上门检查渗水",
        due_at=at("2026-11-24 15:00"),
        at=at("2026-11-20 10:00"),
    )
    other = open_case(when="2026-11-20 09:30", subject="别人的工单")
    page = portal_client(contact).get("/portal/").content.decode()
    assert case.reference in page
    assert "卫生间渗水" in page
    assert other.reference not in page
    assert "别人的工单" not in page
    assert "New" in page  # the status as its label, never the code "new"
    assert "师傅上门检查渗水" in page
    assert "2026-11-24 15:00 (Beijing time)" in page


def test_the_case_page_shows_messages_and_promise_but_no_note_and_no_staff_name(
    agent: User, portal_client: PortalClient
) -> None:
    agent.first_name, agent.last_name, agent.display_name = "Lei", "Li", "李雷 (热线一组)"
    agent.save()
    contact, case = customer_with_case(agent)
    agent_answers(agent, case)
    note(agent, case)
    services.commitment_create(
        actor=agent,
        case=case,
        what="回电说明维修方案",
        due_at=at("2026-11-21 17:00"),
        at=at("2026-11-20 10:00"),
    )
    page = portal_client(contact).get(f"/portal/cases/{case.reference}/").content.decode()
    assert "楼下说天花板有水渍" in page
    assert "已安排师傅明天上门查看" in page
    assert "内部" not in page
    assert "注意语气" not in page
    assert "Lei" not in page
    assert "李雷" not in page
    assert agent.username not in page
    assert "Service desk" in page
    assert "回电说明维修方案" in page
    assert "2026-11-21 17:00 (Beijing time)" in page


def test_staff_first_names_show_only_when_the_business_allows(
    agent: User, portal_client: PortalClient
) -> None:
    agent.first_name, agent.last_name = "Lei", "Li"
    agent.save()
    PortalSettings.objects.create(pk=1, show_staff_first_names=True)
    contact, case = customer_with_case(agent)
    agent_answers(agent, case)
    page = portal_client(contact).get(f"/portal/cases/{case.reference}/").content.decode()
    assert "Lei" in page
    assert "Li Lei" not in page
    assert agent.username not in page


def test_another_contacts_case_is_a_404_by_changing_the_url(
    agent: User, portal_client: PortalClient
) -> None:
    _first, case = customer_with_case(agent, email="first@example.com")
    second = make_contact(email="second@example.com")
    client = portal_client(second)
    assert client.get(f"/portal/cases/{case.reference}/").status_code == 404
    response = client.post(f"/portal/cases/{case.reference}/reply/", {"body": "我也来说两句"})
    assert response.status_code == 404
    assert not Message.objects.filter(case=case, body="我也来说两句").exists()


def test_a_colleague_sees_the_organisations_cases_only_when_it_allows(
    agent: User, portal_client: PortalClient
) -> None:
    first, case = customer_with_case(agent)
    colleague = make_contact(email="colleague@example.com", organisation=first.organisation)
    client = portal_client(colleague)
    assert client.get(f"/portal/cases/{case.reference}/").status_code == 404
    assert first.organisation is not None
    OrganisationPortalAccess.objects.create(
        organisation=first.organisation, members_see_all_cases=True
    )
    assert client.get(f"/portal/cases/{case.reference}/").status_code == 200
    assert case.reference in client.get("/portal/").content.decode()


def test_files_another_case_and_a_note_are_not_reachable(
    agent: User, portal_client: PortalClient
) -> None:
    contact, case = customer_with_case(agent)
    mine = file_on(agent_answers(agent, case), "answer.png")
    on_note = file_on(note(agent, case), "internal.png")
    _other_contact, other_case = customer_with_case(agent, email="other@example.com")
    theirs = file_on(agent_answers(agent, other_case), "theirs.png")
    client = portal_client(contact)
    opened = client.get(f"/portal/files/{mine.pk}/")
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content) == PNG  # type: ignore[attr-defined]
    assert opened["Content-Security-Policy"].startswith("sandbox")
    assert client.get(f"/portal/files/{theirs.pk}/").status_code == 404
    assert client.get(f"/portal/files/{on_note.pk}/").status_code == 404
    page = client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert f"/portal/files/{on_note.pk}/" not in page


def test_a_reply_with_a_photo_is_the_customers_message_and_reopens_a_resolved_case(
    agent: User, portal_client: PortalClient
) -> None:
    contact, case = customer_with_case(agent)
    agent_answers(agent, case)
    case.refresh_from_db()
    services.case_set_status(
        actor=agent, case=case, status=Case.Status.RESOLVED, at=at("2026-11-21 09:00")
    )
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    response = portal_client(contact).post(
        f"/portal/cases/{case.reference}/reply/",
        {"body": "还是在漏水，照片在这里。", "attachments": [photo]},
    )
    assert response.status_code == 302
    message = Message.objects.get(case=case, body="还是在漏水，照片在这里。")
    assert message.direction == Message.Direction.INBOUND
    assert message.contact == contact
    assert message.attachments.get().filename == "leak.png"
    # The coach read it like any other customer message.
    assert message.reading is not None
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_empty_reply_is_refused_in_words(agent: User, portal_client: PortalClient) -> None:
    contact, case = customer_with_case(agent)
    response = portal_client(contact).post(f"/portal/cases/{case.reference}/reply/", {"body": " "})
    assert response.status_code == 422
    assert "Write a message or attach a file." in response.content.decode()


def test_a_new_case_opens_with_the_chosen_category(
    agent: User, portal_client: PortalClient
) -> None:
    contact = make_contact(email="new@example.com")
    client = portal_client(contact)
    assert client.get("/portal/cases/new/").status_code == 200
    response = client.post(
        "/portal/cases/new/",
        {"subject": "空调不制冷", "category": "emergency", "body": "会议室空调完全不制冷。"},
    )
    case = Case.objects.get(subject="空调不制冷")
    assert response["Location"] == f"/portal/cases/{case.reference}/"
    assert case.contact == contact
    assert case.category == Case.Category.EMERGENCY
    assert case.channel == "email"
    refused = client.post(
        "/portal/cases/new/", {"subject": "x", "category": "contract_dispute", "body": "y"}
    )
    assert refused.status_code == 422


def test_the_case_list_of_500_cases_is_one_page_in_few_queries(
    agent: User,
    portal_client: PortalClient,
    django_assert_max_num_queries: Callable[..., AbstractContextManager[object]],
) -> None:
    contact = make_contact(email="many@example.com")
    when = at("2026-11-01 09:00")
    Case.objects.bulk_create(
        Case(
            reference=f"KF-T-{n:05d}",
            subject=f"工单{n}",
            contact=contact,
            organisation=contact.organisation,
            channel="email",
            department=services.intake_department(),
            created_at=when,
            updated_at=when,
        )
        for n in range(120)
    )
    client = portal_client(contact)
    with django_assert_max_num_queries(8):
        page = client.get("/portal/").content.decode()
    assert page.count('data-testid="portal-case-row"') == 50
    assert "?page=2" in page
