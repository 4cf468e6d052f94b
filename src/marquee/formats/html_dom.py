"""A small, forgiving element tree built with the stdlib ``html.parser`` (pure, no I/O).

The HTML page readers (JSON-LD, ``__NEXT_DATA__``, microdata, Open Graph, text sections)
all walk this one tree, so a page is tokenised once. Each element keeps the line it
starts on, which the diagnostics quote. Real pages are sloppy: end tags that close
nothing are dropped, and the optional end tags of ``p``, ``li``, ``td``/``th``, ``tr``,
``dt``/``dd`` and ``option`` are implied the way browsers do it (closely enough).

Bounded for hostile input: elements nest at most ``limits.MAX_NESTING`` deep. Deeper ones are
kept, with their text, but flattened: they become siblings inside the deepest allowed element
(``Element.flattened`` on the root gives the line of the first), so a document nested 100,000
deep is built in linear time and nothing here, or in the readers that walk the tree, recurses.
Control characters other than whitespace (a stray NUL, C1 codes) are dropped before tokenising.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from marquee.limits import MAX_NESTING

__all__ = ["Element", "is_noise", "parse_dom"]

VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())  # noqa: SIM905
# Elements whose start implicitly closes an open <p> (HTML's "closes a p element" list).
_CLOSES_P = frozenset(
    "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 "  # noqa: SIM905 (names, one string)
    "h5 h6 header hr main nav ol p pre section table ul".split()
)
# tag -> (tags it closes when open, tags that fence the search): <li> closes an open <li>
# but not one outside the nearest list.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
}
_SPACES = re.compile(r"\s+")


@dataclass(eq=False)
class Element:
    """One element: tag, attributes, the line it starts on, and children (elements or text)."""

    tag: str
    attrs: dict[str, str]
    line: int
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)
    flattened: int | None = None  # on the root: the line of the first element nested too deep

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Element)]))

    def raw_text(self) -> str:
        """All text below this element, unchanged (for script bodies)."""
        parts: list[str] = []
        for node in self.iter():
            parts.extend(c for c in node.children if isinstance(c, str))
        return "".join(parts)

    def text(self) -> str:
        """The visible text below this element, whitespace collapsed (scripts and styles skipped)."""
        parts: list[str] = []
        _collect_text(self, parts)
        return _SPACES.sub(" ", "".join(parts)).strip()

    def classes(self) -> set[str]:
        """The element's class names."""
        return set(self.attrs.get("class", "").split())


_NO_TEXT = frozenset({"script", "style", "template", "noscript"})
# Containers of other films and site chrome, by id, class or data-testid: IMDb's "People who liked this
# also liked..." (title_recs, rec_overview…), "More like this" (MoreLikeThis), recently viewed, related
# lists and news, navigation bars and footers; Letterboxd's similar films; Rotten Tomatoes' "more" boxes.
# Nothing in them is a fact about the page's film.
_NOISE = re.compile(
    r"^(?:title_?recs|rec_wrapper|rec_overviews?|rec_item|rec_slide|recs?-?widget|lateload-recs-widget|recommend"
    r"|tn15rec|morelikethis|more-like-this|similar-films?|related-films?|recently-?viewed|rvi-div"
    r"|relatedlistswidget|relatednews|related-news|navbar|nb20|nb_extra|footer|imdb-footer|sidebar-ads"
    r"|userlistswidget|poll-widget|poster-list|film-recommendations|watchlist-ribbon)$",
    re.IGNORECASE,
)


def is_noise(element: Element) -> bool:
    """A container of other films or of site chrome (see ``_NOISE``): no fact of the page's film is in it."""
    names = [element.attrs.get("id", ""), element.attrs.get("data-testid", ""), *element.classes()]
    return any(name and _NOISE.match(name) for name in names)


def _collect_text(node: Element, parts: list[str]) -> None:
    stack: list[Element | str] = list(reversed(node.children))
    while stack:
        child = stack.pop()
        if isinstance(child, str):
            parts.append(child)
        elif child.tag not in _NO_TEXT:
            if child.tag == "br":
                parts.append(" ")
            stack.extend(reversed(child.children))


