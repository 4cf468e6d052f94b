"""The visible text of a saved page as a flat list of blocks: headings, text runs, table rows.

Scripts, styles, forms and navigation noise are skipped; IMDb's 2020s cast cards become cast-table rows;
each heading records the element its section lives in, so a section ends where that element does.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from marquee.formats.html_dom import Element, is_noise

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "button", "select", "form"})


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})


_BLOCK = frozenset(
    "address article aside blockquote dd details div dl fieldset figcaption figure footer header hr li main "  # noqa: SIM905 (names, one string)
    "nav ol p pre section table tbody thead tfoot ul br".split()
)


@dataclass
class Block:
    """A run of the page's visible text: a heading, a paragraph-like block, or a table row."""

    kind: str  # "heading", "subheading", "text", "row", "group" (a blockquote starts), "end" (of a scope)
    line: int
    text: str
    cells: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # link text -> href
    tag: str = ""
    scope: int = 0  # for headings and ends: the element the heading's section lives in


class _Flattener:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.links: dict[str, str] = {}
        self.line = 1
        self.scopes: set[int] = set()  # ids of the elements that hold a heading: its section ends with them

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(Block("text", self.line, text, links=self.links))
        self.parts, self.links = [], {}

    def walk(self, root: Element) -> None:
        """Turn the tree below ``root`` into blocks, in document order (with a stack: no recursion)."""
        # Each frame: an element, its children still to visit, and whether a block ends with it.
        stack: list[tuple[Element, Iterator[Element | str], bool]] = [(root, iter(root.children), False)]
        while stack:
            element, children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if id(element) in self.scopes:
                    self.flush()
                    self.blocks.append(Block("end", element.line, "", scope=id(element)))
                if is_block:
                    self.flush()
                continue
            if isinstance(child, str):
                if not self.parts:
                    self.line = element.line
                self.parts.append(child)
            elif child.tag in _SKIP or is_noise(child):
                continue
            elif child.tag in _HEADINGS or _is_label(child):
                # IMDb's 2020s layout labels its facts with <span class="…__label">Runtime</span>.
                self.flush()
                scope = _scope(child)
                self.scopes.add(id(scope))
                self.blocks.append(Block("heading", child.line, child.text(), tag=child.tag, scope=id(scope)))
            elif child.tag == "img" and "header" in child.attrs.get("src", "") and child.attrs.get("alt"):
                # IMDb 2006–07 drew some headings as images: <img src="header_cast.gif" alt="Cast">
                self.flush()
                scope = _scope(child)
                self.scopes.add(id(scope))
                self.blocks.append(
                    Block("heading", child.line, child.attrs["alt"], tag="img", scope=id(scope))
                )
            elif child.attrs.get("data-testid") == "title-cast-item":
                self.flush()
                self.blocks.append(_cast_card(child))
            elif child.tag == "tr" and not _is_layout_row(child):
                self.flush()
                tags = [c.tag for c in child.children if isinstance(c, Element) and c.tag in ("td", "th")]
                cells = [c.text() for c in child.children if isinstance(c, Element) and c.tag in ("td", "th")]
                header = "header-row" if tags and set(tags) == {"th"} else ""
                self.blocks.append(
                    Block("row", child.line, " ".join(cells), cells=cells, links=_links(child), tag=header)
                )
            elif child.tag == "blockquote":  # one quote (or tagline) per blockquote
                self.flush()
                self.blocks.append(Block("group", child.line, ""))
                stack.append((child, iter(child.children), True))
            elif child.tag in _BLOCK or child.tag == "tr":
                self.flush()
                stack.append((child, iter(child.children), True))
            else:
                if child.tag == "a" and "href" in child.attrs:
                    self.links[child.text()] = child.attrs["href"]
                stack.append((child, iter(child.children), False))


def _scope(heading: Element) -> Element:
    """The block a heading labels: its nearest block-level ancestor (a txt-block div, an li…)."""
    node = heading.parent
    while node is not None and node.parent is not None and node.tag not in _BLOCK | {"td", "li", "body"}:
        node = node.parent
    return node or heading


def _is_layout_row(row: Element) -> bool:
    """A table row used for page layout (holding headings or tables), not a row of data."""
    return any(e.tag in _HEADINGS or e.tag == "table" or _is_label(e) for e in row.iter() if e is not row)


_OLD_HEADERS = frozenset({"blackcatheader", "ch"})  # IMDb before 2006: <b class="ch">Runtime:</b>


def _is_label(element: Element) -> bool:
    classes = element.classes()
    if element.tag == "b" and classes & _OLD_HEADERS:
        return True
    return any(c == "label" or c.endswith("__label") for c in classes)


def _cast_card(card: Element) -> Block:
    """A cast card of IMDb's 2020s layout as a cast-table row: name, "...", character."""
    parts: dict[str, Element] = {}
    for element in card.iter():
        parts.setdefault(element.attrs.get("data-testid", ""), element)
    actor, character = parts.get("title-cast-item__actor"), parts.get("cast-item-characters-link")
    cells = [actor.text() if actor else "", "...", _character_text(character) if character else ""]
    links = _links(actor) if actor else {}
    return Block("row", card.line, " ".join(cells), cells=cells, links=links, tag="cast-card")


def _character_text(link: Element) -> str:
    """A cast card's character: IMDb 2022 writes it twice, "Luke" and a hidden "as Luke"; one is kept."""
    plain = next((e for e in link.iter() if any("CharacterNameWithoutAs" in c for c in e.classes())), None)
    if plain is not None:
        return plain.text()
    kept = [
        e.text() if isinstance(e, Element) else e
        for e in link.children
        if not (isinstance(e, Element) and e.attrs.get("data-testid") == "cast-item-characters-with-as")
    ]
    return " ".join(" ".join(kept).split())


def _links(element: Element) -> dict[str, str]:
    return {e.text(): e.attrs["href"] for e in element.iter() if e.tag == "a" and "href" in e.attrs}


def page_blocks(root: Element) -> list[Block]:
    """The page's visible text as blocks, in reading order."""
    flat = _Flattener()
    flat.walk(root)
    flat.flush()
    return flat.blocks
