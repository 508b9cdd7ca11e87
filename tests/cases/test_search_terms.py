"""Search terms survive concurrent writers: every note and message stays findable.

The terms are read again under a row lock by each writer
(``case_search_terms_add``). The concurrency tests use real threads, each with
its own database connection, so they run in the PostgreSQL pass (on SQLite
the test database is one in-memory connection); the stale-copy tests run on
both engines.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from kefu.cases import services
from kefu.cases.models import Case
from kefu.cases.selectors import CaseFilter, case_list_for
from kefu.core.models import Team, User
from tests.cases.builders import at, open_case


def _found(actor: User, word: str) -> list[int]:
    return list(case_list_for(actor, CaseFilter(scope="all", q=word)).values_list("pk", flat=True))


@pytest.mark.django_db
def test_reply_with_a_copy_read_before_a_note_keeps_the_note_searchable(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    stale = Case.objects.get(pk=case.pk)

    services.case_note(
        actor=desk_lead, case=case, body="转交 walnut 处理", at=at("2026-11-02 10:01")
    )
    services.case_reply(
        actor=desk_agent,
        case=stale,
        body="您好，已安排 plumber 上门。",
        at=at("2026-11-02 10:02"),
        version=stale.version,
    )

    assert _found(desk_agent, "walnut") == [case.pk]
    assert _found(desk_agent, "plumber") == [case.pk]


@pytest.mark.django_db
def test_customer_message_on_a_stale_copy_keeps_an_earlier_note_searchable(
    team: Team, desk_agent: User
) -> None:
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    stale = Case.objects.get(pk=case.pk)

    services.case_note(actor=desk_agent, case=case, body="备注 quince", at=at("2026-11-02 10:01"))
    services.message_receive(
        case=stale,
        contact=stale.contact,
        body="还没有人来 apricot",
        channel="email",
        at=at("2026-11-02 10:02"),
    )

    assert _found(desk_agent, "quince") == [case.pk]
    assert _found(desk_agent, "apricot") == [case.pk]


def _require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true":
        pytest.fail("the concurrency tests need PostgreSQL (KEFU_DATABASE_URL) in CI")
    pytest.skip("concurrent writers need PostgreSQL: run in the PostgreSQL pass")


def _at_once(writers: list[Callable[[], None]]) -> list[BaseException]:
    """Run ``writers`` in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def run(writer: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=10)
            writer()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(writer,)) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


ROUNDS = 30
WHEN = at("2026-11-02 11:00")


def _note(actor: User, copy: Case, word: str) -> Callable[[], None]:
    def write() -> None:
        services.case_note(actor=actor, case=copy, body=f"备注 {word}", at=WHEN)

    return write


def _mail(copy: Case, word: str) -> Callable[[], None]:
    def write() -> None:
        services.message_receive(
            case=copy, contact=copy.contact, body=f"客户 {word}", channel="email", at=WHEN
        )

    return write


def _lost(actor: User, case: Case, words: list[str]) -> list[str]:
    return [word for word in words if _found(actor, word) != [case.pk]]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_notes_saved_at_once_are_both_searchable(
    team: Team, desk_agent: User, desk_lead: User
) -> None:
    _require_postgresql()
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    words: list[str] = []
    for n in range(ROUNDS):
        copy_a, copy_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
        first, second = f"alpha{n}x", f"bravo{n}x"
        words += [first, second]

        errors = _at_once([_note(desk_agent, copy_a, first), _note(desk_lead, copy_b, second)])

        assert errors == []
    assert _lost(desk_agent, case, words) == []
    assert case.messages.filter(direction="note").count() == 2 * ROUNDS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_note_and_a_customer_message_saved_at_once_are_both_searchable(
    team: Team, desk_agent: User
) -> None:
    _require_postgresql()
    case = open_case(when="2026-11-02 10:00", team=team, owner=desk_agent)
    words: list[str] = []
    for n in range(ROUNDS):
        copy_a, copy_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
        note_word, mail_word = f"note{n}x", f"mail{n}x"
        words += [note_word, mail_word]

        errors = _at_once([_note(desk_agent, copy_a, note_word), _mail(copy_b, mail_word)])

        assert errors == []
    assert _lost(desk_agent, case, words) == []