_META_ATTRS = frozenset({"property", "name", "itemprop", "content", "http-equiv", "charset", "lang"})
_ATTR_TAIL = re.compile(r"""^(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>$""")


def _meta_content(tag: str) -> str | None:
    """The whole ``content="…"`` of a ``<meta>`` tag whose text holds unescaped quotes.

    ``<meta property="og:description" content="He said "no" twice">``: a parser ends the value at the
    second quote; here it ends at the first quote after which only attributes and the tag's end follow."""
    start = re.search(r"""\bcontent\s*=\s*"(?=[^>]*")""", tag)
    if start is None:
        return None
    for end in (m.start() for m in re.finditer('"', tag[start.end() :])):
        if _ATTR_TAIL.match(tag[start.end() + end + 1 :]):
            return tag[start.end() : start.end() + end]
    return None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 1)
        self.stack: list[Element] = [self.root]
        self.too_deep = 0  # open elements beyond MAX_NESTING, kept flat (their end tags close nothing)
        self.open: dict[str, int] = {}  # how many elements of each tag are open: most searches end at once

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> dict[str, str]:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in found:
            whole = _meta_content(self.get_starttag_text() or "")
            if whole is not None and html.unescape(whole) != found["content"]:
                found = {k: v for k, v in found.items() if k in _META_ATTRS}  # words of the cut text
                found["content"] = html.unescape(whole)
        return found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._imply_end(tag)
        node = Element(tag, self._attrs(tag, attrs), self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag in VOID:
            return
        if len(self.stack) > MAX_NESTING:
            self.too_deep += 1
            if self.root.flattened is None:
                self.root.flattened = node.line
        else:
            self.stack.append(node)
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._imply_end(tag)
        node = Element(tag, self._attrs(tag, attrs), self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.too_deep:
            self.too_deep -= 1
            return
        if not self.open.get(tag):
            return  # an end tag that closes nothing open: browsers ignore it, so do we
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self._close_from(depth)
                return

    def _close_from(self, depth: int) -> None:
        for node in self.stack[depth:]:
            self.open[node.tag] -= 1
        del self.stack[depth:]

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _imply_end(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close_open("p", frozenset({"p"}), frozenset({"table", "button", "td", "th", "li"}))
        implied = _IMPLIED.get(tag)
        if implied:
            self._close_open(tag, *implied)

    def _close_open(self, tag: str, closes: frozenset[str], fences: frozenset[str]) -> None:
        if not any(self.open.get(name) for name in closes):
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            current = self.stack[depth].tag
            if current in closes:
                self._close_from(depth)
                return
            if current in fences:
                return


# html.parser asserts on a "<![" that opens no CDATA section ("<![if IE]>" and worse): browsers
# show such text, so it becomes text here too.
_BAD_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)", re.IGNORECASE)


# Inline SVG icons are a third of the tags of an IMDb page and hold no facts: they are cut
# before tokenising (keeping their newlines, so line numbers stay true).
# Control characters a page may not carry into a fact (tab, newline, form feed, CR are whitespace).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _cut_svg(html: str) -> str:
    """``html`` with every ``<svg>…</svg>`` blanked, in linear time (an unclosed one ends the search)."""
    parts: list[str] = []
    done = 0
    for start in (m.start() for m in _SVG_START.finditer(html)):
        if start < done:
            continue  # inside an svg already cut
        end = _SVG_END.search(html, start)
        if end is None:
            break
        parts += [html[done:start], "\n" * html.count("\n", start, end.end())]
        done = end.end()
    parts.append(html[done:])
    return "".join(parts)


_SVG_START = re.compile(r"<svg\b", re.IGNORECASE)
_SVG_END = re.compile(r"</svg\s*>", re.IGNORECASE)


def parse_dom(html: str) -> Element:
    """The document's element tree; never raises on malformed markup."""
    html = _CONTROLS.sub("", html)
    html = _cut_svg(html)
    try:
        return _build(_BAD_MARKED_SECTION.sub("&lt;![", html))
    except AssertionError:
        # Any other declaration html.parser cannot take: read every "<!" but comments as text.
        return _build(re.sub(r"<!(?!--)", "&lt;!", html))


def _build(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
