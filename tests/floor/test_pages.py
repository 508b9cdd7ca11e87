"""The floor and people pages through the Django test client."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.floor.models import AgentState, Candidate, CoachingConversation, Leave, RaisedHand
from tests.core.factories import make_staff
from tests.floor.builders import Floor

ClientFor = Callable[[User], Client]


def test_agent_raises_a_hand_and_the_lead_sees_it_in_the_live_partial(
    floor: Floor, client_for: ClientFor
) -> None:
    agent = client_for(floor.agents[0])
    response = agent.post("/floor/hands/raise/", {"note": "客户要投诉领导"})
    assert response.status_code == 302
    again = agent.post("/floor/hands/raise/", {}, follow=True)
    assert "您已经举手了" in again.content.decode()
    assert RaisedHand.objects.count() == 1

    live = client_for(floor.lead).get("/floor/hands/live/", headers={"HX-Request": "true"})
    assert live.status_code == 200
    assert str(floor.agents[0]) in live.content.decode()
    assert 'hx-trigger="every 1s"' in live.content.decode()


def test_special_break_from_the_page_needs_no_approval(floor: Floor, client_for: ClientFor) -> None:
    agent = client_for(floor.agents[0])
    agent.post("/floor/break/", {"kind": "special", "reason": "透口气"})
    assert AgentState.objects.get().state == "special_break"
    second = agent.post("/floor/break/", {"kind": "special"}, follow=True)
    assert AgentState.objects.count() == 1
    assert second.status_code == 200
    page = client_for(floor.lead).get("/floor/").content.decode()
    assert "透口气" in page


def test_sick_leave_form_has_no_certificate_and_bad_dates_are_explained(
    floor: Floor, client_for: ClientFor
) -> None:
    agent = client_for(floor.agents[0])
    page = agent.get("/floor/leave/").content.decode()
    assert 'type="file"' not in page
    assert 'name="certificate"' not in page
    bad = agent.post(
        "/floor/leave/", {"kind": "sick", "start_date": "2026-11-25", "end_date": "2026-11-24"}
    )
    assert bad.status_code == 422
    assert not Leave.objects.exists()
    ok = agent.post(
        "/floor/leave/", {"kind": "sick", "start_date": "2026-11-24", "end_date": "2026-11-24"}
    )
    assert ok.status_code == 200
    assert Leave.objects.get().status == "approved"


def test_pages_open_for_the_roles_that_use_them(floor: Floor, client_for: ClientFor) -> None:
    lead = client_for(floor.lead)
    for url in (
        "/floor/",
        "/floor/leave/",
        "/floor/intraday/",
        "/floor/adherence/",
        "/floor/meals/",
    ):
        assert lead.get(url).status_code == 200, url
    manager = client_for(make_staff(role=Role.DEPARTMENT_MANAGER))
    for url in ("/floor/people/", "/floor/recruitment/", f"/floor/people/{floor.agents[0].pk}/"):
        assert manager.get(url).status_code == 200, url
    agent = client_for(floor.agents[0])
    assert agent.get("/floor/").status_code == 200
    assert agent.get("/floor/intraday/").status_code == 403
    assert agent.get("/floor/recruitment/").status_code == 403
    assert agent.get("/floor/people/").status_code == 302  # to their own history
    assert agent.get(f"/floor/people/{floor.agents[1].pk}/").status_code == 403


def test_coaching_then_discipline_from_the_person_page(floor: Floor, client_for: ClientFor) -> None:
    lead = client_for(floor.lead)
    url = f"/floor/people/{floor.agents[0].pk}/"
    assert "talk-first" in lead.get(url).content.decode()
    lead.post(f"{url}discipline/", {"text": "迟到"})
    assert not CoachingConversation.objects.filter(agent=floor.agents[0]).exists()
    lead.post(f"{url}coaching/", {"topic": "排班", "notes": "家远", "agreed_actions": "调到晚班"})
    conversation = CoachingConversation.objects.get(agent=floor.agents[0])
    lead.post(f"{url}discipline/", {"coaching": conversation.pk, "text": "仍迟到"})
    assert conversation.disciplinary_notes.count() == 1


def test_candidate_page_masks_and_reveal_is_logged(floor: Floor, client_for: ClientFor) -> None:
    lead = client_for(floor.lead)
    response = lead.post(
        "/floor/recruitment/",
        {"name": "张敏", "national_id": "110101199003071234", "languages": "普通话"},
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    page = lead.get(f"/floor/recruitment/{candidate.pk}/").content.decode()
    assert "110***********1234" in page
    assert "110101199003071234" not in page
    revealed = lead.post(
        f"/floor/recruitment/{candidate.pk}/reveal/", headers={"HX-Request": "true"}
    )
    assert revealed.content.decode().strip() == "110101199003071234"
    assert AuditEntry.objects.filter(action="candidate.pii_revealed", actor=floor.lead).count() == 1
