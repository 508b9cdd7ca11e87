"""Phone numbers in E.164: one number whatever the spelling, for contacts, callers and SMS."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from kefu.channels.contacts import contact_by_phone, contact_for_phone
from kefu.core.errors import ConflictError
from kefu.core.models import User
from kefu.customers import csv_io, services
from kefu.customers.errors import CustomerErrorCode, CustomerInvalidError
from kefu.customers.masking import mask_phone
from kefu.customers.models import Contact
from kefu.customers.phones import (
    PhoneNumberError,
    PhoneProblem,
    phone_display,
    phone_e164,
    phone_match_keys,
    same_phone,
)
from tests.customers.builders import at, make_contact, make_organisation

NOW = at("2026-03-02 10:00")
E164 = "+8613800138000"
SPELLINGS = ["138 0013 8000", "+86 138 0013 8000", "0086 13800138000"]
BearerFor = Callable[[User], dict[str, str]]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# -- the pure core -------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [*SPELLINGS, "138-0013-8000", "(+86) 13800138000"])
def test_every_spelling_of_a_mobile_is_one_e164_number(spelling: str) -> None:
    assert phone_e164(spelling) == E164


@pytest.mark.parametrize(
    ("spelling", "e164", "shown"),
    [
        ("010-8888 6666", "+861088886666", "010 8888 6666"),
        ("(021) 6666 8888", "+862166668888", "021 6666 8888"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("95588", "95588", "95588"),
    ],
)
def test_landlines_foreign_and_service_numbers(spelling: str, e164: str, shown: str) -> None:
    assert phone_e164(spelling) == e164
    assert phone_display(e164) == shown


def test_people_read_a_mainland_mobile_in_national_format() -> None:
    assert phone_display(E164) == "138 0013 8000"
    assert mask_phone(E164) == "138****8000"
    # A row the migration could not read is shown as it is.
    assert phone_display("12ab") == "12ab"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("12ab", PhoneProblem.NOT_A_NUMBER),
        ("86+13812345678", PhoneProblem.NOT_A_NUMBER),
        ("138 0013 800", PhoneProblem.INVALID),
        ("+86 999999", PhoneProblem.INVALID),
    ],
)
def test_a_text_that_is_no_number_is_refused_with_its_reason(
    raw: str, problem: PhoneProblem
) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        phone_e164(raw)

    assert caught.value.problem is problem


def test_match_keys_reach_rows_stored_before_normalisation() -> None:
    keys = phone_match_keys("+86 138 0013 8000")

    assert keys[0] == E164
    assert {"13800138000", "8613800138000", "008613800138000"} <= set(keys)
    assert same_phone("138 0013 8000", "0086 13800138000")
    assert not same_phone("138 0013 8000", "138 0013 8001")


# -- contacts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_three_spellings_are_one_contact(agent: User) -> None:
    organisation = make_organisation()
    first = services.contact_create(
        actor=agent, organisation=organisation, name="王芳", phone=SPELLINGS[0], at=NOW
    )

    for spelling in SPELLINGS[1:]:
        with pytest.raises(ConflictError) as caught:
            services.contact_create(
                actor=agent, organisation=organisation, name="王芳二", phone=spelling, at=NOW
            )
        assert caught.value.code == CustomerErrorCode.DUPLICATE_CONTACT
        assert contact_by_phone(spelling) == first

    assert first.phone == E164
    assert Contact.objects.get() == first


@pytest.mark.django_db
def test_a_contact_stored_before_normalisation_still_counts_as_the_same_number(
    agent: User,
) -> None:
    organisation = make_organisation()
    make_contact(organisation=organisation, phone="13800138000")

    with pytest.raises(ConflictError):
        services.contact_create(
            actor=agent, organisation=organisation, name="李强", phone=SPELLINGS[1], at=NOW
        )


@pytest.mark.django_db
def test_a_bad_number_is_refused_in_words_and_nothing_is_stored(agent: User) -> None:
    with pytest.raises(CustomerInvalidError) as caught:
        services.contact_create(actor=agent, organisation=None, name="王芳", phone="12ab", at=NOW)
    with pytest.raises(CustomerInvalidError) as short:
        services.contact_create(
            actor=agent, organisation=None, name="王芳", phone="138 0013 800", at=NOW
        )

    assert caught.value.code == CustomerErrorCode.INVALID_PHONE
    assert "A phone number holds digits" in caught.value.text()
    assert "not a phone number that can be dialled" in short.value.text()
    # The reason never repeats the number (it may end up in logs).
    assert "138" not in short.value.text()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_the_api_stores_e164_and_refuses_a_bad_number_in_words(
    client: Client, agent: User, bearer_for: BearerFor
) -> None:
    headers = bearer_for(agent)

    created = client.post(
        "/api/v1/contacts",
        data={"name": "王芳", "phone": "0086 138-0013-8000"},
        content_type="application/json",
        headers=headers,
    )
    refused = client.post(
        "/api/v1/contacts",
        data={"name": "李强", "phone": "138 0013 800"},
        content_type="application/json",
        headers={**headers, "Accept-Language": "en"},
    )

    assert created.status_code == 201
    assert Contact.objects.get().phone == E164
    assert created.json()["phone_masked"] == "138****8000"
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_phone"
    assert "dialled" in refused.json()["message"] or "拨通" in refused.json()["message"]


@pytest.mark.django_db
def test_the_csv_import_stores_e164_and_matches_any_spelling(lead: User) -> None:
    organisation = make_organisation(name="华东物业")
    existing = make_contact(organisation=organisation, name="王芳", phone="13800138000")
    header = ",".join(csv_io.COLUMNS)
    text = (
        f"{header}\r\n"
        "华东物业,,王芳,项目经理,+86 138 0013 8000,,,en,phone,\r\n"
        "华东物业,,李强,,010-8888 6666,,,,,\r\n"
    )

    services.customers_import_csv(actor=lead, data=text.encode(), at=NOW)

    existing.refresh_from_db()
    assert (existing.phone, existing.language, existing.title) == (E164, "en", "项目经理")
    assert Contact.objects.get(name="李强").phone == "+861088886666"
    assert Contact.objects.count() == 2


# -- callers -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_caller_in_any_format_finds_the_contact(
    client: Client, agent: User, bearer_for: BearerFor, spelling: str
) -> None:
    contact = services.contact_create(
        actor=agent, organisation=None, name="王芳", phone="13800138000", at=NOW
    )

    response = client.post(
        "/api/v1/channels/phone/calls",
        data={
            "direction": "in",
            "from_number": spelling,
            "to_number": "4008001234",
            "started_at": "2026-03-02T09:30:00+08:00",
            "duration_seconds": 60,
            "notes": "",
        },
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert response.status_code == 201
    assert Contact.objects.get() == contact
    # The case is named by the number as people read it, whatever the switch sent.
    assert "138 0013 8000" in contact.cases.get().subject


@pytest.mark.django_db
def test_an_unknown_caller_becomes_a_contact_in_e164_named_as_people_read_it() -> None:
    contact = contact_for_phone(number="0086 13800138000", at=NOW)

    assert (contact.phone, contact.name) == (E164, "138 0013 8000")
    assert contact_for_phone(number="138 0013 8000", at=NOW) == contact


# -- the data migration --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_rewrites_numbers_and_keeps_unreadable_ones(
    caplog: pytest.LogCaptureFixture,
) -> None:
    migration = importlib.import_module("kefu.customers.migrations.0004_phone_e164")
    mobile = make_contact(name="王芳", phone="138 0013 8000")
    landline = make_contact(name="李强", phone="010-8888 6666")
    typo = make_contact(name="赵敏", phone="138-0013-80")
    letters = make_contact(name="钱伟", phone="ask reception")
    empty = make_contact(name="孙丽", phone="")

    with caplog.at_level(logging.WARNING, logger="kefu.customers.migrations"):
        migration.forwards(apps, None)

    stored = dict(Contact.objects.values_list("pk", "phone"))
    assert stored == {
        mobile.pk: E164,
        landline.pk: "+861088886666",
        typo.pk: "138-0013-80",
        letters.pk: "ask reception",
        empty.pk: "",
    }
    (record,) = caplog.records
    assert "2 phone number(s) could not be read" in record.getMessage()
    assert f"{typo.pk}, {letters.pk}" in record.getMessage()
    # The log names contacts by id, never their numbers.
    assert "138-0013-80" not in record.getMessage()
