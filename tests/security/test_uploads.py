"""Oversized uploads refused with nothing stored; path traversal in file names neutralised."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from kefu.cases.models import Attachment
from kefu.channels.email_in import email_ingest
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.uploads import safe_filename
from kefu.customers import csv_io as customers_csv
from kefu.customers.models import Contact
from kefu.floor.models import QueueCall
from kefu.floor.services import calls as floor_calls
from kefu.incidents.models import Evidence
from kefu.quality import forms as quality_forms
from kefu.workforce import csv_io as workforce_csv
from kefu.workforce.models import HistoryInterval
from tests.channels.builders import multipart_email
from tests.incidents.builders import make_incident

Bearer = Callable[[User], dict[str, str]]
EVIL_NAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "C:\\evil.txt",
    "a\x00b.txt",
    "..",
    "",
]


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\x", "x"),
        ("/abs/path.pdf", "path.pdf"),
        ("C:\\Users\\x\\报价单.pdf", "报价单.pdf"),
        ("a\x00b.txt", "ab.txt"),
        ("..", "file"),
        ("...hidden", "hidden"),
        ("line\nbreak.txt", "linebreak.txt"),
    ],
)
def test_safe_filename_keeps_one_harmless_element(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def _inside(root: Path, stored: str) -> bool:
    path = (root / stored).resolve()
    return path.is_relative_to(root.resolve()) and path.is_file()


@pytest.mark.django_db
def test_email_attachment_names_cannot_climb_out_of_media(settings: Settings) -> None:
    raw = multipart_email(attachments=[(name, b"data") for name in EVIL_NAMES])
    result = email_ingest(raw=raw, at=timezone.now())
    stored = list(Attachment.objects.filter(message=result.message))
    assert len(stored) == len(EVIL_NAMES)
    for item in stored:
        assert ".." not in Path(item.file.name).parts
        assert "\x00" not in item.file.name
        assert item.file.name.startswith(f"attachments/{result.case.pk}/")
        assert _inside(Path(settings.MEDIA_ROOT), item.file.name)


@pytest.mark.django_db
def test_oversized_email_attachment_is_refused_and_not_stored(settings: Settings) -> None:
    settings.KEFU_MAX_ATTACHMENT_BYTES = 1000
    raw = multipart_email(attachments=[("big.bin", b"x" * 1001), ("small.txt", b"ok")])
    result = email_ingest(raw=raw, at=timezone.now())
    assert result.refused == ("big.bin",)
    assert result.message is not None
    assert [a.filename for a in result.message.attachments.all()] == ["small.txt"]
    assert "big.bin" in result.message.body  # the case says what was refused


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVIL_NAMES[:5])
def test_evidence_upload_names_are_neutralised(
    name: str, lead: User, client_for: Callable[[User], Client], settings: Settings
) -> None:
    incident = make_incident(lead)
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 evidence")
    upload.name = name  # what a hostile client could put in the multipart header
    response = client_for(lead).post(
        reverse("incidents:evidence", args=[incident.pk]), {"file": upload, "description": "d"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(incident=incident)
    assert evidence.file.name.startswith(f"incidents/{incident.pk}/")
    assert ".." not in Path(evidence.file.name).parts
    assert _inside(Path(settings.MEDIA_ROOT), evidence.file.name)


@pytest.mark.django_db
def test_oversized_evidence_is_refused_and_nothing_stored(
    lead: User, client_for: Callable[[User], Client], settings: Settings
) -> None:
    settings.KEFU_MAX_ATTACHMENT_BYTES = 100
    incident = make_incident(lead)
    client = client_for(lead)
    url = reverse("incidents:evidence", args=[incident.pk])
    response = client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 101)}, follow=True)
    assert "0.0001 MB" in response.content.decode() or "MB" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "incidents").exists()


@pytest.mark.django_db
def test_oversized_customer_import_is_refused_with_nothing_written(
    lead: User, bearer_for: Bearer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(customers_csv, "MAX_BYTES", 200)
    body = "organisation,contact_name,phone\n" + "华建集团,张三,13812345678\n" * 20
    response = Client().post(
        "/api/v1/customers/import",
        {"file": SimpleUploadedFile("c.csv", body.encode())},
        headers=bearer_for(lead),
    )
    assert response.status_code == 422
    assert response.json()["code"]
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_oversized_history_import_is_refused_with_nothing_written(
    make_user: Callable[..., User], bearer_for: Bearer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workforce_csv, "MAX_BYTES", 100)
    planner = make_user(Role.REALTIME_ANALYST, username="wfm")
    body = "interval_start,offered\n" + "2026-11-02T09:00:00+08:00,10\n" * 10
    response = Client().post(
        "/api/v1/workforce/history",
        {"file": SimpleUploadedFile("h.csv", body.encode())},
        headers=bearer_for(planner),
    )
    assert response.status_code == 422
    assert response.json()["imported"] == 0
    assert not HistoryInterval.objects.exists()


@pytest.mark.django_db
def test_history_multipart_without_file_is_a_422_not_a_crash(
    make_user: Callable[..., User], bearer_for: Bearer
) -> None:
    """Regression (schemathesis): reading FILES consumed the body; request.body then raised."""
    planner = make_user(Role.REALTIME_ANALYST, username="wfm")
    response = Client().post(
        "/api/v1/workforce/history", {"other": "x"}, headers=bearer_for(planner)
    )
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "limit"),
    [
        (b"queue,arrived_at\nhotline,2026-11-02T09:00:00+08:00\n" * 20, 100),  # too big
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", None),  # not text (fuzz regression)
        (b"queue,arrived_at\nhotline,2026-02-30T09:00:00\n", None),  # impossible date
        (b"queue,arrived_at,handle_seconds\nhotline,2026-11-02T09:00:00,\xc2\xb2\n", None),
        (b"queue,arrived_at,handle_seconds\nhotline,2026-11-02T09:00:00,99999999999999\n", None),
    ],
)
def test_bad_call_imports_are_refused_with_nothing_written(
    content: bytes,
    limit: int | None,
    make_user: Callable[..., User],
    bearer_for: Bearer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if limit is not None:
        monkeypatch.setattr(floor_calls, "MAX_CSV_BYTES", limit)
    planner = make_user(Role.REALTIME_ANALYST, username="wfm")
    response = Client().post(
        "/api/v1/floor/calls/import",
        {"file": SimpleUploadedFile("calls.csv", content)},
        headers=bearer_for(planner),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "calls_invalid"
    assert not QueueCall.objects.exists()


@pytest.mark.django_db
def test_huge_handle_seconds_in_json_is_a_422(
    make_user: Callable[..., User], bearer_for: Bearer
) -> None:
    planner = make_user(Role.REALTIME_ANALYST, username="wfm")
    call = {"queue": "hotline", "arrived_at": "2026-11-02T09:00:00+08:00", "handle_seconds": 10**20}
    response = Client().post(
        "/api/v1/floor/calls",
        {"calls": [call]},
        content_type="application/json",
        headers=bearer_for(planner),
    )
    assert response.status_code == 422
    assert not QueueCall.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["quality:servqual", "quality:kano"])
def test_oversized_survey_answer_files_are_refused(
    url_name: str,
    lead: User,
    client_for: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(quality_forms, "MAX_CSV_BYTES", 50)
    upload = SimpleUploadedFile("a.csv", io.BytesIO(b"respondent,item\n" * 10).read())
    response = client_for(lead).post(reverse(url_name), {"file": upload})
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["file"]
    assert "result" not in response.context
