"""What readers and staff see: the public help pages (no sign-in), the staff pages,
the case page's panel inserting an article into the reply, images by permission."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.services.cases import case_reply
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.kb import services
from kefu.kb.models import Article, ZeroResultSearch
from tests.cases.builders import make_contact, open_case
from tests.kb.builders import NOW, make_article

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_help_article_in_the_visitors_language_with_the_other_switchable(
    agent: User, lead: User
) -> None:
    make_article(
        author=agent,
        reviewer=lead,
        slug="leak",
        title_zh="卫生间渗水怎么办",
        title_en="Water leaking in the bathroom",
        body_en="Turn off the **main valve**.",
    )

    english = Client().get("/kb/help/a/leak/?lang=en").content.decode()
    chinese = Client().get("/kb/help/a/leak/").content.decode()

    assert "Water leaking in the bathroom" in english
    assert "<strong>main valve</strong>" in english
    assert 'href="?lang=zh-hans"' in english
    assert "卫生间渗水怎么办" in chinese
    assert 'href="?lang=en"' in chinese


def test_help_article_missing_in_the_visitors_language_says_so(agent: User, lead: User) -> None:
    make_article(author=agent, reviewer=lead, slug="leak", title_zh="卫生间渗水怎么办")

    page = Client().get("/kb/help/a/leak/?lang=en").content.decode()

    assert "卫生间渗水怎么办" in page
    assert 'data-testid="help-missing"' in page
    assert 'data-testid="help-other-language"' not in page


def test_internal_articles_and_drafts_never_reach_the_help_pages(agent: User, lead: User) -> None:
    make_article(
        author=agent, reviewer=lead, slug="secret", audience="internal", title_zh="内部退款渗水"
    )
    make_article(author=agent, reviewer=lead, slug="draft", publish=False, title_zh="草稿渗水")
    make_article(author=agent, reviewer=lead, slug="leak", title_zh="卫生间渗水")
    visitor = Client()

    assert visitor.get("/kb/help/a/secret/").status_code == 404
    assert visitor.get("/kb/help/a/draft/").status_code == 404
    home = visitor.get("/kb/help/").content.decode()
    results = visitor.get("/kb/help/search/?q=渗水").content.decode()
    for page in (home, results):
        assert "卫生间渗水" in page
        assert "内部退款" not in page
        assert "草稿" not in page


def test_a_help_search_without_results_is_listed_for_the_content_owner(
    lead: User, client_for: ClientFor
) -> None:
    Client().get("/kb/help/search/?q=发票抬头")

    assert ZeroResultSearch.objects.get().count == 1
    page = client_for(lead).get("/kb/searches/").content.decode()
    assert "发票抬头" in page


def test_did_this_help_counts_once_per_visitor(agent: User, lead: User) -> None:
    make_article(author=agent, reviewer=lead, slug="leak")
    visitor = Client()

    visitor.post("/kb/help/a/leak/feedback/", {"helpful": "yes"})
    visitor.post("/kb/help/a/leak/feedback/", {"helpful": "yes"})
    Client().post("/kb/help/a/leak/feedback/", {"helpful": "no"})

    article = Article.objects.get(slug="leak")
    assert (article.helpful_yes, article.helpful_no) == (1, 1)
    assert 'data-testid="help-thanks"' in visitor.get("/kb/help/a/leak/").content.decode()


def test_the_preview_renders_sanitized_markdown(agent: User, client_for: ClientFor) -> None:
    response = client_for(agent).post(
        "/kb/preview/", {"body_zh": "**粗体**<script>alert(1)</script>", "body_en": ""}
    )

    html = response.content.decode()
    assert "<strong>粗体</strong>" in html
    assert "<script>" not in html


def test_an_agent_writes_and_sends_for_review_a_lead_publishes(
    agent: User, lead: User, client_for: ClientFor
) -> None:
    from tests.kb.builders import make_category

    category = make_category()
    writer = client_for(agent)
    response = writer.post(
        "/kb/new/",
        {
            "category": category.pk,
            "audience": "public",
            "slug": "invoice",
            "title_zh": "发票怎么开",
            "body_zh": "在订单页申请。",
            "title_en": "",
            "body_en": "",
        },
    )
    article = Article.objects.get(slug="invoice")
    assert response["Location"] == f"/kb/{article.pk}/"
    writer.post(f"/kb/{article.pk}/submit/")
    writer.post(f"/kb/{article.pk}/publish/")
    assert Article.objects.get(pk=article.pk).status == "in_review"  # refused to the agent

    client_for(lead).post(f"/kb/{article.pk}/publish/")

    assert Article.objects.get(pk=article.pk).status == "published"
    versions = writer.get(f"/kb/{article.pk}/versions/").content.decode()
    assert str(lead) in versions
    assert str(agent) in versions
    assert 'data-testid="missing-en"' in writer.get("/kb/").content.decode()


def test_images_are_public_for_public_articles_and_staff_only_otherwise(
    agent: User, lead: User, client_for: ClientFor, tmp_path: object, settings: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    public = make_article(author=agent, reviewer=lead, slug="leak")
    internal = make_article(author=agent, reviewer=lead, slug="secret", audience="internal")
    images = [
        services.article_image_add(
            actor=agent,
            article=article,
            upload=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
            at=NOW,
        )
        for article in (public, internal)
    ]

    assert Client().get(f"/kb/images/{images[0].pk}/").status_code == 200
    assert Client().get(f"/kb/images/{images[1].pk}/").status_code == 404
    staff = client_for(agent).get(f"/kb/images/{images[1].pk}/")
    assert staff.status_code == 200
    assert staff["Content-Type"] == "image/png"
    assert staff["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_an_image_is_refused(agent: User, lead: User) -> None:
    article = make_article(author=agent, reviewer=lead)

    with pytest.raises(DomainError) as refused:
        services.article_image_add(
            actor=agent,
            article=article,
            upload=SimpleUploadedFile("a.png", b"<svg onload=alert(1)>", content_type="image/png"),
            at=NOW,
        )
    assert refused.value.code == "kb_bad_image"


def test_the_case_panel_suggests_and_inserts_an_article(
    agent: User, lead: User, client_for: ClientFor
) -> None:
    article = make_article(
        author=agent,
        reviewer=lead,
        slug="leak",
        title_zh="卫生间渗水怎么办",
        body_zh="## 步骤\n\n先**关闭**总阀。",
    )
    case = open_case(when="2026-12-01 10:00", owner=agent, body="我家卫生间渗水，楼下天花板湿了")
    desk = client_for(agent)

    panel = desk.get(f"/kb/case/{case.pk}/suggestions/").content.decode()
    assert "卫生间渗水怎么办" in panel
    linked = desk.post(
        f"/kb/case/{case.pk}/insert/", {"article": article.pk, "mode": "link", "body": "您好，"}
    ).content.decode()
    texted = desk.post(
        f"/kb/case/{case.pk}/insert/", {"article": article.pk, "mode": "text", "body": ""}
    ).content.decode()

    assert 'id="id_body"' in linked
    assert "您好，\n\n卫生间渗水怎么办: http://testserver/kb/help/a/leak/?lang=zh-hans" in linked
    assert ">步骤\n\n先关闭总阀。</textarea>" in texted


def test_the_case_panel_is_refused_to_who_may_not_work_the_case(
    make_user: Callable[..., User], client_for: ClientFor
) -> None:
    case = open_case(when="2026-12-01 10:00", contact=make_contact())
    inspector = make_user("qa_inspector", username="qa.sun")

    assert client_for(inspector).get(f"/kb/case/{case.pk}/suggestions/").status_code == 403
    assert Client().get(f"/kb/case/{case.pk}/suggestions/").status_code == 302


def test_an_agent_proposes_a_draft_from_a_sent_reply(
    agent: User, lead: User, client_for: ClientFor
) -> None:
    make_article(author=agent, reviewer=lead)  # a category exists
    case = open_case(when="2026-12-01 10:00", owner=agent, subject="总阀在哪里")
    reply = case_reply(actor=agent, case=case, body="总阀在厨房水槽下面。", at=NOW)
    desk = client_for(agent)

    assert "kb-propose" in desk.get(f"/kb/case/{case.pk}/suggestions/").content.decode()
    note = desk.post(f"/kb/case/{case.pk}/propose/", {"message": reply.pk}).content.decode()

    draft = Article.objects.get(source_message_id=reply.pk)
    assert (draft.status, draft.title_zh, draft.body_zh) == ("draft", "总阀在哪里", reply.body)
    assert draft.versions.get().action == "proposed"
    assert f"/kb/{draft.pk}/edit/" in note
