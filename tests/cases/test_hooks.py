"""Case hooks: the core flows hand their events to registered handlers, in order,
a failing handler never blocks intake, and hooks that answer hooks stop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu.cases import hooks, services
from kefu.cases.hooks import CaseHookEvent
from kefu.cases.models import Case
from kefu.core.models import Team, User
from tests.cases.builders import at, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen() -> Iterator[list[tuple[str, dict[str, object]]]]:
    saved = list(hooks._handlers)
    hooks._handlers.clear()
    events: list[tuple[str, dict[str, object]]] = []

    def record(event: CaseHookEvent) -> None:
        events.append((event.code, dict(event.context)))

    hooks.register("test.record", record)
    yield events
    hooks._handlers[:] = saved


def test_opening_replying_and_status_reach_the_handler_in_order(
    seen: list[tuple[str, dict[str, object]]], team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    services.case_reply(
        actor=desk_agent, case=case, body="您好，已收到。", at=at("2026-11-02 10:05")
    )
    case.refresh_from_db()
    services.case_set_status(
        actor=desk_agent, case=case, status=Case.Status.RESOLVED, at=at("2026-11-02 10:10")
    )
    case.refresh_from_db()
    services.message_receive(
        case=case,
        contact=case.contact,
        body="还是漏水，你们到底管不管？我要投诉！",
        channel="email",
        at=at("2026-11-02 11:00"),
    )

    codes = [code for code, _ in seen]
    assert codes == [
        hooks.CASE_OPENED,
        hooks.AGENT_REPLIED,
        hooks.STATUS_CHANGED,
        hooks.CUSTOMER_REPLIED,
        hooks.COACH_FLAGGED,
    ]
    assert seen[2][1] == {"before": Case.Status.OPEN, "after": Case.Status.RESOLVED}
    assert seen[3][1]["reopened"] is True
    assert seen[4][1]["upset"] is True


def test_a_failing_handler_is_rolled_back_alone_and_intake_goes_on(
    seen: list[tuple[str, dict[str, object]]], team: Team
) -> None:
    def broken(event: CaseHookEvent) -> None:
        Case.objects.filter(pk=event.case.pk).update(subject="changed by a broken rule")
        raise RuntimeError("rule failed")

    hooks.register("test.broken", broken, order=1)

    case = open_case(when="2026-11-02 10:00", team=team)

    case.refresh_from_db()
    assert case.subject != "changed by a broken rule"
    assert [code for code, _ in seen] == [hooks.CASE_OPENED]
    assert hooks.registered() == ["test.broken", "test.record"]


def test_hooks_answering_hooks_stop_at_the_depth_limit(team: Team, desk_agent: User) -> None:
    saved = list(hooks._handlers)
    hooks._handlers.clear()
    depths: list[int] = []

    def echo(event: CaseHookEvent) -> None:
        depths.append(event.depth)
        hooks.case_hook(event.case, hooks.STATUS_CHANGED, at=event.at, before="open", after="open")

    try:
        hooks.register("test.echo", echo)
        open_case(when="2026-11-02 10:00", team=team)
    finally:
        hooks._handlers[:] = saved

    assert depths == list(range(hooks.MAX_DEPTH))


def test_muted_hooks_reach_nobody(seen: list[tuple[str, dict[str, object]]], team: Team) -> None:
    with hooks.muted():
        open_case(when="2026-11-02 10:00", team=team)

    assert seen == []


def test_an_unknown_code_is_a_programming_error(team: Team) -> None:
    case = open_case(when="2026-11-02 10:00", team=team)

    with pytest.raises(ValueError, match="unknown case hook"):
        hooks.case_hook(case, "case_exploded", at=at("2026-11-02 10:00"))


def test_a_new_case_reaches_handlers_as_stored_without_a_query_until_one_changes_it(
    team: Team,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    saved = list(hooks._handlers)
    hooks._handlers.clear()
    seen: list[tuple[bool, int, str, str, str]] = []

    def reader(event: CaseHookEvent) -> None:
        if event.code != hooks.CASE_OPENED:
            return
        current = event.case_current
        with CaptureQueriesContext(connection) as ctx:
            case = hooks.case_of(event, "contact", "team")
            label = f"{case.contact.name}/{case.team.name if case.team else ''}"
        seen.append((current, len(ctx.captured_queries), case.reference, case.subject, label))

    def changer(event: CaseHookEvent) -> None:
        if event.code != hooks.CASE_OPENED:
            return
        case = hooks.case_of(event)
        assert case is not event.case  # a copy: the caller's case is left alone
        Case.objects.filter(pk=case.pk).update(subject="set by a rule")
        event.case_current = False

    def broken(event: CaseHookEvent) -> None:
        if event.code == hooks.CASE_OPENED:
            raise RuntimeError("rule failed")

    try:
        hooks.register("test.first", reader, order=1)
        hooks.register("test.changer", changer, order=2)
        hooks.register("test.after", reader, order=3)
        open_case(when="2026-11-02 10:00", team=team)
        hooks._handlers.clear()
        hooks.register("test.broken", broken, order=1)
        hooks.register("test.after", reader, order=2)
        open_case(when="2026-11-02 11:00", team=team)
    finally:
        hooks._handlers[:] = saved

    first, after_change, after_failure = seen
    # As the case opened: what was stored, contact and team included, with no query.
    assert first[0] is True
    assert first[1] == 0
    assert first[2].startswith("KF-2026-")
    assert first[4].endswith(f"/{team.name}")
    # After a handler changed it, or failed, the next one reads it again.
    assert after_change[0] is False
    assert after_change[1] >= 1
    assert after_change[3] == "set by a rule"
    assert after_failure[0] is False
    assert after_failure[1] >= 1
