"""The Markdown subset renders what members mean and nothing that runs (no browser needed here)."""

from __future__ import annotations

import re

import pytest

from marquee.formats.markdown import ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<b <script>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- --><script>alert(1)</script>",
    '[x](https://example.org/" onmouseover="alert(1))',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_comes_out_inert(text: str) -> None:
    html = render_markdown(text)
    tags = set(re.findall(r"<\s*([a-zA-Z0-9]+)", html))
    assert tags <= ALLOWED_TAGS, tags
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):  # real tags only: escaped text is &lt;…
        assert not re.search(r"\son\w+\s*=", tag), tag
        for href in re.findall(r'href="([^"]*)"', tag):
            assert href.startswith(("http://", "https://", "mailto:")), href
    assert "<script" not in html.lower()


def test_hostile_text_stays_readable() -> None:
    html = render_markdown("<script>alert(1)</script>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_the_subset() -> None:
    text = "**bold** *it* ~~gone~~ `code`\nline\n\n> quoted\n\n- one\n- two\n\n1. first\n\n[site](https://example.org)"
    html = render_markdown(text)
    for part in (
        "<strong>bold</strong>",
        "<em>it</em>",
        "<s>gone</s>",
        "<code>code</code>",
        "<br>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        '<a href="https://example.org" rel="nofollow noopener ugc">site</a>',
    ):
        assert part in html, part


def test_headings_images_and_tables_are_not_in_the_subset() -> None:
    html = render_markdown("# Big\n\n![img](https://example.org/x.png)\n\n| a |\n|---|\n| b |")
    assert "<h1" not in html and "<img" not in html and "<table" not in html
    assert "# Big" in html
