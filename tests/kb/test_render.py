"""Markdown is rendered as CommonMark and sanitized: nothing that runs survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kefu.kb import text


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "hello <script>alert(1)</script> world",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="https://example.com" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
        "<iframe src='https://example.com'></iframe>",
    ],
)
def test_nothing_that_runs_survives(markdown: str) -> None:
    parser = _Elements()
    parser.feed(text.render(markdown))

    assert not {"script", "style", "iframe"} & {tag for tag, _attrs in parser.found}
    for _tag, attrs in parser.found:
        for name, value in attrs:
            assert not name.startswith("on"), (name, value)
            assert not (value or "").lower().startswith("javascript:"), (name, value)


def test_a_script_typed_in_markdown_is_shown_as_text() -> None:
    assert text.render("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_a_javascript_link_is_no_link() -> None:
    assert "<a" not in text.render("[click](javascript:alert(1))")


def test_markdown_renders_headings_lists_links_and_own_images() -> None:
    html = text.render(
        "# 标题\n\n- 一\n- 二\n\n[官网](https://example.com)\n\n![图](/kb/images/3/)"
    )

    assert "<h1>标题</h1>" in html
    assert "<li>一</li>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">官网</a>' in html
    assert '<img src="/kb/images/3/" alt="图">' in html


def test_an_image_from_elsewhere_is_not_loaded() -> None:
    html = text.render("![tracker](https://evil.example/pixel.png)")

    assert "evil.example" not in html


def test_reply_text_keeps_paragraphs_and_drops_marks_and_images() -> None:
    assert text.reply_text(
        "## 步骤\n\n**关闭**总阀。\n\n![图](/kb/images/3/)\n\n[联系](https://x.cn)"
    ) == ("步骤\n\n关闭总阀。\n\n联系")


def test_synonym_variants_replace_each_word_of_the_group() -> None:
    assert text.variants("怎么退货", [["退货", "退换货"], ["发票", "开票"]]) == [
        "怎么退货",
        "怎么退换货",
    ]
