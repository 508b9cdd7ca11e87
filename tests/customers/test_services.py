"""Writes: validation with error codes, permissions, and an audit log without clear PII."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from kefu.core.errors import ConflictError, PermissionDeniedError
from kefu.core.models import AuditEntry, User
from kefu.core.roles import Role
from kefu.customers import services
from kefu.customers.errors import CustomerErrorCode, CustomerInvalidError
from kefu.customers.models import Contact, Organisation, Project
from tests.conftest import MakeUser
from tests.customers.builders import at, make_contact, make_organisation, make_project

pytestmark = pytest.mark.django_db

NOW = at("2026-03-02 10:00")
PHONE = "13812345678"
ID_NUMBER = "110101199003071234"


def _audit_text() -> str:
    return json.dumps(
        [[e.action, e.before, e.after, e.target_label] for e in AuditEntry.objects.all()],
        ensure_ascii=False,
    )


def test_agent_creates_organisation_and_it_is_audited(agent: User) -> None:
    organisation = services.organisation_create(
        actor=agent, name=" 华东物业 ", tier="key", industry="物业管理", at=NOW
    )

    entry = AuditEntry.objects.get(action="organisation.created")
    assert organisation.name == "华东物业"
    assert entry.actor == agent
    assert entry.after == {"name": "华东物业", "tier": "key", "industry": "物业管理"}


def test_organisation_names_are_unique(agent: User) -> None:
    make_organisation(name="华东物业")

    with pytest.raises(ConflictError) as caught:
        services.organisation_create(actor=agent, name="华东物业", at=NOW)

    assert caught.value.code == CustomerErrorCode.DUPLICATE_ORGANISATION


def test_unknown_tier_is_refused_and_nothing_changes(agent: User) -> None:
    organisation = make_organisation(tier="standard")

    with pytest.raises(CustomerInvalidError) as caught:
        services.organisation_update(actor=agent, organisation=organisation, tier="gold", at=NOW)

    organisation.refresh_from_db()
    assert caught.value.code == CustomerErrorCode.UNKNOWN_TIER
    assert organisation.tier == "standard"
    assert not AuditEntry.objects.exists()


def test_organisation_update_audits_only_changed_fields(agent: User) -> None:
    organisation = make_organisation(tier="standard", industry="零售")

    services.organisation_update(
        actor=agent, organisation=organisation, tier="strategic", industry="零售", at=NOW
    )

    entry = AuditEntry.objects.get(action="organisation.updated")
    assert entry.before == {"tier": "standard"}
    assert entry.after == {"tier": "strategic"}


def test_update_without_change_writes_no_audit(agent: User) -> None:
    organisation = make_organisation(tier="key")

    services.organisation_update(actor=agent, organisation=organisation, tier="key", at=NOW)

    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.QA_INSPECTOR, Role.REALTIME_ANALYST], ids=["qa", "analyst"])
def test_roles_without_case_work_cannot_write_customers(make_user: MakeUser, role: str) -> None:
    reader = make_user(role)

    with pytest.raises(PermissionDeniedError):
        services.organisation_create(actor=reader, name="新客户", at=NOW)

    assert not Organisation.objects.exists()


def test_contact_create_normalises_and_masks_pii_in_the_audit(agent: User) -> None:
    organisation = make_organisation()

    contact = services.contact_create(
        actor=agent,
        organisation=organisation,
        name="李娜",
        phone="138 1234-5678",
        email="Li.Na@Example.COM",
        id_number="110101199003071234",
        preferred_channels=["phone", "email"],
        quiet_hours_start=time(22),
        quiet_hours_end=time(8),
        at=NOW,
    )

    entry = AuditEntry.objects.get(action="contact.created")
    assert contact.phone == "+86" + PHONE
    assert contact.email == "li.na@example.com"
    assert entry.after is not None
    assert entry.after["phone"] == "138****5678"
    assert entry.after["id_number"] == "110***********1234"
    assert entry.after["quiet_hours_start"] == "22:00:00"
    assert PHONE not in _audit_text()
    assert ID_NUMBER not in _audit_text()


def test_contact_update_masks_old_and_new_phone_in_the_audit(agent: User) -> None:
    contact = make_contact(phone=PHONE, id_number=ID_NUMBER)

    services.contact_update(
        actor=agent, contact=contact, phone="13987654321", id_number="310101198001011111", at=NOW
    )

    entry = AuditEntry.objects.get(action="contact.updated")
    assert entry.before == {"phone": "138****5678", "id_number": "110***********1234"}
    assert entry.after == {"phone": "139****4321", "id_number": "310***********1111"}
    for secret in (PHONE, "13987654321", ID_NUMBER, "310101198001011111"):
        assert secret not in _audit_text()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "138-abc"}, CustomerErrorCode.INVALID_PHONE),
        ({"phone": "1234"}, CustomerErrorCode.INVALID_PHONE),
        ({"phone": "1" * 21}, CustomerErrorCode.INVALID_PHONE),
        ({"phone": "86+13812345678"}, CustomerErrorCode.INVALID_PHONE),
        ({"email": "not an email"}, CustomerErrorCode.INVALID_EMAIL),
        ({"language": "fr"}, CustomerErrorCode.UNKNOWN_LANGUAGE),
        ({"preferred_channels": ["phone", "fax"]}, CustomerErrorCode.UNKNOWN_CHANNEL),
        ({"preferred_channels": ["phone", "phone"]}, CustomerErrorCode.DUPLICATE_CHANNEL),
        ({"quiet_hours_start": time(22)}, CustomerErrorCode.INVALID_QUIET_HOURS),
        (
            {"quiet_hours_start": time(8), "quiet_hours_end": time(8)},
            CustomerErrorCode.INVALID_QUIET_HOURS,
        ),
        ({"name": "  "}, CustomerErrorCode.NAME_REQUIRED),
        ({"id_number": "11-01"}, CustomerErrorCode.INVALID_ID_NUMBER),
    ],
)
def test_contact_update_refuses_bad_values_and_changes_nothing(
    agent: User, changes: dict[str, object], code: CustomerErrorCode
) -> None:
    contact = make_contact(phone=PHONE)

    with pytest.raises(CustomerInvalidError) as caught:
        services.contact_update(actor=agent, contact=contact, at=NOW, **changes)  # type: ignore[arg-type]

    assert caught.value.code == code
    assert Contact.objects.get(pk=contact.pk).phone == PHONE
    assert not AuditEntry.objects.exists()


def test_error_messages_never_repeat_the_phone_number(agent: User) -> None:
    with pytest.raises(CustomerInvalidError) as caught:
        services.contact_create(
            actor=agent, organisation=None, name="李娜", phone="1381234567x", at=NOW
        )

    assert "1381234567" not in caught.value.text()


def test_clearing_quiet_hours_needs_both_ends(agent: User) -> None:
    contact = make_contact(quiet_hours=(time(22), time(8)))

    services.contact_update(
        actor=agent, contact=contact, quiet_hours_start=None, quiet_hours_end=None, at=NOW
    )

    contact.refresh_from_db()
    assert contact.quiet_hours_start is None
    assert contact.quiet_hours_end is None


def test_two_contacts_of_one_organisation_cannot_share_a_phone(agent: User) -> None:
    organisation = make_organisation()
    make_contact(organisation=organisation, phone=PHONE)

    with pytest.raises(ConflictError) as caught:
        services.contact_create(
            actor=agent, organisation=organisation, name="赵敏", phone=PHONE, at=NOW
        )

    assert caught.value.code == CustomerErrorCode.DUPLICATE_CONTACT


def test_deactivated_contact_is_kept_and_audited(agent: User) -> None:
    contact = make_contact()

    services.contact_update(actor=agent, contact=contact, is_active=False, at=NOW)

    contact.refresh_from_db()
    assert contact.is_active is False
    assert AuditEntry.objects.get(action="contact.updated").after == {"is_active": False}


def test_lead_reveals_pii_and_the_audit_names_fields_not_values(lead: User) -> None:
    contact = make_contact(phone=PHONE, id_number=ID_NUMBER)

    values = services.contact_reveal_pii(
        actor=lead, contact=contact, fields=["phone", "id_number"], at=NOW
    )

    entry = AuditEntry.objects.get(action="contact.pii_revealed")
    assert values == {"phone": PHONE, "id_number": ID_NUMBER}
    assert entry.actor == lead
    assert entry.after == {"fields": ["phone", "id_number"]}
    assert PHONE not in _audit_text()


def test_agent_cannot_reveal_pii_and_nothing_is_logged(agent: User) -> None:
    contact = make_contact(phone=PHONE)

    with pytest.raises(PermissionDeniedError):
        services.contact_reveal_pii(actor=agent, contact=contact, fields=["phone"], at=NOW)

    assert not AuditEntry.objects.exists()


def test_reveal_refuses_fields_that_are_not_pii(lead: User) -> None:
    contact = make_contact()

    with pytest.raises(CustomerInvalidError) as caught:
        services.contact_reveal_pii(actor=lead, contact=contact, fields=["email"], at=NOW)

    assert caught.value.code == CustomerErrorCode.UNKNOWN_REVEAL_FIELD


def test_project_status_change_is_audited_on_its_own(agent: User, manager: User) -> None:
    project = make_project(organisation=make_organisation(), status=Project.Status.ACTIVE)

    services.project_update(
        actor=agent,
        project=project,
        status=Project.Status.STOPPED,
        site="浦东新区世纪大道 100 号",
        project_manager=manager,
        at=NOW,
    )

    status_entry = AuditEntry.objects.get(action="project.status_changed")
    other_entry = AuditEntry.objects.get(action="project.updated")
    assert status_entry.before == {"status": "active"}
    assert status_entry.after == {"status": "stopped"}
    assert other_entry.after == {"site": "浦东新区世纪大道 100 号", "project_manager": manager.pk}
    assert Project.objects.get(pk=project.pk).status == "stopped"


def test_project_status_changed_meanwhile_is_a_conflict(agent: User) -> None:
    project = make_project(organisation=make_organisation(), status=Project.Status.ACTIVE)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    with pytest.raises(ConflictError) as caught:
        services.project_update(actor=agent, project=project, status=Project.Status.STOPPED, at=NOW)

    assert caught.value.code == CustomerErrorCode.PROJECT_CHANGED
    assert Project.objects.get(pk=project.pk).status == "completed"
    assert not AuditEntry.objects.exists()


def test_project_cannot_end_before_it_starts(agent: User) -> None:
    with pytest.raises(CustomerInvalidError) as caught:
        services.project_create(
            actor=agent,
            organisation=make_organisation(),
            name="外立面翻新",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
            at=NOW,
        )

    assert caught.value.code == CustomerErrorCode.INVALID_DATES
    assert not Project.objects.exists()


def test_project_create_is_audited(agent: User) -> None:
    organisation = make_organisation()

    project = services.project_create(
        actor=agent, organisation=organisation, name="机房网络改造", status="planned", at=NOW
    )

    entry = AuditEntry.objects.get(action="project.created", target_id=str(project.pk))
    assert entry.after == {
        "organisation": organisation.pk,
        "name": "机房网络改造",
        "status": "planned",
    }
