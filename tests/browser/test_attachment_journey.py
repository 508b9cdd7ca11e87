"""A customer e-mails a photo and an HTML page; the agent opens the photo, gets the page
only as a download, replies by e-mail with a file and sees it on the message; the
customer's mail carries the file. In Chinese and in English."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from kefu.cases.filetypes import POLICY
from kefu.cases.models import Attachment, Message
from kefu.channels.email_in import email_ingest
from kefu.core.models import User
from kefu.core.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.builders import nine_to_six_team
from tests.core.factories import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2a1d1bd0000000049454e44ae426082"
)


def one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


PDF = one_page_pdf("Repair plan: replace the shower tray seal")
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"

WORDS = {
    "zh-hans": {
        "reply": "回复客户",
        "send": "发送回复",
        "text": "您好，维修方案和报价单见附件，请查收。",
    },
    "en": {
        "reply": "Reply to the customer",
        "send": "Send reply",
        "text": "Hello, the repair plan and the quote are attached.",
    },
}


def customer_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "李娜 <lina@example.com>"
    message["To"] = "service@kefu.example"
    message["Subject"] = "卫生间渗水，附照片"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content("照片和物业发来的通知见附件。")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="渗水照片.png")
    message.add_attachment(HTML, maintype="text", subtype="html", filename="通知.html")
    return bytes(message)


@pytest.fixture
def desk(db: None, settings: Settings, tmp_path: Path) -> None:
    # Tasks run inline so outgoing mail lands in the test outbox at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("language", "screen"), [("zh-hans", "desktop"), ("en", "desktop"), ("zh-hans", "phone")]
)
def test_agent_opens_the_customers_files_and_replies_by_email_with_a_file(
    page: Page, live_server: LiveServer, desk: None, language: str, screen: str
) -> None:
    words = WORDS[language]
    if screen == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    shot = f"{language}-{screen}"
    service = make_department()
    agent: User = make_staff(
        username="agent.wang",
        role=Role.AGENT,
        team=nine_to_six_team(service),
        department=service,
        language=language,
    )
    case = email_ingest(raw=customer_mail(), at=timezone.now()).case
    photo = Attachment.objects.get(message__case=case, filename="渗水照片.png")
    notice = Attachment.objects.get(message__case=case, filename="通知.html")

    page.goto(f"{live_server.url}/login/")
    # The sign-in page reads in the desk's default language (Chinese) for everyone.
    page.get_by_label("用户名").fill(agent.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    thread = page.get_by_test_id("thread")
    expect(thread.get_by_role("link", name="渗水照片.png", exact=True)).to_be_visible()
    html_link = thread.get_by_role("link", name="通知.html", exact=True)
    expect(html_link).to_have_attribute("download", "")

    # The photo opens in the browser; the HTML page only ever arrives as a download.
    opened = page.request.get(f"{live_server.url}/cases/files/{photo.pk}/")
    assert opened.headers["content-type"] == "image/png"
    assert opened.headers["content-disposition"].startswith("inline")
    assert opened.body() == PNG
    with page.expect_download() as download_info:
        html_link.click()
    download = download_info.value
    assert download.suggested_filename == "通知.html"
    fetched = page.request.get(f"{live_server.url}/cases/files/{notice.pk}/")
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert fetched.headers["content-security-policy"] == POLICY

    page.get_by_test_id("reply-channel").select_option("email")
    page.get_by_label(words["reply"]).fill(words["text"])
    page.locator("#id_attachments").set_input_files(
        [
            FilePayload(name="维修方案.pdf", mimeType="application/pdf", buffer=PDF),
            FilePayload(name="报价单.png", mimeType="image/png", buffer=PNG),
        ]
    )
    screenshot(page, f"attachment-reply-form-{shot}")
    page.get_by_role("button", name=words["send"]).click()

    reply = Message.objects.get(case=case, direction=Message.Direction.OUTBOUND, author=agent)
    last = thread.locator("li.out").last
    expect(last).to_contain_text(words["text"])
    expect(last.get_by_role("link", name="维修方案.pdf", exact=True)).to_have_attribute(
        "href", f"/cases/files/{reply.attachments.get(filename='维修方案.pdf').pk}/"
    )
    expect(last.get_by_role("link", name="报价单.png", exact=True)).to_be_visible()
    last.scroll_into_view_if_needed()
    screenshot(page, f"attachment-reply-sent-{shot}")

    # The PDF opens in a new tab, in Chromium's own viewer, under the sandbox policy.
    with page.context.expect_page() as tab_info:
        last.get_by_role("link", name="维修方案.pdf", exact=True).click()
    tab = tab_info.value
    tab.wait_for_load_state()
    for _attempt in range(50):
        if any(frame.url.startswith("chrome-extension://") for frame in tab.frames):
            break
        tab.wait_for_timeout(100)
    assert any(frame.url.startswith("chrome-extension://") for frame in tab.frames), "no viewer"
    tab.wait_for_timeout(1000)
    screenshot(tab, f"attachment-pdf-inline-{shot}")
    tab.close()

    sent = mail.outbox[-1]
    assert sent.to == ["lina@example.com"]
    assert sorted(name for name, _content, _kind in sent.attachments) == [
        "报价单.png",
        "维修方案.pdf",
    ]
    assert (
        next(content for name, content, _kind in sent.attachments if name == "维修方案.pdf") == PDF
    )
