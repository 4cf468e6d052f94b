"""A page's element tree, parsed by libxml2's forgiving HTML parser (``lxml``); pure, no I/O.

The HTML page readers (JSON-LD, ``__NEXT_DATA__``, microdata, Open Graph, text sections)
all walk this one tree, so a page is parsed once. ``lxml`` does the parsing (in C: about ten
times faster than the stdlib ``html.parser`` this module used to drive by hand, see
BENCHMARKS.md); this module only copies its tree into the small ``Element`` the readers know
(tag, attributes, the line, children as elements and text), dropping comments. Each element
keeps its line, which the diagnostics quote (``lxml`` gives the line where the start tag ends; libxml2
keeps an element's line in 16 bits, so lines past 65,535 read as 65,535: saved pages have about 12,000
at most).
Real pages are sloppy: libxml2 recovers from stray end tags and implies the optional end tags
of ``p``, ``li``, ``td``/``th``, ``tr``, ``dt``/``dd`` and ``option`` as browsers do.

Bounded for hostile input: elements nest at most ``limits.MAX_NESTING`` deep. Deeper ones are
kept, with their text, but flattened: they become siblings inside the deepest allowed element
(``Element.flattened`` on the root gives the line of the first), so a document nested 100,000
deep is built in linear time and nothing here, or in the readers that walk the tree, recurses.
(libxml2 itself stops at 2048 levels: such a page is parsed again with its deep tags cut first.)
Control characters other than whitespace (a stray NUL, C1 codes) are dropped before parsing.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from marquee.limits import MAX_NESTING

__all__ = ["Element", "is_noise", "parse_dom"]

# Elements without an end tag: a hostile page's deep tags are counted without them.
VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())  # noqa: SIM905
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
_META_TAG = re.compile(r"<meta\b[^<>]{0,8192}>", re.IGNORECASE)  # longer: no description, left as parsed
_FIRST_CONTENT = re.compile(r'\bcontent\s*=\s*"([^"]*)"', re.IGNORECASE)


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


def _cut_meta_contents(html: str) -> dict[str, str]:
    """``{the content a parser reads: the whole content}`` of the ``<meta>`` tags whose content holds
    unescaped quotes (see ``_meta_content``); usually empty."""
    fixes: dict[str, str] = {}
    for match in _META_TAG.finditer(html):
        tag = match.group(0)
        first, whole = _FIRST_CONTENT.search(tag), _meta_content(tag)
        if first is not None and whole is not None and whole != first.group(1):
            fixes[html_module.unescape(first.group(1))] = html_module.unescape(whole)
    return fixes


# Inline SVG icons are a third of the tags of an IMDb page and hold no facts: they are cut
# before parsing (keeping their newlines, so line numbers stay true).
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
# Any tag, for cutting the deep ones out of a page nested deeper than libxml2 goes.
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)[^<>]*>")


def _parser() -> etree.HTMLParser:
    # huge_tree: a text node (a page's __NEXT_DATA__ JSON) may pass libxml2's 10 MB default; pages are
    # bounded by limits.MAX_FILE_BYTES before they get here. Comments and processing instructions are
    # dropped by the parser itself; nothing is fetched.
    return etree.HTMLParser(
        recover=True,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        encoding="utf-8",
    )


# libxml2 compares each attribute of a start tag with every one before it: a tag with 100,000 attributes
# takes minutes. A start tag this long (no "<" or ">" in it) is looked at, and the attributes past the
# first _MAX_ATTRIBUTES dropped; no real page comes near (an IMDb page's longest has a few dozen).
_LONG_TAG = re.compile(r"<[a-zA-Z][^<>]{20000}")
_TAG_REST = re.compile(r"[^<>]*")
_TAG_NAME = re.compile(r"[a-zA-Z][^\s/<>]*")
_ATTRIBUTE = re.compile(r"""\s*[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?""")
_MAX_ATTRIBUTES = 1000


def _cap_attributes(html: str) -> str:
    """``html`` with the attributes of a start tag past the first ``_MAX_ATTRIBUTES`` cut (their newlines
    kept); linear: each search resumes where the last tag ended."""
    parts: list[str] = []
    done = 0
    while (start := _LONG_TAG.search(html, done)) is not None:
        end = _TAG_REST.match(html, start.end()).end()  # type: ignore[union-attr]  # [^<>]* always matches
        name = _TAG_NAME.match(html, start.start() + 1).end()  # type: ignore[union-attr]  # a letter is there
        for count, attribute in enumerate(_ATTRIBUTE.finditer(html, name, end)):
            if count == _MAX_ATTRIBUTES:
                parts += [html[done : attribute.start()], "\n" * html.count("\n", attribute.start(), end)]
                done = end
                break
        else:
            parts.append(html[done:end])
            done = end
    parts.append(html[done:])
    return "".join(parts)


def parse_dom(html: str) -> Element:
    """The document's element tree; never raises on malformed markup."""
    html = _cut_svg(_CONTROLS.sub("", html))
    if _LONG_TAG.search(html):
        html = _cap_attributes(html)
    root, too_deep = _parse(html)
    if too_deep:
        # libxml2 stopped at its depth limit and dropped the rest of the page: cut the tags nested deeper
        # than MAX_NESTING first, keeping their text (a hostile page; no real one comes near).
        html, line = _flatten_source(html)
        root, _ = _parse(html)
        root.flattened = line
    return root


def _parse(html: str) -> tuple[Element, bool]:
    """The tree of ``html`` and whether libxml2 gave up at its depth limit."""
    parser = _parser()
    document = Element("#document", {}, 1)
    if not html.strip():
        return document, False
    tree = etree.fromstring(html.encode("utf-8", errors="replace"), parser)
    too_deep = any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)
    if tree is not None:
        _copy(tree.getroottree().getroot(), document, _cut_meta_contents(html) if "<meta" in html else {})
    return document, too_deep


