"""The floor's demo data loads quickly, twice without duplicating, with no workforce data."""

from __future__ import annotations

from kefu.floor.demo import demo_load
from kefu.floor.models import AgentState, Candidate, CoachingConversation, Leave, RaisedHand
from tests.floor.builders import at, make_floor


def test_demo_load_is_idempotent_and_needs_no_workforce(db: None) -> None:
    make_floor(agents=3)
    demo_load(at=at("10:00"))
    demo_load(at=at("10:00"))
    assert Candidate.objects.count() == 3
    assert RaisedHand.objects.count() == 1
    assert Leave.objects.get().kind == "sick"
    assert CoachingConversation.objects.count() == 1
    assert AgentState.objects.filter(ended_at__isnull=True).count() == 3
    assert all(c.national_id_masked.startswith("110") for c in Candidate.objects.all())
