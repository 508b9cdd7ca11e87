"""Quiet hours: what the clock sends at night waits for the morning; what is urgent, or
sent by a person, goes at once."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import Settings

from kefu.cases import services as case_services
from kefu.cases.models import Message
from kefu.cases.services.outbox import message_held_until
from kefu.cases.templatetags.desk import delivery_label
from kefu.core import clock
from kefu.core.models import User
from kefu.customers.models import Contact
from kefu.customers.quiet_hours import QuietHours, Urgency, quiet_window_end, release_at
from kefu.incidents import services as incident_services
from kefu.incidents.models import Delivery, Incident, Notice
from kefu.quality.services.surveys import survey_send
from tests.cases.builders import at
from tests.cases.builders import make_contact as make_case_contact
from tests.incidents.builders import make_contact, make_customer, make_incident

Commits = Callable[..., AbstractContextManager[Any]]
ClientFor = Callable[[User], Client]
SH = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours(start=time(22), end=time(8), zone=SH)
EVENING = at("2026-11-23 22:30")
LATE = at("2026-11-23 23:00")
MORNING = at("2026-11-24 08:00")


# -- the pure rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "ends"),
    [
        (at("2026-11-23 23:00"), at("2026-11-24 08:00")),
        (at("2026-11-23 22:00"), at("2026-11-24 08:00")),
        (at("2026-11-24 07:59"), at("2026-11-24 08:00")),
        (at("2026-11-24 00:00"), at("2026-11-24 08:00")),
        (at("2026-11-24 08:00"), None),
        (at("2026-11-24 12:00"), None),
        (at("2026-11-23 21:59"), None),
    ],
)
def test_a_window_across_midnight_ends_the_next_morning(
    now: datetime, ends: datetime | None
) -> None:
    assert quiet_window_end(now, NIGHT) == ends


def test_a_window_within_the_day_and_an_empty_one() -> None:
    lunch = QuietHours(start=time(12), end=time(13, 30), zone=SH)

    assert quiet_window_end(at("2026-11-24 12:10"), lunch) == at("2026-11-24 13:30")
    assert quiet_window_end(at("2026-11-24 13:30"), lunch) is None
    assert quiet_window_end(at("2026-11-24 23:00"), QuietHours(time(8), time(8), SH)) is None


def test_the_window_is_read_in_the_contacts_zone() -> None:
    london = QuietHours(start=time(22), end=time(8), zone=ZoneInfo("Europe/London"))

    # 15:00 in Beijing is 07:00 in London (winter): quiet there until 08:00 London time.
    ends = quiet_window_end(at("2026-11-24 15:00"), london)

    assert ends == datetime(2026, 11, 24, 8, tzinfo=ZoneInfo("Europe/London"))
    assert quiet_window_end(at("2026-11-24 23:00"), london) is None


def test_only_routine_messages_are_held() -> None:
    assert release_at(LATE, Urgency.ROUTINE, NIGHT) == MORNING
    assert release_at(LATE, Urgency.URGENT, NIGHT) is None
    assert release_at(LATE, Urgency.BY_HAND, NIGHT) is None
    assert release_at(LATE, Urgency.ROUTINE, None) is None


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        quiet_window_end(datetime(2026, 11, 23, 23), NIGHT)  # noqa: DTZ001


# -- incidents -----------------------------------------------------------------------------


@pytest.fixture
def _instant_sending(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KEFU_SMS_GATEWAY_URL = ""
    settings.KEFU_CHAT_OUTBOUND_URL = ""
    settings.KEFU_EMAIL_DOMAIN = "kefu.test"
    settings.SITE_URL = "https://kefu.test"


def _clock_loop_once(now: datetime) -> None:
    """One pass of the clock loop (``kefu clocks``) at ``now``, recurring jobs included."""
    call_command("clocks", "--once", "--now", now.isoformat())


def _quiet(contact: Contact) -> Contact:
    Contact.objects.filter(pk=contact.pk).update(
        quiet_hours_start=time(22), quiet_hours_end=time(8)
    )
    contact.refresh_from_db()
    return contact


def _confirmed_at_night(lead: User, commits: Commits) -> tuple[Incident, Contact]:
    org = make_customer()
    contact = _quiet(make_contact(org, email="night@example.com", channels=["email"]))
    incident = make_incident(lead, at_=EVENING - timedelta(hours=1))
    incident_services.incident_pick_affected(
        actor=lead, incident=incident, contacts=[contact.pk], at=EVENING
    )
    with time_machine.travel(EVENING, tick=False), commits(execute=True):
        incident_services.incident_confirm(actor=lead, incident=incident, at=EVENING)
    incident.refresh_from_db()
    return incident, contact


@pytest.mark.django_db
@pytest.mark.usefixtures("_instant_sending")
def test_a_first_notice_goes_at_once_in_the_quiet_hours(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    _incident, _contact = _confirmed_at_night(lead, django_capture_on_commit_callbacks)

    first = Delivery.objects.get(notice__kind=Notice.Kind.FIRST)
    assert first.status == Delivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["night@example.com"]]


@pytest.mark.django_db
@pytest.mark.usefixtures("_instant_sending")
def test_a_rhythm_update_at_23_is_held_until_8_and_sent_by_the_clock_loop_then(
    lead: User, client_for: ClientFor, django_capture_on_commit_callbacks: Commits
) -> None:
    incident, _contact = _confirmed_at_night(lead, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    # The clock sends the update nobody sent (actor None), at 23:00.
    with time_machine.travel(LATE, tick=False), django_capture_on_commit_callbacks(execute=True):
        update = incident_services.update_send(actor=None, incident=incident, at=LATE)
        _clock_loop_once(LATE + timedelta(minutes=5))
    held = Delivery.objects.get(notice=update)
    assert (held.status, held.next_attempt_at, held.attempts) == ("queued", MORNING, 0)
    assert not [m for m in mail.outbox if m.to == ["night@example.com"]]

    User.objects.filter(pk=lead.pk).update(language="en")
    with time_machine.travel(LATE + timedelta(minutes=10), tick=False):
        page = (
            client_for(lead)
            .get(reverse("incidents:grid", args=[incident.pk]), {"notice": update.pk})
            .content.decode()
        )
    assert "held until 08:00" in page
    assert "Update" in page

    with (
        time_machine.travel(MORNING - timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _clock_loop_once(MORNING - timedelta(minutes=1))
    assert Delivery.objects.get(notice=update).status == "queued"

    with (
        time_machine.travel(MORNING + timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _clock_loop_once(MORNING + timedelta(seconds=30))
    sent = Delivery.objects.get(notice=update)
    assert sent.status == Delivery.Status.SENT
    # (The owner also hears from the rhythm clock overnight; the customer only now.)
    assert [m.to for m in mail.outbox if m.to == ["night@example.com"]] == [["night@example.com"]]
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        page = (
            client_for(lead)
            .get(reverse("incidents:grid", args=[incident.pk]), {"notice": update.pk})
            .content.decode()
        )
    assert "held until" not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("_instant_sending")
def test_an_update_a_person_sends_at_23_goes_at_once(
    lead: User, django_capture_on_commit_callbacks: Commits
) -> None:
    incident, _contact = _confirmed_at_night(lead, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with time_machine.travel(LATE, tick=False), django_capture_on_commit_callbacks(execute=True):
        update = incident_services.update_send(
            actor=lead, incident=incident, at=LATE, body_zh="甲方已签字", body_en="Signed."
        )

    assert Delivery.objects.get(notice=update).status == Delivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["night@example.com"]]


# -- cases ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("_instant_sending")
def test_a_hand_reply_at_23_goes_at_once(
    desk_agent: User, django_capture_on_commit_callbacks: Commits
) -> None:
    contact = _quiet(make_case_contact(email="night@example.com", channels=["email"]))
    case = case_services.case_open(
        actor=None, contact=contact, subject="热水器", body="不出热水", channel="email", at=LATE
    )

    with time_machine.travel(LATE, tick=False), django_capture_on_commit_callbacks(execute=True):
        reply = case_services.case_reply(
            actor=desk_agent, case=case, body="明早师傅上门。", at=LATE
        )

    reply.refresh_from_db()
    assert reply.delivery_status == "sent"
    assert [m.to for m in mail.outbox] == [["night@example.com"]]


@pytest.mark.django_db
@pytest.mark.usefixtures("_instant_sending")
def test_a_survey_at_23_is_held_as_a_due_row_and_the_redelivery_job_leaves_it(
    django_capture_on_commit_callbacks: Commits,
) -> None:
    contact = _quiet(make_case_contact(email="night@example.com", channels=["email"]))
    case = case_services.case_open(
        actor=None, contact=contact, subject="热水器", body="不出热水", channel="email", at=LATE
    )

    with time_machine.travel(LATE, tick=False), django_capture_on_commit_callbacks(execute=True):
        survey_send(case=case, at=LATE)
    message = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND)
    assert message.delivery_status == "held"
    assert message_held_until(message.pk) == MORNING
    with translation.override("en"), timezone.override(SH):
        assert delivery_label("held", message.pk) == (
            "held until 08:00 (the customer's quiet hours)"
        )

    # An hour on, the redelivery job (queued for over two minutes) must not send it.
    with (
        time_machine.travel(LATE + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        clock.tick(now=LATE + timedelta(hours=1))
    message.refresh_from_db()
    assert message.delivery_status == "held"
    assert mail.outbox == []

    with (
        time_machine.travel(MORNING + timedelta(seconds=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        clock.tick(now=MORNING + timedelta(seconds=5))
    message.refresh_from_db()
    assert message.delivery_status == "sent"
    assert [m.to for m in mail.outbox] == [["night@example.com"]]
    assert message_held_until(message.pk) is None
    with translation.override("en"):
        assert delivery_label("held") == "held for the customer's quiet hours"
