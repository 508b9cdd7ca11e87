"""Polling IMAP against a fake server: unseen by UID, fetched and marked seen in batches,
failures quarantined, nothing acknowledged before its commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from kefu.cases.models import Case, Message
from kefu.channels import imap as imap_module
from kefu.channels.email_in import email_ingest
from kefu.channels.imap import ImapClient, ImapConfig, ImapError, imap_poll
from kefu.channels.models import ImapCursor, QuarantinedMessage
from tests.channels.builders import raw_email

pytestmark = pytest.mark.django_db

CONFIG = ImapConfig(
    host="imap.example.cn",
    port=993,
    user="service",
    password="secret",
    use_ssl=True,
    mailbox="INBOX",
)


class FakeImap:
    """Answers like imaplib.IMAP4 for the commands the poller sends."""

    def __init__(self, messages: dict[int, bytes], *, uid_validity: int = 7) -> None:
        self.messages = messages
        self.uid_validity = uid_validity
        self.seen: set[int] = set()
        self.fail_fetch: set[int] = set()
        self.fetched: list[int] = []
        self.commands: list[str] = []  # one entry a round trip
        self.stores: list[list[int]] = []
        self.fail_store = False
        self.logged_in = False
        self.logged_out = False

    def login(self, user: str, password: str) -> tuple[str, Any]:
        self.commands.append("LOGIN")
        self.logged_in = (user, password) == ("service", "secret")
        return ("OK", [b"LOGIN completed"]) if self.logged_in else ("NO", [b"bad login"])

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, Any]:
        self.commands.append("SELECT")
        return "OK", [str(len(self.messages)).encode()]

    def response(self, code: str) -> tuple[str, Any]:
        return code, [str(self.uid_validity).encode()]

    def uid(self, command: str, *args: str) -> tuple[str, Any]:
        self.commands.append(command)
        if command == "SEARCH":
            unseen = [str(uid) for uid in sorted(self.messages) if uid not in self.seen]
            return "OK", [" ".join(unseen).encode()]
        uids = [int(uid) for uid in args[0].split(",")]
        if command == "FETCH":
            if self.fail_fetch & set(uids):
                return "NO", [b"FETCH failed"]
            data: list[Any] = []
            for n, uid in enumerate(uids, start=1):
                self.fetched.append(uid)
                raw = self.messages[uid]
                data += [(f"{n} (UID {uid} BODY[] {{{len(raw)}}}".encode(), raw), b")"]
            return "OK", data
        if command == "STORE":
            if self.fail_store:
                raise OSError("connection reset")
            self.stores.append(uids)
            self.seen.update(uids)
            return "OK", [b""]
        return "BAD", [b"unknown command"]

    def logout(self) -> tuple[str, Any]:
        self.logged_out = True
        return "BYE", [b""]


def _connect(fake: FakeImap) -> Any:
    def connect(config: ImapConfig) -> ImapClient:
        return fake

    return connect


def test_unseen_messages_are_ingested_marked_seen_and_remembered() -> None:
    fake = FakeImap({3: raw_email(message_id="<i3@x.cn>"), 5: raw_email(message_id="<i5@x.cn>")})

    result = imap_poll(config=CONFIG, connect=_connect(fake))

    assert (result.fetched, result.stored, result.quarantined) == (2, 2, 0)
    assert fake.seen == {3, 5}
    assert fake.logged_out
    assert Message.objects.filter(external_id__in=["<i3@x.cn>", "<i5@x.cn>"]).count() == 2
    cursor = ImapCursor.objects.get()
    assert (cursor.last_uid, cursor.uid_validity) == (5, 7)
    assert cursor.polled_at is not None


def test_a_broken_message_goes_to_quarantine_and_polling_continues() -> None:
    fake = FakeImap(
        {1: b"\x00 garbage", 2: raw_email(message_id="<ok@x.cn>"), 3: b""},
    )

    result = imap_poll(config=CONFIG, connect=_connect(fake))

    assert (result.fetched, result.stored, result.quarantined) == (3, 1, 2)
    assert fake.seen == {1, 2, 3}
    held = QuarantinedMessage.objects.order_by("pk")
    assert [bytes(item.raw) for item in held] == [b"\x00 garbage", b""]
    assert held[0].source == "imap INBOX uid 1"
    assert Case.objects.count() == 1


def test_next_pass_fetches_only_new_mail() -> None:
    fake = FakeImap({1: raw_email(message_id="<n1@x.cn>")})
    imap_poll(config=CONFIG, connect=_connect(fake))
    fake.messages[2] = raw_email(message_id="<n2@x.cn>")
    fake.seen.discard(1)  # someone marked it unread again in their mail client

    result = imap_poll(config=CONFIG, connect=_connect(fake))

    assert fake.fetched == [1, 2]
    assert (result.fetched, result.stored) == (1, 1)
    assert fake.seen == {1, 2}


def test_a_new_uid_validity_starts_over_without_storing_repeats() -> None:
    fake = FakeImap({1: raw_email(message_id="<v1@x.cn>")})
    imap_poll(config=CONFIG, connect=_connect(fake))
    fake.uid_validity = 8
    fake.seen.clear()

    result = imap_poll(config=CONFIG, connect=_connect(fake))

    assert (result.fetched, result.duplicates, result.stored) == (1, 1, 0)
    assert Message.objects.count() == 1
    assert ImapCursor.objects.get().uid_validity == 8


def test_a_failed_fetch_stops_the_pass_without_skipping_the_message() -> None:
    fake = FakeImap({1: raw_email(message_id="<f1@x.cn>"), 2: raw_email(message_id="<f2@x.cn>")})
    fake.fail_fetch.add(2)

    with pytest.raises(ImapError):
        imap_poll(config=CONFIG, connect=_connect(fake))

    assert ImapCursor.objects.get().last_uid == 1
    assert fake.logged_out
    fake.fail_fetch.clear()
    result = imap_poll(config=CONFIG, connect=_connect(fake))
    assert (result.fetched, result.stored) == (1, 1)


def test_refused_login_is_an_error() -> None:
    fake = FakeImap({})
    wrong = ImapConfig(**{**CONFIG.__dict__, "password": "wrong"})

    with pytest.raises(ImapError, match="LOGIN"):
        imap_poll(config=wrong, connect=_connect(fake))


def test_poll_imap_command_needs_a_host(settings: Settings) -> None:
    settings.KEFU_IMAP_HOST = ""

    with pytest.raises(CommandError, match="KEFU_IMAP_HOST"):
        call_command("poll_imap", "--once")


def test_poll_imap_command_reports_an_unreachable_server(settings: Settings) -> None:
    settings.KEFU_IMAP_HOST = "127.0.0.1"
    settings.KEFU_IMAP_PORT = 9  # discard port: nothing listens
    settings.KEFU_IMAP_SSL = False

    with pytest.raises(CommandError):
        call_command("poll_imap", "--once")


def test_many_messages_take_one_fetch_and_one_store_per_batch() -> None:
    fake = FakeImap({uid: raw_email(message_id=f"<b{uid}@x.cn>") for uid in range(1, 61)})

    result = imap_poll(config=CONFIG, connect=_connect(fake), batch_size=25)

    assert (result.fetched, result.stored) == (60, 60)
    assert fake.commands == ["LOGIN", "SELECT", "SEARCH"] + ["FETCH", "STORE"] * 3
    assert [len(batch) for batch in fake.stores] == [25, 25, 10]
    assert fake.seen == set(range(1, 61))
    assert ImapCursor.objects.get().last_uid == 60
    assert Message.objects.count() == 60


def test_a_crash_mid_batch_acknowledges_only_what_was_committed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeImap({uid: raw_email(message_id=f"<c{uid}@x.cn>") for uid in range(1, 6)})
    real_ingest = email_ingest

    def crash_on_third(*, raw: bytes, **kwargs: Any) -> Any:
        if b"<c3@x.cn>" in raw:
            raise RuntimeError("worker killed")
        return real_ingest(raw=raw, **kwargs)

    monkeypatch.setattr(imap_module, "email_ingest", crash_on_third)
    with pytest.raises(RuntimeError, match="worker killed"):
        imap_poll(config=CONFIG, connect=_connect(fake), batch_size=5)

    assert fake.commands.count("FETCH") == 1
    assert fake.stores == [[1, 2]]  # committed before the crash; 3, 4, 5 stay unseen
    assert fake.seen == {1, 2}
    assert ImapCursor.objects.get().last_uid == 2
    stored = Message.objects.order_by("external_id").values_list("external_id", flat=True)
    assert list(stored) == ["<c1@x.cn>", "<c2@x.cn>"]

    monkeypatch.setattr(imap_module, "email_ingest", real_ingest)
    result = imap_poll(config=CONFIG, connect=_connect(fake), batch_size=5)

    assert (result.fetched, result.stored, result.duplicates) == (3, 3, 0)
    assert fake.seen == set(range(1, 6))
    assert Message.objects.count() == 5


def test_a_connection_lost_before_the_store_acknowledges_nothing_and_loses_nothing() -> None:
    fake = FakeImap({uid: raw_email(message_id=f"<s{uid}@x.cn>") for uid in range(1, 4)})
    fake.fail_store = True

    with pytest.raises(OSError, match="connection reset"):
        imap_poll(config=CONFIG, connect=_connect(fake), batch_size=10)

    assert fake.seen == set()  # nothing acknowledged ...
    assert Message.objects.count() == 3  # ... but all three committed
    assert ImapCursor.objects.get().last_uid == 3

    fake.fail_store = False
    fake.fetched.clear()
    result = imap_poll(config=CONFIG, connect=_connect(fake), batch_size=10)

    assert fake.fetched == []  # committed already: acknowledged without fetching again
    assert fake.stores == [[1, 2, 3]]
    assert (result.fetched, result.stored) == (0, 0)
    assert Message.objects.count() == 3


def test_a_message_missing_from_the_batch_stops_the_pass_before_it() -> None:
    fake = FakeImap({uid: raw_email(message_id=f"<m{uid}@x.cn>") for uid in range(1, 5)})
    fake.fail_fetch.add(3)

    with pytest.raises(ImapError, match="FETCH 3"):
        imap_poll(config=CONFIG, connect=_connect(fake), batch_size=10)

    # The batch was refused, so it was read one by one up to the message the server
    # could not give; nothing after it was taken (its UID would skip 3 for good).
    assert fake.fetched == [1, 2]
    assert fake.seen == {1, 2}
    assert ImapCursor.objects.get().last_uid == 2


def test_poll_imap_command_takes_a_batch_size(settings: Settings) -> None:
    settings.KEFU_IMAP_HOST = "127.0.0.1"
    settings.KEFU_IMAP_PORT = 9
    settings.KEFU_IMAP_SSL = False

    with pytest.raises(CommandError):
        call_command("poll_imap", "--once", "--batch-size", "5")
