"""The coach on the desk: readings stored on messages, routing on them, the
live coach of a reply draft and the complaint playbook."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kefu.cases import services
from kefu.cases.models import Case, CaseEvent, Message, PlaybookStep, SlaPolicy
from kefu.cases.services import coach
from kefu.core.models import Notification, Team, User
from tests.cases.builders import at, make_contact, only_policy, open_case

ANGRY = "你们到底什么时候来修？已经第三次打电话了，再不解决我就去12315投诉，还要找你们领导！"
NEUTRAL = "请问退款一般几个工作日能到账？"


@pytest.fixture
def policies(db: None) -> None:
    only_policy(first=240, cadence=None, resolution=2400)
    SlaPolicy.objects.create(
        name="urgent",
        priority=Case.Priority.URGENT,
        first_response_minutes=30,
        next_update_minutes=None,
        resolution_minutes=480,
    )


def test_an_angry_message_is_read_stored_and_routed(
    policies: None, team: Team, desk_lead: User
) -> None:
    case = open_case(when="2026-11-23 10:00", body=ANGRY, team=team)

    message = Message.objects.get(case=case, direction=Message.Direction.INBOUND)
    assert message.upset is True
    assert message.threat is True
    assert message.sentiment == "negative"
    assert message.reading is not None
    assert {"sentiment", "upset", "emotions", "escalation_risk", "threat", "cues"} <= set(
        message.reading
    )
    assert message.reading["lexicon"]
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT
    assert case.customer_upset is True
    assert case.escalation_risk >= coach.RISK_HIGH
    # The urgent policy's 30 working minutes apply from the reading, not 240.
    assert case.first_response_due_at == at("2026-11-23 10:30")
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"coach_priority", "coach_threat"} <= kinds
    alert = Notification.objects.get(recipient=desk_lead)
    assert case.reference in alert.subject


def test_a_neutral_question_leaves_the_case_alone(policies: None, team: Team) -> None:
    case = open_case(when="2026-11-23 10:00", body=NEUTRAL, team=team)

    message = Message.objects.get(case=case, direction=Message.Direction.INBOUND)
    assert message.upset is False
    assert message.threat is False
    case.refresh_from_db()
    assert case.priority == Case.Priority.NORMAL
    assert case.first_response_due_at == at("2026-11-23 14:00")
    assert not Notification.objects.exists()


def test_a_later_angry_message_raises_the_case_and_counts_earlier_contacts(
    policies: None, team: Team, desk_lead: User
) -> None:
    contact = make_contact()
    case = open_case(when="2026-11-23 10:00", body=NEUTRAL, team=team, contact=contact)
    message = services.message_receive(
        case=case,
        contact=contact,
        body="还没到账？你们到底有没有人管？我要找你们经理投诉！",
        channel="email",
        at=at("2026-11-23 11:00"),
    )

    message.refresh_from_db()
    assert message.upset is True
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT
    assert Notification.objects.filter(recipient=desk_lead).count() == 1


@pytest.fixture
def angry_case(policies: None, team: Team, desk_lead: User) -> Case:
    return open_case(when="2026-11-23 10:00", body=ANGRY, team=team)


def test_the_case_page_shows_the_reading_and_the_playbook(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(desk_agent).get(reverse("cases:case", args=[angry_case.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="reading"' in html
    assert 'data-testid="reading-threat"' in html
    assert 'data-testid="playbook"' in html
    assert 'data-step="empathize"' in html
    assert "12315" in html  # the cue behind the reading


def test_the_coach_flags_negative_phrasing_in_a_draft(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(desk_agent)
    response = client.post(
        reverse("cases:coach", args=[angry_case.pk]),
        {"body": "这个我们做不到。"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="negative_phrasing"' in html
    assert "coach-apply" in html
    # The customer is upset and the draft does not name the feeling.
    assert 'data-code="missing_empathy"' in html


def test_a_kind_committed_draft_has_empathy_and_a_time(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(desk_agent).post(
        reverse("cases:coach", args=[angry_case.pk]),
        {
            "body": "非常理解您的着急，给您添麻烦了，真的很抱歉。"
            "师傅明天上午10点前上门维修，修好后我再给您回电话确认。"
        },
    )

    html = response.content.decode()
    assert 'data-code="negative_phrasing"' not in html
    assert 'data-testid="coach-empathy"' in html
    assert "ok" in html.split('data-testid="coach-empathy"')[0].rsplit("<span", 1)[1]


def test_the_coach_never_errors_on_junk(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(desk_agent)
    for body in ["", "\x00\x01\ufffd", "😡" * 50, "x" * 200_000]:
        response = client.post(reverse("cases:coach", args=[angry_case.pk]), {"body": body})
        assert response.status_code == 200


def test_the_playbook_ticks_by_hand_and_from_replies(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(desk_agent)
    steps = {s["step"]: s for s in coach.playbook_state(angry_case)}
    assert steps["listen"]["done"] is True  # the customer has written
    assert steps["empathize"]["done"] is False
    assert steps["empathize"]["next"] is True

    response = client.post(
        reverse("cases:playbook_tick", args=[angry_case.pk, "clarify"]),
        {"done": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert PlaybookStep.objects.filter(case=angry_case, step="clarify").exists()

    services.case_reply(
        actor=desk_agent,
        case=angry_case,
        body="非常理解您的心情，这件事给您添麻烦了，真的很抱歉。",
        at=at("2026-11-23 10:10"),
    )
    steps = {s["step"]: s for s in coach.playbook_state(angry_case)}
    assert steps["empathize"]["done"] is True
    assert steps["empathize"]["seen"] is True
    assert steps["apologize"]["done"] is True


def test_an_unknown_playbook_step_is_refused_with_a_message(
    angry_case: Case, desk_agent: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(desk_agent).post(
        reverse("cases:playbook_tick", args=[angry_case.pk, "shout"]), {"done": "1"}, follow=True
    )

    assert response.status_code == 200
    assert not PlaybookStep.objects.exists()
    assert "shout" in response.content.decode()
