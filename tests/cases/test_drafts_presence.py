"""What an agent types is kept on the server: across reloads, promise saves and a
colleague's collision; the case page shows who else has it open and who is typing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.cases import services
from kefu.cases.models import Case, Commitment, Message, ReplyDraft
from kefu.core.models import Team, User
from tests.cases.builders import at, open_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
T0 = at("2026-12-01 10:00")
DRAFT = "王先生您好，我们已联系物业，明天上午十点前给您回电。"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _page(client: Client, case: Case, query: str = "") -> str:
    url = reverse("cases:case", args=[case.pk])
    return client.get(f"{url}{query}").content.decode()


def _type(client: Client, case: Case, text: str) -> None:
    response = client.post(
        reverse("cases:draft", args=[case.pk]), {"body": text}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


def test_a_draft_saved_while_typing_is_restored_on_reload(
    client_for: ClientFor, team: Team, desk_agent: User, clock: time_machine.Traveller
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    client = client_for(desk_agent)

    _type(client, case, DRAFT)
    page = _page(client, case)

    draft = ReplyDraft.objects.get(case=case, user=desk_agent)
    assert (draft.body, draft.updated_at) == (DRAFT, T0)
    assert f">{DRAFT}</textarea>" in page


def test_drafts_are_per_agent(
    client_for: ClientFor, team: Team, desk_agent: User, desk_lead: User, clock: object
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    _type(client_for(desk_agent), case, DRAFT)

    page = _page(client_for(desk_lead), case)

    assert DRAFT not in page


def test_saving_a_promise_keeps_the_draft(
    client_for: ClientFor, team: Team, desk_agent: User, clock: object
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    client = client_for(desk_agent)
    _type(client, case, DRAFT)

    client.post(
        reverse("cases:commit", args=[case.pk]),
        {"what": "明天十点前回电", "due_at": "2026-12-02T10:00"},
    )
    page = _page(client, case)

    assert Commitment.objects.filter(case=case).exists()
    assert f">{DRAFT}</textarea>" in page


def test_sending_the_reply_clears_the_draft(
    client_for: ClientFor, team: Team, desk_agent: User, clock: object
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    client = client_for(desk_agent)
    _type(client, case, DRAFT)
    case.refresh_from_db()

    client.post(reverse("cases:reply", args=[case.pk]), {"body": DRAFT, "version": case.version})
    page = _page(client, case)

    assert not ReplyDraft.objects.filter(case=case).exists()
    assert "></textarea>" in page


def test_a_collision_keeps_the_draft_shows_what_changed_and_sends_on_the_second_try(
    client_for: ClientFor,
    team: Team,
    desk_agent: User,
    desk_lead: User,
    clock: time_machine.Traveller,
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    User.objects.filter(pk=desk_agent.pk).update(language="en")
    client = client_for(desk_agent)
    loaded_version = case.version
    loaded_at = T0.isoformat()
    clock.shift(timedelta(minutes=2))
    services.case_reply(
        actor=desk_lead,
        case=Case.objects.get(pk=case.pk),
        body="组长：已安排维修。",
        at=at("2026-12-01 10:02"),
    )
    clock.shift(timedelta(minutes=1))

    stale = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"body": DRAFT, "version": loaded_version, "loaded_at": loaded_at},
    )
    page = client.get(stale["Location"]).content.decode()

    assert stale.status_code == 302
    assert "since=" in stale["Location"]
    assert Message.objects.filter(case=case, direction="out").count() == 1
    assert ReplyDraft.objects.get(case=case, user=desk_agent).body == DRAFT
    assert "A colleague changed this case while you were writing; nothing was sent." in page
    assert 'data-testid="changes"' in page
    assert "组长：已安排维修。" in page.split('data-testid="changes"')[1].split("</section>")[0]
    assert f">{DRAFT}</textarea>" in page

    case.refresh_from_db()
    client.post(reverse("cases:reply", args=[case.pk]), {"body": DRAFT, "version": case.version})

    assert Message.objects.filter(case=case, direction="out", body=DRAFT).exists()
    assert not ReplyDraft.objects.filter(case=case, user=desk_agent).exists()


def test_the_page_shows_a_colleague_who_has_the_case_open_then_typing_then_gone(
    client_for: ClientFor,
    team: Team,
    desk_agent: User,
    desk_lead: User,
    clock: time_machine.Traveller,
) -> None:
    User.objects.filter(pk=desk_agent.pk).update(language="en")
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    mine, colleague = client_for(desk_agent), client_for(desk_lead)
    url = reverse("cases:presence", args=[case.pk])
    name = str(desk_lead)

    colleague.get(url, HTTP_HX_REQUEST="true")
    open_only = mine.get(url, HTTP_HX_REQUEST="true").content.decode()
    _type(colleague, case, "我来回复")
    typing = mine.get(url, HTTP_HX_REQUEST="true").content.decode()
    clock.shift(timedelta(seconds=31))
    gone = mine.get(url, HTTP_HX_REQUEST="true").content.decode()
    alone = colleague.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert f"{name} has this case open" in open_only
    assert f"{name} is typing a reply" in typing
    assert name not in gone
    # The colleague sees the agent, who polled a moment ago, and not as typing.
    assert str(desk_agent) in alone
    assert "is typing" not in alone


def test_the_case_page_polls_for_presence(
    client_for: ClientFor, team: Team, desk_agent: User, clock: object
) -> None:
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)

    page = _page(client_for(desk_agent), case)

    assert f'hx-get="{reverse("cases:presence", args=[case.pk])}"' in page
    assert 'hx-trigger="load, every 5s"' in page
    assert f'hx-post="{reverse("cases:draft", args=[case.pk])}"' in page


def test_a_blank_reply_is_refused_in_words_and_a_mangled_form_still_keeps_the_text(
    client_for: ClientFor, team: Team, desk_agent: User, clock: object
) -> None:
    User.objects.filter(pk=desk_agent.pk).update(language="en")
    case = open_case(when="2026-12-01 09:00", team=team, owner=desk_agent)
    client = client_for(desk_agent)
    url = reverse("cases:reply", args=[case.pk])

    blank = client.post(url, {"body": "   ", "version": case.version}, follow=True)
    mangled = client.post(url, {"body": DRAFT, "version": "x", "loaded_at": "yesterday"})
    page = _page(client, case)

    assert blank.status_code == 200
    assert "Reply to the customer: This field is required." in blank.content.decode()
    assert mangled.status_code == 302
    assert not Message.objects.filter(case=case, direction="out").exists()
    assert f">{DRAFT}</textarea>" in page
