"""Members' text to safe HTML: a small Markdown subset, rendered by markdown-it-py, cleaned by nh3.

The subset: paragraphs, line breaks, *emphasis*, **strong**, ~~strike~~, `code`, fenced code,
block quotes, lists and [links](https://…). Raw HTML is shown as text, never interpreted; links
may only go to http, https or mailto and open with ``rel="nofollow noopener ugc"``. The nh3 pass
after rendering is a second lock: whatever markdown-it lets through, only the tags below survive.

>>> render_markdown("**Great** film <script>alert(1)</script>")
'<p><strong>Great</strong> film &lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

__all__ = ["ALLOWED_TAGS", "render_markdown"]

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a"})
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The Markdown parser with only the subset's rules on, raw HTML off."""
    md = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False})
    md.enable(["emphasis", "strikethrough", "backticks", "link", "autolink", "escape", "newline", "entity"])
    md.enable(["blockquote", "list", "code", "fence", "paragraph"])
    return md


def render_markdown(text: str) -> str:
    """Markdown subset -> sanitised HTML (safe to insert into a page as is)."""
    html = _parser().render(text)
    return str(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(attrs) for tag, attrs in _ATTRIBUTES.items()},
            url_schemes=set(_URL_SCHEMES),
            link_rel="nofollow noopener ugc",
            strip_comments=True,
        )
    )
