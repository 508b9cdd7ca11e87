"""CSV import: every problem reported with its line, nothing imported unless clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest
from django.utils import translation

from kefu.core.errors import PermissionDeniedError
from kefu.core.models import AuditEntry, User
from kefu.customers import csv_io, services
from kefu.customers.errors import CsvImportError, LineError
from kefu.customers.models import Contact, Organisation
from tests.customers.builders import at, make_contact, make_organisation

pytestmark = pytest.mark.django_db

NOW = at("2026-03-02 10:00")
HEADER = ",".join(csv_io.COLUMNS)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are checked by their English source text, whatever the catalogue says."""
    with translation.override("en"):
        yield


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def import_text(actor: User | None, text: str, encoding: str = "utf-8") -> services.ImportResult:
    return services.customers_import_csv(actor=actor, data=text.encode(encoding), at=NOW)


def errors_of(actor: User | None, text: str) -> list[LineError]:
    with pytest.raises(CsvImportError) as caught:
        import_text(actor, text)
    return caught.value.errors


GOOD = csv_text(
    "华东物业,key,王芳,项目经理,13812345678,wang.fang@huadong.cn,wangfang,zh-hans,phone|email,22:00-08:00",
    "华东物业,key,李强,,13912345678,,,en,email,",
    "东方电子,,,,,,,,,",
)


def test_clean_file_creates_organisations_and_contacts(lead: User) -> None:
    result = import_text(lead, GOOD)

    wang = Contact.objects.get(name="王芳")
    assert result == services.ImportResult(
        organisations_created=2, contacts_created=2, contacts_updated=0
    )
    assert Organisation.objects.get(name="华东物业").tier == "key"
    assert Organisation.objects.get(name="东方电子").tier == "standard"
    assert wang.organisation is not None
    assert wang.organisation.name == "华东物业"
    assert wang.preferred_channels == ["phone", "email"]
    assert (wang.quiet_hours_start, wang.quiet_hours_end) == (time(22), time(8))
    assert wang.title == "项目经理"
    assert Contact.objects.get(name="李强").language == "en"
    assert AuditEntry.objects.filter(action="contact.created").count() == 2
    assert "13812345678" not in str(list(AuditEntry.objects.values_list("after", flat=True)))


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(lead: User) -> None:
    text = csv_text(
        "华东物业,key,王芳,,13812345678,wang@huadong.cn,,,phone,",  # line 2: fine
        "华东物业,key,,经理,13912345678,,,,,",  # line 3: contact name missing
        "华东物业,key,赵敏,,12ab,,,,,",  # line 4: bad phone
        "华东物业,key,钱进,,,not-an-email,,,,",  # line 5: bad email
        "南方建设,gold,孙丽,,,,,,,",  # line 6: unknown tier
        "南方建设,,周杰,,,,,,phone|fax,",  # line 7: unknown channel
        "南方建设,,吴昊,,,,,,,25:00-08:00",  # line 8: bad quiet hours
        "华东物业,key,王芳二,,13812345678,,,,,",  # line 9: same phone as line 2
        ",,,,,,,,,",  # line 10: empty, skipped
        "北方物流,,郑爽,,,,,,,,extra",  # line 11: wrong number of cells
        ",,,经理,,,,,,",  # line 12: neither organisation nor contact name
    )

    errors = errors_of(lead, text)

    assert [error.line for error in errors] == [3, 4, 5, 6, 7, 8, 9, 11, 12]
    reasons = {error.line: error.reason for error in errors}
    assert "name" in reasons[3]
    assert "phone" in reasons[4]
    assert "email" in reasons[5]
    assert "gold" in reasons[6]
    assert "fax" in reasons[7]
    assert "HH:MM" in reasons[8]
    assert "line 2" in reasons[9]
    assert not Organisation.objects.exists()
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.exists()


def test_wrong_header_is_reported_on_line_one(lead: User) -> None:
    errors = errors_of(lead, csv_text("华东物业,key", header="company,tier,colour"))

    assert len(errors) == 1
    assert errors[0].line == 1
    assert "contact_name" in errors[0].reason
    assert "colour" in errors[0].reason


def test_header_columns_may_come_in_any_order(lead: User) -> None:
    header = ",".join(reversed(csv_io.COLUMNS))

    result = import_text(lead, csv_text(",,,,,,,,,华东物业", header=header))

    assert result.organisations_created == 1


def test_tier_disagreeing_between_rows_is_an_error(lead: User) -> None:
    errors = errors_of(lead, csv_text("华东物业,key,王芳,,,,,,,", "华东物业,standard,李强,,,,,,,"))

    assert [(error.line, "line 2" in error.reason) for error in errors] == [(3, True)]


def test_gbk_file_from_excel_is_read(lead: User) -> None:
    result = import_text(lead, GOOD, encoding="gbk")

    assert result.contacts_created == 2
    assert Contact.objects.filter(name="王芳", organisation__name="华东物业").exists()


def test_utf8_file_with_bom_is_read(lead: User) -> None:
    result = import_text(lead, GOOD, encoding="utf-8-sig")

    assert result.organisations_created == 2