def _copy(top: etree._Element, document: Element, meta_fixes: dict[str, str]) -> None:
    """Copy ``lxml``'s tree under ``document`` as ``Element``s, without recursion; an element deeper than
    MAX_NESTING is kept, but its text and children follow it in the deepest allowed element."""
    # Each entry: an lxml element, or a text (an element's text or tail), with where it goes and its depth.
    # (Written for speed: this loop is most of the time a page takes to parse.)
    stack: list[tuple[etree._Element | str, Element, int]] = [(top, document, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, parent, depth = pop()
        if isinstance(node, str):
            parent.children.append(node)
            continue
        tail = node.tail
        if tail:
            push((tail, parent, depth))  # after the element and all below it
        tag: object = node.tag  # a str, but a function for comments and entities
        if not isinstance(tag, str):  # a comment or an entity the parser kept: only its tail is text
            continue
        attrs: dict[str, str] = dict(node.items())  # type: ignore[arg-type]  # not .attrib: "{x}y" is a name here
        if meta_fixes and tag == "meta" and attrs.get("content") in meta_fixes:
            attrs = {k: v for k, v in attrs.items() if k in _META_ATTRS}  # drop the words of the cut text
            attrs["content"] = meta_fixes[attrs["content"]]
        line: int | None = node.sourceline  # type: ignore[assignment]  # the stubs leave it untyped
        element = Element(tag, attrs, line or parent.line, parent)
        parent.children.append(element)
        holder = element
        if depth > MAX_NESTING:
            holder = parent
            if document.flattened is None:
                document.flattened = element.line
        if len(node):
            deeper = depth + 1
            for child in reversed(node):
                push((child, holder, deeper))
        text = node.text
        if text:
            push((text, holder, depth))


def _flatten_source(html: str) -> tuple[str, int | None]:
    """``html`` without the start and end tags nested deeper than MAX_NESTING (their text kept), counting
    every start tag of a non-void element as opening one; and the line of the first tag cut."""
    parts: list[str] = []
    done, depth, first = 0, 0, None
    for match in _TAG.finditer(html):
        closing, tag = match.group(1), match.group(2).lower()
        if tag in VOID or match.group(0).endswith("/>"):
            continue
        depth += -1 if closing else 1
        if (depth > MAX_NESTING and not closing) or (closing and depth >= MAX_NESTING):
            parts += [html[done : match.start()], "\n" * match.group(0).count("\n")]
            done = match.end()
            if first is None:
                first = html.count("\n", 0, match.start()) + 1
        depth = max(depth, 0)
    parts.append(html[done:])
    return "".join(parts), first
