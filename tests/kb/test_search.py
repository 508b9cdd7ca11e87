"""Search of published articles: Chinese substrings, title matches first, synonyms,
searches without results counted, internal articles only for staff."""

from __future__ import annotations

import pytest

from kefu.core.models import User
from kefu.kb import selectors, services
from kefu.kb.models import Audience, ZeroResultSearch
from tests.kb.builders import NOW, make_article

pytestmark = pytest.mark.django_db


def test_a_chinese_substring_finds_title_matches_before_text_matches(
    agent: User, lead: User
) -> None:
    in_body = make_article(
        author=agent,
        reviewer=lead,
        title_zh="天花板有水渍",
        body_zh="多半是楼上卫生间渗水，请联系物业。",
    )
    in_title = make_article(
        author=agent, reviewer=lead, title_zh="卫生间渗水的处理", body_zh="关闭总阀。"
    )
    make_article(author=agent, reviewer=lead, title_zh="发票怎么开", body_zh="在订单页申请。")

    hits = selectors.search_articles("生间渗", language="zh-hans")

    assert [hit.slug for hit in hits] == [in_title.slug, in_body.slug]
    assert [hit.title_match for hit in hits] == [True, False]
    assert "渗水" in hits[1].excerpt


def test_a_single_chinese_character_matches_by_substring(agent: User, lead: User) -> None:
    article = make_article(author=agent, reviewer=lead, title_zh="发票怎么开", body_zh="申请。")

    assert [hit.slug for hit in selectors.search_articles("票", language="zh-hans")] == [
        article.slug
    ]


def test_english_words_match_as_prefixes(agent: User, lead: User) -> None:
    article = make_article(
        author=agent,
        reviewer=lead,
        title_zh="退款",
        title_en="Refunds",
        body_en="Refunds take five working days.",
        body_zh="退款五个工作日到账。",
    )
    hits = selectors.search_articles("refund work", language="en")
    assert [hit.slug for hit in hits] == [article.slug]
    assert hits[0].title == "Refunds"
    assert hits[0].language == "en"


def test_drafts_and_unpublished_changes_are_not_found(agent: User, lead: User) -> None:
    make_article(author=agent, reviewer=lead, publish=False, title_zh="草稿里的渗水")
    published = make_article(author=agent, reviewer=lead, title_zh="卫生间渗水")
    services.article_update(
        actor=agent,
        article=published,
        fields=services.ArticleFields(
            category=published.category,
            audience=Audience.PUBLIC,
            title_zh="新标题没有那个词",
            title_en="",
            body_zh="新正文",
            body_en="",
        ),
        expected_version=published.version,
        at=NOW,
    )

    hits = selectors.search_articles("渗水", language="zh-hans")
    assert [(hit.slug, hit.title) for hit in hits] == [(published.slug, "卫生间渗水")]
    assert selectors.search_articles("新标题", language="zh-hans", record_misses=False) == []


def test_internal_articles_are_found_only_by_staff_search(agent: User, lead: User) -> None:
    internal = make_article(
        author=agent, reviewer=lead, audience=Audience.INTERNAL, title_zh="退款审批内部流程"
    )

    assert selectors.search_articles("退款审批", language="zh-hans") == []
    staff = selectors.search_articles("退款审批", language="zh-hans", audience="internal")
    assert [hit.slug for hit in staff] == [internal.slug]


def test_a_synonym_finds_the_article_written_with_another_word(agent: User, lead: User) -> None:
    article = make_article(author=agent, reviewer=lead, title_zh="如何申请退换货", body_zh="…")
    assert selectors.search_articles("退货", language="zh-hans", record_misses=False) == []

    services.synonym_create(actor=lead, words="退货, 退换货 退款", at=NOW)

    assert [h.slug for h in selectors.search_articles("退货", language="zh-hans")] == [article.slug]


def test_a_search_without_results_is_counted_per_query_and_language(agent: User) -> None:
    selectors.search_articles("发票抬头", language="zh-hans")
    selectors.search_articles("  发票抬头 ", language="zh-hans")
    selectors.search_articles("发票抬头", language="en", audience="internal")

    rows = {(r.query, r.language, r.audience): r.count for r in ZeroResultSearch.objects.all()}
    assert rows == {("发票抬头", "zh-hans", "public"): 2, ("发票抬头", "en", "internal"): 1}


def test_the_missing_language_is_marked_not_filled(agent: User, lead: User) -> None:
    make_article(author=agent, reviewer=lead, title_zh="卫生间渗水", title_en="")

    (hit,) = selectors.search_articles("渗水", language="en")

    assert hit.language == "zh-hans"
    assert hit.is_translation_missing
    assert hit.title == "卫生间渗水"


def test_suggestions_rank_articles_sharing_the_most_words_first(agent: User, lead: User) -> None:
    best = make_article(author=agent, reviewer=lead, title_zh="卫生间渗水", body_zh="天花板水渍")
    other = make_article(author=agent, reviewer=lead, title_zh="天花板开裂", body_zh="墙面")
    make_article(author=agent, reviewer=lead, title_zh="发票怎么开", body_zh="订单页")

    hits = selectors.suggest_articles("你好，我家卫生间渗水，楼下天花板都湿了", language="zh-hans")

    assert [hit.slug for hit in hits] == [best.slug, other.slug]


@pytest.mark.parametrize("query", ['"', '"渗" OR *', "？？", "title_terms : x", "NEAR(渗水"])
def test_search_syntax_in_a_query_is_only_text(agent: User, lead: User, query: str) -> None:
    make_article(author=agent, reviewer=lead, title_zh="卫生间渗水")

    hits = selectors.search_articles(query, language="zh-hans", record_misses=False)

    assert all(hit.title == "卫生间渗水" for hit in hits)
