"""A customer CSV that mixes UTF-8 and GBK rows is refused at the line that breaks,
instead of being stored as mojibake (issue 23, weakness 12)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from kefu.core.models import User
from kefu.customers import csv_io, services
from kefu.customers.errors import CsvImportError
from kefu.customers.models import Contact, Organisation
from tests.customers.builders import at

pytestmark = pytest.mark.django_db

NOW = at("2026-03-02 10:00")
HEADER = ",".join(csv_io.COLUMNS).encode()
WANG = "华东物业,key,王芳,项目经理,13812345678,,,zh-hans,phone,"
LI = "东方电子,,李强,,13912345678,,,en,email,"
ZHAO = "南方电网,,赵敏,,13712345678,,,zh-hans,phone,"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _file(*rows: tuple[str, str]) -> bytes:
    return b"\r\n".join([HEADER, *(text.encode(encoding) for text, encoding in rows)]) + b"\r\n"


def test_utf8_rows_then_a_gbk_row_is_refused_at_that_row(lead: User) -> None:
    data = _file((WANG, "utf-8"), (LI, "utf-8"), (ZHAO, "gbk"))

    with pytest.raises(CsvImportError) as caught:
        services.customers_import_csv(actor=lead, data=data, at=NOW)

    (error,) = caught.value.errors
    assert error.line == 4
    assert "line 2 (UTF-8)" in str(error.reason)
    assert "mixes UTF-8 and GBK" in str(error.reason)
    assert not Organisation.objects.exists()
    assert not Contact.objects.exists()


def test_gbk_rows_then_a_utf8_row_is_refused_at_that_row(lead: User) -> None:
    data = _file((WANG, "gbk"), (LI, "utf-8"))

    with pytest.raises(CsvImportError) as caught:
        services.customers_import_csv(actor=lead, data=data, at=NOW)

    (error,) = caught.value.errors
    assert error.line == 3
    assert "line 2 (GBK)" in str(error.reason)
    assert not Contact.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_file_in_one_encoding_still_imports(lead: User, encoding: str) -> None:
    services.customers_import_csv(actor=lead, data=_file((WANG, encoding), (LI, encoding)), at=NOW)

    assert set(Contact.objects.values_list("name", flat=True)) == {"王芳", "李强"}


def test_the_api_answers_422_naming_the_line(
    lead: User, bearer_for: Callable[[User], dict[str, str]]
) -> None:
    upload = SimpleUploadedFile("contacts.csv", _file((WANG, "utf-8"), (ZHAO, "gbk")))

    lead.language = "en"  # the API answers in the user's saved language
    lead.save(update_fields=["language"])
    client = Client()

    response = client.post("/api/v1/customers/import", {"file": upload}, headers=bearer_for(lead))

    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] == 3
    assert "mixes UTF-8 and GBK" in response.json()["errors"][0]["reason"]
    assert not Contact.objects.exists()
