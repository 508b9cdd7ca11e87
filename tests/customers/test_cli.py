"""``kefu import-customers`` and ``kefu export-customers``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kefu.core.models import AuditEntry, User
from kefu.customers import csv_io
from kefu.customers.models import Contact, Organisation
from tests.customers.builders import make_contact, make_organisation

pytestmark = pytest.mark.django_db

HEADER = ",".join(csv_io.COLUMNS)


def write(path: Path, *rows: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes("\r\n".join([HEADER, *rows]).encode(encoding))
    return path


def test_import_prints_the_counts(tmp_path: Path) -> None:
    path = write(tmp_path / "customers.csv", "华东物业,key,王芳,,13812345678,,,,phone,")
    out = StringIO()

    with translation.override("en"):
        call_command("import_customers", str(path), stdout=out)

    assert "Organisations created: 1" in out.getvalue()
    assert "Contacts created: 1" in out.getvalue()
    assert Contact.objects.get().organisation == Organisation.objects.get(name="华东物业")
    assert AuditEntry.objects.get(action="contact.created").actor_name == "system"


def test_import_prints_every_error_line_and_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path / "customers.csv",
        "华东物业,gold,王芳,,,,,,,",
        "华东物业,,李强,,,bad-email,,,,",
        encoding="gbk",
    )
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_customers", str(path), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 2: ")
    assert lines[1].startswith("line 3: ")
    assert not Organisation.objects.exists()


def test_import_as_a_named_user_checks_their_role(tmp_path: Path, agent: User) -> None:
    path = write(tmp_path / "customers.csv", "华东物业,,,,,,,,,")

    with pytest.raises(CommandError):
        call_command("import_customers", str(path), "--user", agent.username)

    assert not Organisation.objects.exists()


def test_import_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nothing\.csv"):
        call_command("import_customers", str(tmp_path / "nothing.csv"))


def test_export_writes_a_masked_file(tmp_path: Path) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone="13812345678")
    output = tmp_path / "out.csv"

    call_command("export_customers", "--output", str(output), stderr=StringIO())

    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "138****5678" in data.decode("utf-8-sig")
    assert not AuditEntry.objects.exists()


def test_export_as_a_lead_has_full_phones_and_is_audited(lead: User) -> None:
    make_contact(organisation=make_organisation(name="华东物业"), phone="13812345678")
    out = StringIO()

    call_command("export_customers", "--user", lead.username, stdout=out)

    assert "13812345678" in out.getvalue()
    assert out.getvalue().startswith("\ufeff" + HEADER)
    assert AuditEntry.objects.get(action="customers.exported_with_pii").actor == lead
