"""Files on the desk: inbound files open or download through the case's access check,
never as a page; replies carry files by e-mail, within the inbound size limit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from email.message import EmailMessage as ParsedMail
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import cast

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from kefu.cases import filetypes
from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Attachment, Case, Message
from kefu.cases.services import IncomingAttachment, case_open
from kefu.cases.services.files import case_reply_with_files
from kefu.cases.services.replies import message_resend
from kefu.cases.tasks import deliver_message
from kefu.core.errors import DomainError
from kefu.core.models import AuditEntry, Team, User
from kefu.core.roles import Role
from tests.cases.builders import at, make_contact
from tests.core.factories import make_department, make_staff

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
NOW = at("2026-11-02 11:00")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEFU_EMAIL_DOMAIN = "kefu.test"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def english_agent(desk_agent: User) -> User:
    desk_agent.language = "en"
    desk_agent.save(update_fields=["language"])
    return desk_agent


def _case_with_files(team: Team, *files: tuple[str, str, bytes], email: str = "") -> Case:
    return case_open(
        actor=None,
        contact=make_contact(email=email or None),
        subject="报价单有误",
        body="附件是报价单，请核对。",
        channel="email",
        at=at("2026-11-02 10:00"),
        team=team,
        attachments=[IncomingAttachment(name, kind, content) for name, kind, content in files],
    )


def _file(case: Case, name: str) -> Attachment:
    return Attachment.objects.get(message__case=case, filename=name)


def _content(response: object) -> bytes:
    assert isinstance(response, FileResponse)
    return b"".join(cast(Iterable[bytes], response.streaming_content))


def test_an_agent_opens_an_inbound_pdf_in_the_browser_and_the_opening_is_audited(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = _case_with_files(team, ("报价单.pdf", "application/pdf", PDF))
    pdf = _file(case, "报价单.pdf")

    response = client_for(desk_agent).get(reverse("cases:attachment", args=[pdf.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == filetypes.POLICY
    assert response["Cache-Control"] == "private, no-store"
    assert _content(response) == PDF
    entry = AuditEntry.objects.get(action="attachment.downloaded")
    assert (entry.actor, entry.target_id) == (desk_agent, str(pdf.pk))
    assert entry.after == {"case": case.reference, "message": pdf.message_id}


def test_a_pdf_downloads_when_asked(client_for: ClientFor, team: Team, desk_agent: User) -> None:
    case = _case_with_files(team, ("quote.pdf", "application/pdf", PDF))

    response = client_for(desk_agent).get(
        reverse("cases:attachment", args=[_file(case, "quote.pdf").pk]), {"download": "1"}
    )

    assert response["Content-Disposition"] == 'attachment; filename="quote.pdf"'
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("invoice.html", "text/html"),
        ("invoice.html", "text/html; charset=utf-8"),
        ("logo.svg", "image/svg+xml"),
        ("page.xhtml", "application/xhtml+xml"),
        ("run.js", "text/javascript"),
        ("odd", "not a type"),
    ],
)
def test_a_file_a_browser_could_run_is_a_download_and_never_served_as_a_page(
    client_for: ClientFor, team: Team, desk_agent: User, name: str, stored: str
) -> None:
    case = _case_with_files(team, (name, stored, HTML))

    response = client_for(desk_agent).get(reverse("cases:attachment", args=[_file(case, name).pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == filetypes.POLICY
    assert _content(response) == HTML


def test_any_other_file_downloads_with_its_stored_type(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case = _case_with_files(team, ("清单.xlsx", kind, b"PK\x03\x04"))

    response = client_for(desk_agent).get(
        reverse("cases:attachment", args=[_file(case, "清单.xlsx").pk])
    )

    assert response["Content-Type"] == kind
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("stored", "content_type", "inline"),
    [
        ("image/png", "image/png", True),
        ("IMAGE/JPEG", "image/jpeg", True),
        ("image/gif", "image/gif", True),
        ("image/webp", "image/webp", True),
        ("application/pdf; name=x.pdf", "application/pdf", True),
        ("image/svg+xml", "application/octet-stream", False),
        ("text/xml", "application/octet-stream", False),
        ("application/rss+xml", "application/octet-stream", False),
        ("application/zip", "application/zip", False),
        ("text/plain", "text/plain", False),
        ("", "application/octet-stream", False),
    ],
)
def test_only_images_and_pdf_open_inline(stored: str, content_type: str, inline: bool) -> None:
    serving = filetypes.serving_for(stored)

    assert (serving.content_type, serving.inline) == (content_type, inline)
    assert filetypes.opens_inline(stored) is inline


def test_a_confidential_cases_file_is_not_found_for_another_department(
    client_for: ClientFor, team: Team
) -> None:
    case = _case_with_files(team, ("合同.pdf", "application/pdf", PDF))
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    outsider = make_staff(department=make_department(name="财务部", code="finance"))
    url = reverse("cases:attachment", args=[_file(case, "合同.pdf").pk])

    response = client_for(outsider).get(url)

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert client_for(outsider).get(reverse("cases:case", args=[case.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="attachment.downloaded").exists()


def test_a_missing_file_id_is_the_same_404(client_for: ClientFor, desk_agent: User) -> None:
    response = client_for(desk_agent).get(reverse("cases:attachment", args=[999_999]))

    assert response.status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(team: Team) -> None:
    case = _case_with_files(team, ("a.pdf", "application/pdf", PDF))

    response = Client().get(reverse("cases:attachment", args=[_file(case, "a.pdf").pk]))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "next=" in response["Location"]


def test_the_qa_inspector_opens_the_files_of_a_case_it_reads(
    client_for: ClientFor, team: Team
) -> None:
    case = _case_with_files(team, ("photo.png", "image/png", b"\x89PNG\r\n"))
    inspector = make_staff(role=Role.QA_INSPECTOR, department=team.department)

    response = client_for(inspector).get(
        reverse("cases:attachment", args=[_file(case, "photo.png").pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_the_case_page_links_each_file_to_the_download_view(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = _case_with_files(
        team, ("报价单.pdf", "application/pdf", PDF), ("invoice.html", "text/html", HTML)
    )

    page = client_for(desk_agent).get(reverse("cases:case", args=[case.pk])).content.decode()

    pdf_url = reverse("cases:attachment", args=[_file(case, "报价单.pdf").pk])
    html_url = reverse("cases:attachment", args=[_file(case, "invoice.html").pk])
    assert f'<a href="{pdf_url}" target="_blank" rel="noopener">报价单.pdf</a>' in page
    assert f'href="{pdf_url}?download=1" download' in page
    assert f'<a href="{html_url}" download>invoice.html</a>' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="attachments"' in page


def _sent_mail() -> ParsedMail:
    (sent,) = mail.outbox
    parsed = BytesParser(policy=default_policy).parsebytes(sent.message().as_bytes())
    assert isinstance(parsed, ParsedMail)
    return parsed


def test_a_reply_with_files_stores_them_and_the_email_carries_them(
    client_for: ClientFor, team: Team, desk_agent: User, django_capture_on_commit_callbacks: object
) -> None:
    case = _case_with_files(team, email="wang@example.cn")
    upload = [
        SimpleUploadedFile("维修方案.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    ]

    response = client_for(desk_agent).post(
        reverse("cases:reply", args=[case.pk]),
        {"body": "维修方案见附件，请查收。", "version": case.version, "attachments": upload},
    )

    assert response.status_code == 302
    reply = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND, author=desk_agent)
    assert reply.channel == "email"
    files = {a.filename: a for a in reply.attachments.all()}
    assert sorted(files) == ["photo.png", "维修方案.pdf"]
    assert (files["维修方案.pdf"].content_type, files["维修方案.pdf"].size) == (
        "application/pdf",
        len(PDF),
    )

    deliver_message.call(message_id=reply.pk)

    sent = _sent_mail()
    assert sent["To"] == "wang@example.cn"
    parts = {str(part.get_filename()): part for part in sent.iter_attachments()}
    assert sorted(parts) == ["photo.png", "维修方案.pdf"]
    assert parts["维修方案.pdf"].get_content_type() == "application/pdf"
    assert parts["维修方案.pdf"].get_content() == PDF
    page = client_for(desk_agent).get(reverse("cases:case", args=[case.pk])).content.decode()
    assert reverse("cases:attachment", args=[files["维修方案.pdf"].pk]) in page


def test_a_reply_without_files_sends_no_attachment(
    client_for: ClientFor, team: Team, desk_agent: User
) -> None:
    case = _case_with_files(team, email="wang@example.cn")

    client_for(desk_agent).post(
        reverse("cases:reply", args=[case.pk]), {"body": "收到。", "version": case.version}
    )

    reply = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND, author=desk_agent)
    deliver_message.call(message_id=reply.pk)
    assert list(_sent_mail().iter_attachments()) == []


def test_a_too_large_file_is_refused_in_words_and_the_typed_reply_is_kept(
    client_for: ClientFor, team: Team, english_agent: User, settings: Settings
) -> None:
    settings.KEFU_MAX_ATTACHMENT_BYTES = 1024
    case = _case_with_files(team, email="wang@example.cn")
    big = SimpleUploadedFile("drawing.dwg", b"x" * 2048, content_type="application/acad")

    response = client_for(english_agent).post(
        reverse("cases:reply", args=[case.pk]),
        {"body": "The revised plan is attached.", "version": case.version, "attachments": [big]},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Attach files: “drawing.dwg” is 2.0\xa0KB; a file can be at most 1.0\xa0KB." in page
    assert "The revised plan is attached.</textarea>" in page
    assert not Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()
    assert not Attachment.objects.filter(message__case=case).exists()


def test_more_files_than_a_reply_carries_are_refused(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _case_with_files(team, email="wang@example.cn")
    upload = [
        SimpleUploadedFile(f"p{n}.png", b"\x89PNG", content_type="image/png") for n in range(6)
    ]

    response = client_for(english_agent).post(
        reverse("cases:reply", args=[case.pk]),
        {"body": "Photos attached.", "version": case.version, "attachments": upload},
        follow=True,
    )

    assert "A reply can carry at most 5 files; you chose 6." in response.content.decode()
    assert not Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()


def test_files_on_another_channel_are_refused_and_nothing_is_sent(
    client_for: ClientFor, team: Team, english_agent: User
) -> None:
    case = _case_with_files(team, email="wang@example.cn")
    upload = [SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")]

    response = client_for(english_agent).post(
        reverse("cases:reply", args=[case.pk]),
        {
            "body": "Plan attached.",
            "version": case.version,
            "channel": "sms",
            "attachments": upload,
        },
        follow=True,
    )

    page = response.content.decode()
    assert (
        "Files can only be sent by e-mail: choose e-mail, or send the reply without files." in page
    )
    assert "Plan attached.</textarea>" in page
    assert not Message.objects.filter(case=case, direction=Message.Direction.OUTBOUND).exists()
    assert not Attachment.objects.filter(message__case=case).exists()


def _failed_reply_with_files(team: Team, agent: User) -> Message:
    case = _case_with_files(team, email="wang@example.cn")
    reply = case_reply_with_files(
        actor=agent,
        case=case,
        body="维修方案见附件。",
        at=NOW,
        files=[IncomingAttachment("维修方案.pdf", "application/pdf", PDF)],
    )
    Message.objects.filter(pk=reply.pk).update(delivery_status="failed")
    reply.refresh_from_db()
    return reply


def test_a_resend_by_email_carries_the_failed_replys_files(team: Team, desk_agent: User) -> None:
    failed = _failed_reply_with_files(team, desk_agent)

    resend = message_resend(actor=desk_agent, message=failed, channel="email", at=NOW)
    deliver_message.call(message_id=resend.pk)

    (carried,) = resend.attachments.all()
    assert (carried.filename, carried.file.name) == (
        "维修方案.pdf",
        failed.attachments.get().file.name,
    )
    parts = {str(part.get_filename()): part for part in _sent_mail().iter_attachments()}
    assert parts["维修方案.pdf"].get_content() == PDF


def test_a_resend_of_files_by_sms_is_refused_and_changes_nothing(
    team: Team, desk_agent: User
) -> None:
    failed = _failed_reply_with_files(team, desk_agent)

    with pytest.raises(DomainError) as refused:
        message_resend(actor=desk_agent, message=failed, channel="sms", at=NOW)

    assert refused.value.code == CaseErrorCode.FILES_NEED_EMAIL
    assert Message.objects.get(pk=failed.pk).delivery_status == "failed"
    assert not Message.objects.filter(resent_from=failed).exists()


def test_a_role_that_may_not_read_cases_is_refused_the_file_as_the_case_page(
    client_for: ClientFor, team: Team
) -> None:
    case = _case_with_files(team, ("a.pdf", "application/pdf", PDF))
    analyst = make_staff(role=Role.REALTIME_ANALYST, department=team.department)
    client = client_for(analyst)

    response = client.get(reverse("cases:attachment", args=[_file(case, "a.pdf").pk]))

    assert response.status_code == 403
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 403
