"""Threading that cannot be hijacked: a mail lands on a case only when its sender is on it.

The adversarial pass wrote one mail listing about 200 guessed Message-IDs in References
and landed on another customer's confidential case. Here the outsider even has the real
ids of that case's messages (as if guessed or copied) and still cannot write into it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone

from kefu.cases.models import Case, CaseEvent, CaseLink, Message
from kefu.cases.services import case_reply, message_receive
from kefu.cases.tasks import deliver_message
from kefu.channels.email_in import email_receive
from kefu.core.models import AuditEntry, User
from kefu.customers.models import Organisation
from tests.channels.builders import make_contact, raw_email

pytestmark = pytest.mark.django_db

CUSTOMER = "王芳 <wang.fang@client.cn>"
OUTSIDER = "outsider@evil.example"


def _case_with_a_sent_reply(agent: User, *, confidential: bool) -> tuple[Case, Message]:
    """A customer's case, answered by kefu by email (the reply has a real Message-ID)."""
    first = email_receive(
        raw=raw_email(sender=CUSTOMER, subject="合同纠纷", message_id="<w1@client.cn>"),
        at=timezone.now(),
    )
    Case.objects.filter(pk=first.case.pk).update(is_confidential=confidential)
    case = Case.objects.get(pk=first.case.pk)
    reply = case_reply(actor=agent, case=case, body="法务部已收到。", at=timezone.now())
    deliver_message.call(message_id=reply.pk)
    reply.refresh_from_db()
    return case, reply


def _guessed_ids(case: Case, reply: Message, count: int = 200) -> str:
    """``count`` ids: the old sequential pattern around the reply, and the case's real ids."""
    guesses = [f"<kefu.{n}.{case.reference}@kefu.test>" for n in range(1, count - 1)]
    return " ".join([*guesses, "<w1@client.cn>", str(reply.external_id)])


def test_outsider_listing_200_ids_does_not_land_on_a_confidential_case(agent: User) -> None:
    case, reply = _case_with_a_sent_reply(agent, confidential=True)
    before = list(Message.objects.filter(case=case).values_list("pk", flat=True))
    attack = raw_email(
        sender=OUTSIDER,
        subject=f"Re: 合同纠纷 [{case.reference}]",
        message_id="<attack@evil.example>",
        body=b"I am writing into your case.",
        headers={"References": _guessed_ids(case, reply), "In-Reply-To": str(reply.external_id)},
    )

    result = email_receive(raw=attack, at=timezone.now())

    assert result.is_new_case
    assert result.case != case
    assert result.case.contact.email == OUTSIDER
    assert list(Message.objects.filter(case=case).values_list("pk", flat=True)) == before
    # The confidential case's department sees the attempt; its reference stays inside.
    assert CaseEvent.objects.get(case=case, kind="thread_refused_elsewhere").data == {
        "reference": result.case.reference
    }
    assert CaseEvent.objects.get(case=result.case, kind="thread_refused").data == {}
    assert not CaseLink.objects.exists()
    assert AuditEntry.objects.filter(action="case.thread_refused").count() == 1


def test_outsider_naming_an_ordinary_case_gets_a_new_case_linked_for_review(
    agent: User,
) -> None:
    case, reply = _case_with_a_sent_reply(agent, confidential=False)
    attack = raw_email(
        sender=OUTSIDER,
        message_id="<attack2@evil.example>",
        headers={"In-Reply-To": str(reply.external_id)},
    )

    result = email_receive(raw=attack, at=timezone.now())

    assert result.is_new_case
    assert Message.objects.filter(case=case).count() == 2
    link = CaseLink.objects.get()
    assert (link.from_case, link.to_case) == (result.case, case)
    event = CaseEvent.objects.get(case=result.case, kind="thread_refused")
    assert event.data == {"reference": case.reference}


def test_the_case_page_tells_the_agent_a_mail_was_opened_elsewhere(agent: User) -> None:
    from django.test import Client

    case, reply = _case_with_a_sent_reply(agent, confidential=False)
    email_receive(
        raw=raw_email(
            sender=OUTSIDER,
            message_id="<attack3@evil.example>",
            headers={"In-Reply-To": str(reply.external_id)},
        ),
        at=timezone.now(),
    )
    new_case = Case.objects.exclude(pk=case.pk).get()
    User.objects.filter(pk=agent.pk).update(language="en")
    browser = Client()
    browser.force_login(agent)

    page = browser.get(f"/cases/{case.pk}/").content.decode()

    assert (
        "A mail naming this case came from someone who is not on it; it was opened as "
        f"{new_case.reference} for review." in page
    )