def test_undecodable_file_is_refused(lead: User) -> None:
    data = HEADER.encode() + b"\r\n\xff\xfe\xff\xfe\r\n"

    with pytest.raises(CsvImportError) as caught:
        services.customers_import_csv(actor=lead, data=data, at=NOW)

    assert caught.value.errors[0].line == 2


def test_existing_contact_is_matched_by_email_and_updated(lead: User) -> None:
    organisation = make_organisation(name="华东物业", tier="standard")
    contact = make_contact(
        organisation=organisation, name="王芳", email="wang.fang@huadong.cn", phone="13800000000"
    )

    result = import_text(lead, GOOD)

    contact.refresh_from_db()
    assert result == services.ImportResult(
        organisations_created=1, organisations_updated=1, contacts_created=1, contacts_updated=1
    )
    assert contact.phone == "+8613812345678"
    assert contact.preferred_channels == ["phone", "email"]
    assert Contact.objects.filter(name="王芳").count() == 1
    entry = AuditEntry.objects.get(action="contact.updated", target_id=str(contact.pk))
    assert entry.before is not None
    assert entry.before["phone"] == "138****0000"


def test_existing_contact_is_matched_by_phone_within_its_organisation(lead: User) -> None:
    organisation = make_organisation(name="华东物业")
    other = make_organisation(name="别家公司")
    make_contact(organisation=other, name="李强", phone="13912345678")
    mine = make_contact(organisation=organisation, name="李强", phone="13912345678")

    import_text(lead, GOOD)

    mine.refresh_from_db()
    assert mine.language == "en"
    assert Contact.objects.filter(organisation=organisation, name="李强").count() == 1
    assert Contact.objects.get(organisation=other).language == "zh-hans"


def test_reimporting_the_same_file_changes_nothing(lead: User) -> None:
    import_text(lead, GOOD)
    entries = AuditEntry.objects.count()

    result = import_text(lead, GOOD)

    assert result == services.ImportResult(contacts_unchanged=2)
    assert AuditEntry.objects.count() == entries


def test_masked_export_round_trips_without_touching_phones(lead: User, agent: User) -> None:
    organisation = make_organisation(name="华东物业")
    contact = make_contact(organisation=organisation, name="王芳", phone="+8613812345678")
    exported = services.customers_export_csv(actor=agent, at=NOW)

    result = services.customers_import_csv(actor=lead, data=exported, at=NOW)

    contact.refresh_from_db()
    assert result.contacts_unchanged == 1
    assert contact.phone == "+8613812345678"


def test_masked_phone_of_an_unknown_contact_is_an_error(lead: User) -> None:
    errors = errors_of(lead, csv_text("华东物业,,王芳,,138****5678,,,,,"))

    assert [error.line for error in errors] == [2]
    assert "masked" in errors[0].reason


def test_agent_may_not_import(agent: User) -> None:
    with pytest.raises(PermissionDeniedError):
        import_text(agent, GOOD)

    assert not Organisation.objects.exists()


def test_exported_file_has_bom_columns_and_masked_phones_for_agents(agent: User) -> None:
    organisation = make_organisation(name="华东物业", tier="key")
    make_contact(
        organisation=organisation,
        name="王芳",
        phone="13812345678",
        channels=["phone", "email"],
        quiet_hours=(time(22), time(8)),
    )
    make_organisation(name="东方电子")

    data = services.customers_export_csv(actor=agent, at=NOW)

    lines = data.decode("utf-8-sig").splitlines()
    assert data.startswith(b"\xef\xbb\xbf")
    assert lines[0] == HEADER
    assert lines[1] == "东方电子,standard,,,,,,,,"
    assert lines[2] == "华东物业,key,王芳,,138****5678,,,zh-hans,phone|email,22:00-08:00"
    assert not AuditEntry.objects.exists()


def test_lead_export_has_full_phones_and_is_audited(lead: User) -> None:
    make_contact(organisation=make_organisation(), phone="+8613812345678")

    data = services.customers_export_csv(actor=lead, at=NOW).decode("utf-8-sig")

    # A leading + would start a formula in a spreadsheet, so it is quoted with '.
    assert "'+8613812345678" in data
    assert AuditEntry.objects.get(action="customers.exported_with_pii").actor == lead


def test_lead_may_ask_for_a_masked_export_which_is_not_audited(lead: User) -> None:
    make_contact(organisation=make_organisation(), phone="13812345678")

    data = services.customers_export_csv(actor=lead, masked=True, at=NOW).decode("utf-8-sig")

    assert "138****5678" in data
    assert not AuditEntry.objects.exists()


def test_formula_cells_are_defused_on_export_and_restored_on_import(lead: User) -> None:
    make_contact(organisation=make_organisation(name="=HYPERLINK(1)"), name="@王芳")

    data = services.customers_export_csv(actor=lead, masked=True, at=NOW)

    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")
    assert csv_io.parse(data.decode("utf-8-sig")).rows[0].organisation == "=HYPERLINK(1)"
