"""Waits that call for someone (a hand nobody answered, a long special break), through the
clock loop; the exposure signal per shift, seen by the agent first and never by QA or
discipline."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kefu.core import clock
from kefu.core.models import Notification, ScheduledJob, User
from kefu.core.notifications import notification_render
from kefu.core.roles import Role
from kefu.floor import exposure as exposure_core
from kefu.floor import services
from kefu.floor.exposure import ContactReading, Level, Suggestion, exposure_of
from tests.cases.builders import open_case
from tests.core.factories import make_department, make_staff
from tests.floor.builders import Floor, at

SRC = Path(__file__).resolve().parents[2] / "src" / "kefu"
ANGRY = "你们到底什么时候来修？已经第三次打电话了，再不解决我就去12315投诉，还要找你们领导！"


def _client(user: User) -> Client:
    """Signed in, reading English (the assertions quote the English texts)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def above(floor: Floor) -> tuple[User, User, User]:
    """The team's department manager (the lead's lead), an analyst, another department's
    manager."""
    manager = make_staff(
        role=Role.DEPARTMENT_MANAGER, team=floor.team, department=floor.team.department
    )
    analyst = make_staff(role=Role.REALTIME_ANALYST, department=floor.team.department)
    elsewhere = make_staff(
        role=Role.DEPARTMENT_MANAGER, department=make_department(name="工程部", code="engineering")
    )
    return manager, analyst, elsewhere


def test_a_hand_unanswered_for_three_minutes_alerts_the_leads_lead_and_the_analyst(
    floor: Floor, above: tuple[User, User, User]
) -> None:
    manager, analyst, elsewhere = above
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"), note="客户要求赔偿")
    job = ScheduledJob.objects.get(key=f"floor.hand_waiting:{hand.pk}")
    assert job.due_at == at("10:03")

    assert clock.tick(now=at("10:02")).ran == 0
    assert not Notification.objects.filter(code="floor.hand_waiting").exists()
    assert clock.tick(now=at("10:03")).ran == 1
    told = set(
        Notification.objects.filter(code="floor.hand_waiting").values_list("recipient", flat=True)
    )
    assert told == {manager.pk, analyst.pk}
    alert = Notification.objects.get(code="floor.hand_waiting", recipient=manager)
    with time_machine.travel(at("10:05"), tick=False):
        rendered = notification_render(alert.code, alert.params)
    assert rendered is not None
    subject, body = rendered
    assert str(floor.agents[0]) in subject
    assert "3" in subject
    assert "10:00" in body
    assert "客户要求赔偿" in body
    # Run again (a retry of the same row): no second alert.
    services.waits.hand_wait_check(hand_id=hand.pk, at=at("10:04"))
    assert Notification.objects.filter(code="floor.hand_waiting").count() == 2
    assert elsewhere.pk not in told


def test_an_answered_hand_alerts_nobody(floor: Floor, above: tuple[User, User, User]) -> None:
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    services.hand_acknowledge(actor=floor.lead, hand=hand, at=at("10:01"))
    clock.tick(now=at("10:03"))
    assert not Notification.objects.filter(code="floor.hand_waiting").exists()


def test_the_wait_is_a_setting(
    floor: Floor, above: tuple[User, User, User], settings: object
) -> None:
    settings.KEFU_HAND_ALERT_MINUTES = 5  # type: ignore[attr-defined]
    hand = services.hand_raise(actor=floor.agents[0], at=at("10:00"))
    assert ScheduledJob.objects.get(key=f"floor.hand_waiting:{hand.pk}").due_at == at("10:05")


def test_a_long_special_break_asks_the_lead_kindly_to_look_in(floor: Floor) -> None:
    agent = floor.agents[0]
    services.break_start(actor=agent, kind="special", at=at("14:00"), reason="")
    clock.tick(now=at("14:19"))
    assert not Notification.objects.filter(code="floor.special_break_long").exists()
    clock.tick(now=at("14:20"))
    note = Notification.objects.get(code="floor.special_break_long")
    assert note.recipient == floor.lead
    with time_machine.travel(at("14:25"), tick=False):
        rendered = notification_render(note.code, note.params)
    assert rendered is not None
    subject, body = rendered
    assert "关心" in subject  # the kindly worded check-in, in the lead's Chinese
    assert "14:00" in body