def test_the_real_contact_still_threads_by_in_reply_to_and_by_the_subject(agent: User) -> None:
    case, reply = _case_with_a_sent_reply(agent, confidential=True)
    answer = raw_email(
        sender=CUSTOMER,
        message_id="<w2@client.cn>",
        headers={"In-Reply-To": str(reply.external_id), "References": _guessed_ids(case, reply)},
    )
    by_subject = raw_email(
        sender=CUSTOMER, message_id="<w3@client.cn>", subject=f"补充材料 {case.reference}"
    )

    first = email_receive(raw=answer, at=timezone.now())
    second = email_receive(raw=by_subject, at=timezone.now())

    assert (first.case, second.case) == (case, case)
    assert not first.is_new_case
    assert not CaseEvent.objects.filter(kind__startswith="thread_refused").exists()


def test_an_address_that_already_wrote_in_on_the_case_still_threads(agent: User) -> None:
    case, reply = _case_with_a_sent_reply(agent, confidential=True)
    # A second address of the customer's, added to the case earlier (by a merge, say).
    second_address = make_contact(email="fang.wang@home.cn")
    message_receive(
        case=case,
        contact=second_address,
        body="我是王芳的私人邮箱。",
        channel="email",
        at=timezone.now(),
    )
    answer = raw_email(
        sender="fang.wang@home.cn",
        message_id="<w4@home.cn>",
        headers={"In-Reply-To": str(reply.external_id)},
    )

    result = email_receive(raw=answer, at=timezone.now())

    assert result.case == case


def test_own_thread_is_found_even_when_the_headers_also_name_other_cases(agent: User) -> None:
    victim, victim_reply = _case_with_a_sent_reply(agent, confidential=True)
    own = email_receive(
        raw=raw_email(sender=OUTSIDER, message_id="<own@evil.example>"), at=timezone.now()
    ).case
    mixed = raw_email(
        sender=OUTSIDER,
        message_id="<own2@evil.example>",
        headers={"References": f"<own@evil.example> {victim_reply.external_id}"},
    )

    result = email_receive(raw=mixed, at=timezone.now())

    assert result.case == own
    assert Message.objects.filter(case=victim).count() == 2


def test_a_colleague_of_the_organisation_may_not_write_into_a_confidential_case() -> None:
    organisation = Organisation.objects.create(name="华东建设", created_at=timezone.now())
    make_contact(email="wang.fang@client.cn", organisation=organisation)
    make_contact(email="colleague@client.cn", organisation=organisation)
    first = email_receive(raw=raw_email(sender=CUSTOMER, message_id="<o1@c.cn>"), at=timezone.now())
    Case.objects.filter(pk=first.case.pk).update(is_confidential=True)

    result = email_receive(
        raw=raw_email(
            sender="colleague@client.cn",
            message_id="<o2@c.cn>",
            subject=f"关于 {first.case.reference}",
        ),
        at=timezone.now(),
    )

    assert result.is_new_case


def test_outbound_message_ids_are_unguessable_and_stable_per_message(agent: User) -> None:
    case, reply = _case_with_a_sent_reply(agent, confidential=False)
    second = case_reply(actor=agent, case=case, body="补充一句。", at=timezone.now())
    deliver_message.call(message_id=second.pk)
    second.refresh_from_db()

    ids = [str(reply.external_id), str(second.external_id)]
    for message_id in ids:
        assert re.fullmatch(r"<kefu\.[0-9a-f]{32}@kefu\.test>", message_id)
        assert case.reference not in message_id
    assert ids[0] != ids[1]
    # A resend (the worker died after sending) carries the same id.
    Message.objects.filter(pk=second.pk).update(delivery_status="queued")
    deliver_message.call(message_id=second.pk)
    assert mail.outbox[-1].extra_headers["Message-ID"] == ids[1]