def test_a_special_break_ended_in_time_asks_nothing(floor: Floor) -> None:
    agent = floor.agents[0]
    services.break_start(actor=agent, kind="special", at=at("14:00"), reason="")
    services.break_end(actor=agent, at=at("14:10"))
    clock.tick(now=at("14:20"))
    assert not Notification.objects.filter(code="floor.special_break_long").exists()


# -- exposure ------------------------------------------------------------------------------


def _reading(**kw: object) -> ContactReading:
    base: dict[str, object] = {
        "upset": False,
        "threat": False,
        "abuse": False,
        "escalation_risk": 0.1,
    }
    return ContactReading(**{**base, **kw})  # type: ignore[arg-type]


def test_exposure_levels_and_suggestions() -> None:
    calm = exposure_of([_reading() for _ in range(20)])
    assert calm.level is Level.LOW
    assert calm.suggestions == ()
    hard = [_reading(upset=True, threat=True, escalation_risk=0.9) for _ in range(2)]
    high = exposure_of(hard)
    assert high.level is Level.HIGH
    assert high.points == 10
    assert high.suggestions == (Suggestion.BREAK,)
    complaints = [_reading(upset=True, threat=True, complaint=True) for _ in range(2)]
    assert Suggestion.ROTATE_OFF_COMPLAINTS in exposure_of(complaints).suggestions
    again = exposure_of(hard, previous_level=Level.RAISED)
    assert again.suggestions == (Suggestion.BREAK, Suggestion.ROTATE_OFF_COMPLAINTS)
    abuse = exposure_of([_reading(abuse=True), _reading(upset=True)])
    assert abuse.level is Level.RAISED
    assert abuse.abuse == 1


def test_the_agent_sees_their_exposure_first_and_the_lead_later_sees_only_a_suggestion(
    floor: Floor,
) -> None:
    agent = floor.agents[0]
    for minute in ("09:00", "09:20", "09:40"):
        open_case(when=f"2026-11-24 {minute}", body=ANGRY, owner=agent, team=floor.team)
    with time_machine.travel(at("09:45"), tick=False):
        own = _client(agent).get(reverse("floor:person", args=[agent.pk])).content.decode()
    # The shift turned heavy with the second contact (09:20): the lead's view waits
    # fifteen minutes more, so the agent has it first.
    with time_machine.travel(at("09:30"), tick=False):
        lead_early = _client(floor.lead).get(reverse("floor:person", args=[agent.pk]))
    section = own.split('data-testid="exposure"')[1].split("</section>")[0]
    assert 'data-level="high"' in section
    assert "3 contacts: 3 upset, 3 threats" in section
    assert 'data-suggestion="break"' in section
    early = lead_early.content.decode().split('data-testid="exposure"')[1].split("</section>")[0]
    assert 'data-level="high"' not in early
    with time_machine.travel(at("09:36"), tick=False):
        lead = _client(floor.lead).get(reverse("floor:person", args=[agent.pk])).content.decode()
    later = lead.split('data-testid="exposure"')[1].split("</section>")[0]
    assert 'data-suggestion="break"' in later
    assert "Offer a break." in later
    # The lead gets the suggestion, not the agent's readings.
    assert "3 upset" not in later


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {
        f"{n.module}.{a.name}"
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        for a in n.names
    }
    return names


def test_qa_and_discipline_never_read_the_exposure_signal() -> None:
    paths = [*sorted((SRC / "quality").rglob("*.py")), SRC / "floor" / "services" / "people.py"]
    assert len(paths) > 5
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "exposure" not in text, path
        assert not any("exposure" in name for name in _imports(path)), path
    assert exposure_core.__name__ == "kefu.floor.exposure"
