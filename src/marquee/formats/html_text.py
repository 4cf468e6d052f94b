"""Film facts from the visible text of older page layouts: labelled sections.

IMDb's pages before 2020 (and many sites copying them) show facts as a label and text:
``<h4 class="inline">Taglines:</h4> Sometimes the most unlikely…``, ``Runtime: 120 min |
USA: 126 min (director's cut)``, a "Did You Know?" block with Trivia, Goofs and Quotes,
a User Reviews block, a cast table. The page is flattened into blocks (headings, text,
table rows); a known label (a heading, a ``<dt>``, a ``…__label`` span, or "Label:" at the
start of a block) opens a section that runs to the end of the block holding the label, or
to the next label. Deeper headings inside a section (a goof category, a review's title)
stay in it. Marquee's own film pages read the same way. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError

from marquee.formats.html_dom import Element, is_noise
from marquee.formats.html_facts import ROLE_NOTES, Facts, clean, imdb_id, parse_date, parse_number
from marquee.formats.html_microdata import parse_heading_title
from marquee.formats.vocab import (
    CURRENCY_BY_SYMBOL,
    NOT_COUNTRIES,
    country_name,
    goof_category,
    is_country,
    language_name,
    section_label,
)
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    EpisodeOf,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)

__all__ = ["Block", "page_blocks", "text_section_facts"]

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "button", "select", "form"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})
_BLOCK = frozenset(
    "address article aside blockquote dd details div dl fieldset figcaption figure footer header hr li main "  # noqa: SIM905 (names, one string)
    "nav ol p pre section table tbody thead tfoot ul br".split()
)
# Link chrome after a section's text: "See more »", "See full summary »", "Edit", "|".
_SEE_MORE = re.compile(
    r"\s*(?:\bSee (?:more|all|full)\b[^»]*»?|\bSee more\b|»|\|\s*$|\bEdit\b\s*$"
    r"|\bAdd (?:Synopsis|Plot)\b)\s*$",
    re.IGNORECASE,
)
# Facts only a film's page has: enough to call a page a movie page with no markup at all.
_FILM_FIELDS = (
    "directors", "stars", "cast", "runtimes", "taglines", "filming_locations", "box_office", "goofs",
)  # fmt: skip
# "120 min", "USA: 126 min (director's cut)", "2 hours 16 minutes", "2h 16m", "USA: (director's cut)".
_RUNTIME = re.compile(
    r"^(?:(?P<country>[^:()\d][^:()]*):\s*)?"
    r"(?:(?P<hours>\d+)\s*(?:h|hr|hrs|hours?|std|stunden?|heures?|horas?|ore|ora|óra)\b\.?,?\s*"
    r"(?:e\s+|y\s+|et\s+|und\s+)?)?"
    r"(?:(?P<minutes>\d+)\s*(?:m|min|mins|minutes?|minuten?|minutos?|minuti|perc)\b\.?)?\s*"
    r"(?:\((?P<note>[^)]+)\))?$",
    re.IGNORECASE,
)
_REVIEW_CHROME = re.compile(
    r"(?i)^(review this title|be the first to review|featured review|\d+ (out of \d+ )?(people|users)\b)"
)
_INLINE_LABEL = re.compile(r"^([^\W\d_][^:\d]{0,40}?)\s*:\s*(.*)$")
# "7.0/10 from 12,168 users", "7.0/10 (12,168 voted)".
_RATING = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*/\s*(\d+)(?:\D+?(\d[\d,.\u00a0 ]*)\s*(?:users|votes|voted|ratings))?"
)
# IMDb's crew categories a page may label ("Producer", "Composers"…), as Marquee's CrewMember.category.
_CREW_CATEGORIES = (
    "producer", "composer", "cinematographer", "editor", "casting_director", "production_designer",
)  # fmt: skip
_CURRENCIES = {**CURRENCY_BY_SYMBOL, "¥": "JPY", "₹": "INR"}
_MONEY = re.compile(r"(?P<cur>[$€£¥₹]|\b[A-Z]{3}\b)\s?(?P<amount>\d[\d,.\u00a0 ]*\d|\d)")


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


def _is_content(block: Block) -> bool:
    """Whether a block says something: not a bracketed note, a label, or navigation ("Edit")."""
    text = _strip_more(block.text, block.links).strip() if block.kind == "text" else block.text.strip()
    return bool(text) and not re.fullmatch(r"\(.*\)|.*:", text)


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


@dataclass
class _Section:
    label: str
    line: int
    blocks: list[Block]
    tag: str = ""  # the heading's tag (h2…), "" for an inline "Label:"
    heading: str = ""  # the label as the page shows it ("Regie", "Director:")


def _deeper(tag: str, than: str) -> bool:
    """``h3`` under ``h2``: a subheading of the section, not a new one."""
    ranks = [int(t[1]) if re.fullmatch(r"h[1-6]", t) else 0 for t in (tag, than)]
    return bool(ranks[0] and ranks[1] and ranks[0] > ranks[1])


_Reader = Callable[[_Section, Facts], None]


def text_section_facts(root: Element) -> Facts | None:
    """Facts from labelled text sections; None when the page has none Marquee knows."""
    blocks = page_blocks(root)
    sections = _sections(blocks)
    if not sections:
        return None
    facts = Facts("text sections", sections[0].line)
    facts.localized = [s.heading.strip().rstrip(":").strip() for s in sections if _localized(s.heading)]
    for section in sections:
        try:
            _READERS[section.label](section, facts)
        except (ValueError, ValidationError) as err:  # a value the record refuses: report, go on
            facts.note(
                f"{section.label} section could not be read ({type(err).__name__}); not kept", section.line
            )
    for block in blocks:  # "Cidade de Deus (original title)", in IMDb 2014 inside the heading
        original = _ORIGINAL_TITLE.search(block.text) if block.kind in ("text", "heading") else None
        if original and "original_title" not in facts.values:
            facts.put("original_title", original.group("title").strip())
    heading = next((b for b in blocks if b.tag == "h1"), None)
    if heading is not None:
        shown = _ORIGINAL_TITLE.sub("", heading.text)
        shown = re.sub(r"\s*More at IMDb\s*Pro\s*»?\s*$", "", shown)
        for key, value in parse_heading_title(shown).items():
            if key != "unknown_kind":
                facts.put(key, value)
    found = [name for name in _FILM_FIELDS if name in facts.values]
    if found:
        facts.evidence = "film sections: " + ", ".join(found)
    return facts if facts.values or facts.notes else None


# "Cidade de Deus (original title)", '"The Two Faces of January" (original title)', and localized.
_ORIGINAL_TITLE = re.compile(
    r"(?:^|(?<=\)\s)|(?<=\))\s*)\"?(?P<title>[^\"()]+?)\"?\s*"
    r"\((?:original title|originaltitel|titre original|"
    r"título original|titulo original|titolo originale|eredeti cím)\)\s*$",
    re.IGNORECASE,
)


def _label_key(text: str) -> str:
    key = " ".join(text.lower().strip().rstrip(":").split())
    return re.sub(r"\s*\((?:wga|dga)\)\s*$|\s+(?:more|see more)\s*»?$", "", key).rstrip(" :")


# English labels the localized vocabulary also knows (vocab.SECTION_LABELS): not a sign of a localized page.
_ENGLISH_ALIASES = frozenset(
    {"written by", "writer wga", "writers wga", "theatrical release", "in theaters", "original language"}
    | {"running time", "synopsis", "cast", "star", "director"}
)


def _localized(text: str) -> bool:
    """Whether a label was read through the localized vocabulary (``"Regie"``, not ``"Director"``)."""
    key = _label_key(text)
    return key not in _LABELS and key not in _ENGLISH_ALIASES and len(key) < 60 and bool(section_label(key))


def _label(text: str, heading: bool = False) -> str | None:
    """The section a label opens; headings may also say "Cast overview, first billed only"."""
    key = _label_key(text)
    if key in _LABELS:
        return _LABELS[key]
    if heading and key.startswith("cast") and len(key) < 60:
        return "cast"
    localized = section_label(key) if len(key) < 60 else None
    return _LABELS.get(localized) if localized else None


def _sections(blocks: list[Block]) -> list[_Section]:
    """Known labels and the blocks under each, up to the end of the label's block or the next label."""
    sections: list[_Section] = []
    current: _Section | None = None
    scope = 0
    cards: _Section | None = None
    for block in blocks:
        if block.tag == "cast-card":  # a cast card stands alone, wherever its "Top cast" heading is
            if cards is None:
                cards = _Section("cast", block.line, [])
                sections.append(cards)
            cards.blocks.append(block)
            continue
        if block.kind == "end":
            if current is not None and block.scope == scope:
                if any(_is_content(b) for b in current.blocks):
                    current = None
                else:  # a heading alone in its wrapper (IMDb 2006–10: <div class="headerinline"><h3>)
                    scope = -1  # labels what follows, up to the next heading or label
            continue
        if block.kind == "heading":
            label = _label(block.text, heading=True)
            if label is None and current is not None and _deeper(block.tag, current.tag):
                # "Anachronisms" under Goofs, a review's title under User reviews: part of the section
                current.blocks.append(Block("subheading", block.line, block.text))
                continue
            current = _Section(label, block.line, [], block.tag, block.text) if label else None
            scope = block.scope
            if current:
                sections.append(current)
            continue
        inline = _INLINE_LABEL.match(block.text) if block.kind == "text" else None
        if inline and _label(inline.group(1)):
            current = _Section(_label(inline.group(1)) or "", block.line, [], heading=inline.group(1))
            sections.append(current)
            if inline.group(2):  # "Taglines: Sometimes…" is a whole section in one block
                current.blocks.append(Block("text", block.line, inline.group(2), links=block.links))
                current = None
            continue
        if current is not None:
            current.blocks.append(block)
    return [s for s in sections if s.blocks]


# Links that are navigation, not a value: "more", "full summary", "full synopsis", "(view trailer)",
# "See more", "More at IMDbPro »", "Edit"… When a block ends with one, it is cut off with its separators.
_NAV_LINK = re.compile(
    r"(?i)^\(?(?:more|more\.\.\.|see (?:more|all|full)\b.*|full (?:summary|synopsis|cast.*|credits)"
    r"|view (?:trailer|more|all).*|edit|add .*|more at imdbpro.*|show (?:more|all).*|read more"
    r"|plot summary|plot synopsis|full review)\)?\s*»?$"
)


def _strip_more(text: str, links: dict[str, str] | None = None) -> str:
    """``text`` without the navigation at its end: "See more »", links such as "more" or "full summary"."""
    nav = sorted((t for t in (links or {}) if t and _NAV_LINK.match(t)), key=len, reverse=True)
    if text.strip() in nav:
        return ""  # the block is only a navigation link
    previous = None
    while previous != text:
        previous = text
        for link in nav:
            for form in (link, f"({link})"):
                if text.endswith(form) and len(text) > len(form):
                    text = text[: -len(form)].rstrip(" |»(").strip()
        text = _SEE_MORE.sub("", text).strip()
        text = re.sub(r"\s*\((?:more|view trailer)\)\s*$", "", text)
    return text


def _texts(section: _Section) -> list[str]:
    return [t for t in (_strip_more(b.text, b.links) for b in section.blocks if b.kind == "text") if t]


def _read_list(name: str) -> _Reader:
    def read(section: _Section, facts: Facts) -> None:
        facts.put(name, facts.values.get(name, []) + _texts(section))

    return read


def _read_locations(section: _Section, facts: Facts) -> None:
    # A place with IMDb's note, "Nashville, Tennessee, USA (exterior scenes: …)", is kept whole: the note
    # says what was filmed there.
    places = [
        re.sub(r"(?<=[^\s(])\(", " (", text) for text in _texts(section)
    ]  # "USA(exterior…": a lost space
    facts.put("filming_locations", facts.values.get("filming_locations", []) + places)


def _names(section: _Section) -> list[tuple[str, str | None]]:
    """Names in "A, B | See full cast" or "A (novel), B (screenplay)", with ids from their links."""
    names = []
    # On IMDb every person is a link to their /name/ page: where the section has such links, text that is
    # no such link ("Photo Gallery", "more", "3 more credits") is no person.
    linked = {
        " ".join(t.split()) for b in section.blocks for t, href in b.links.items() if imdb_id(href, "name")
    }
    for block in section.blocks:
        if block.kind != "text":
            continue
        text = re.sub(r"\([^)]*\)", "", _strip_more(block.text, block.links))
        text = re.sub(r"\b\d+ more credits?\b", "", text)
        parts = re.split(r"\s*[,|]\s*|\s+and\s+|\s+&\s+", text)
        people = [t for t in block.links if t.strip() and not _NAV_LINK.match(t)]
        rest = text
        for person in people:
            rest = rest.replace(person, " ", 1)
        if len(people) > 1 and len(parts) < len(people) and not re.search(r"[^\W\d]", rest):
            parts = people  # Letterboxd: one link a person, no commas between them
        for name in parts:
            name = name.strip(" .")
            # A name has letters: "4.9K" next to a list is a count from the neighbouring widget.
            if not re.search(r"[^\W\d]{2}", name) or re.match(r"(?i)^(see|and)\b", name) or "(" in name:
                continue
            if linked and name not in linked:
                continue
            names.append((name, imdb_id(block.links.get(name), "name")))
    return names


def _read_people(name: str) -> _Reader:
    def read(section: _Section, facts: Facts) -> None:
        facts.put(name, [PersonRef(name=n, id=i) for n, i in _names(section)])

    return read


def _read_stars(section: _Section, facts: Facts) -> None:
    facts.put("stars", [n for n, _ in _names(section)])


def _read_genres(section: _Section, facts: Facts) -> None:
    """Genres: the texts of genre links where the block has them (Letterboxd's "crime drama action" is
    three links), else the text split at "|", "/" or ","."""
    genres = []
    for block in section.blocks:
        if block.kind != "text":
            continue
        linked = [t for t, href in block.links.items() if "genre" in href.lower() and t.strip()]
        genres.extend(linked or [_strip_more(block.text, block.links)])
    facts.put("genres", genres)


def _read_plot(section: _Section, facts: Facts) -> None:
    texts = [re.sub(r"\s*[-—]?\s*Written by\b.*$", "", t) for t in _texts(section)]
    texts = [
        re.sub(r"\s+—\s*[\w.@<>-]+$", "", t) for t in texts
    ]  # "… to the Galaxy. — Jwelch5742": its author
    texts = [t for t in texts if t and not re.match(r"(?i)^(plot summary|plot keywords|add synopsis)", t)]
    if texts:
        facts.put("plot", texts[0])


def _read_release(section: _Section, facts: Facts) -> None:
    """ "8 March 1985 (USA)", "8 March 1985 (USA) (premiere)", Marquee's "June 1999 (UK, limited)"."""
    for text in _texts(section):
        match = re.match(r"^(?P<date>[^(]+?)\s*(?:\((?P<country>[^)]+)\))?\s*(?:\((?P<note>[^)]+)\))?$", text)
        unknown = bool(match and match.group("date").lower() == "date unknown")  # Marquee: no date, a country
        date = parse_date(match.group("date")) if match and not unknown else None
        if match is None or (date is None and not unknown):
            facts.note(f"Release Date {text!r} is not a date; not kept", section.line)
            continue
        country, note = match.group("country"), match.group("note")
        if note is None and country and ", " in country:
            country, note = country.split(", ", 1)
        release = ReleaseDate(date=date, country=country, note=note)
        facts.put("release_dates", [*facts.values.get("release_dates", []), release])


def _read_runtime(section: _Section, facts: Facts) -> None:
    runtimes = []
    for part in (p.strip() for t in _texts(section) for p in re.split(r"\||\s/\s", t)):
        if not part:
            continue
        runtime = _runtime(part)
        if runtime is None:
            facts.note(f"Runtime part {part!r} is not 'N min'; not kept", section.line)
        else:
            runtimes.append(runtime)
    facts.put("runtimes", runtimes)


def _runtime(part: str) -> Runtime | None:
    """ "120 min", "USA: 126 min (director's cut)", "2 hours 16 minutes", "91 min (USA, director's cut)",
    and, with the minutes lost, "USA: (director's cut)" or "USA (director's cut), length not given"."""
    lost = re.fullmatch(r"(?i)(?P<where>.*?),?\s*length not given", part)
    if lost:
        where = re.fullmatch(r"(?P<country>[^()]*?)\s*(?:\((?P<note>[^)]+)\))?", lost.group("where"))
        country, note = (where.group("country") or None, where.group("note")) if where else (None, None)
        return Runtime(country=country, note=note)
    match = _RUNTIME.match(part)
    if not match or not any(match.groups()):
        return None
    hours, minutes = match.group("hours"), match.group("minutes")
    total = int(hours or 0) * 60 + int(minutes or 0) if hours or minutes else None
    country, note = match.group("country"), match.group("note")
    if country is None and note and ", " in note:  # Marquee's "(USA, director's cut)"
        country, note = note.split(", ", 1)
    return Runtime(minutes=total, country=country, note=note)


def _read_money(kind: str, country: str | None = None) -> _Reader:
    def read(section: _Section, facts: Facts) -> None:
        for text in _texts(section):
            if parse_date(text):
                continue  # the date of an opening weekend, on the line after its amount
            match = _MONEY.search(text)
            amount = parse_number(match.group("amount").replace(".", ",")) if match else None
            if match is None or amount is None:
                facts.note(f"{kind} {text!r} is not an amount of money; not kept", section.line)
                continue
            currency = _CURRENCIES.get(match.group("cur"), match.group("cur"))
            notes = re.findall(r"\(([^)]+)\)", text)
            places = [p for p in notes if p.lower() not in NOT_COUNTRIES and not parse_date(p)]
            place = country or (places[0] if places else None)
            entry = BoxOffice(kind=kind, amount=int(amount), currency=currency, country=place)
            facts.put("box_office", [*facts.values.get("box_office", []), entry])

    return read


def _read_goofs(section: _Section, facts: Facts) -> None:
    """Goofs, each "Category: text", or under a category subheading ("Anachronisms")."""
    goofs = []
    heading_category = None
    for block in section.blocks:
        if block.kind == "subheading":
            heading_category = goof_category(block.text)
            continue
        text = _strip_more(block.text) if block.kind == "text" else ""
        if not text:
            continue
        label, _, rest = text.partition(": ")
        category = goof_category(label) if rest else None
        if category:
            goofs.append(Goof(category=category, text=rest))
        else:
            goofs.append(Goof(category=heading_category, text=text))
    facts.put("goofs", [*facts.values.get("goofs", []), *goofs])


def _read_quotes(section: _Section, facts: Facts) -> None:
    """Quote lines "Character: [direction] text"; a blockquote per quote, else one quote."""
    quotes: list[list[QuoteLine]] = [[]]
    for block in section.blocks:
        if block.kind == "group" and quotes[-1]:
            quotes.append([])
        text = _strip_more(block.text) if block.kind == "text" else ""
        if text:
            quotes[-1].append(_quote_line(text))
    found = [Quote(lines=lines) for lines in quotes if lines]
    facts.put("quotes", [*facts.values.get("quotes", []), *found])


def _quote_line(text: str) -> QuoteLine:
    match = re.match(r"^(?P<who>[^:\[\]]{1,60}?)\s*:\s*(?:\[(?P<dir>[^\]]+)\]\s*)?(?P<text>.*)$", text)
    if match:
        return QuoteLine(
            character=match.group("who").strip(), direction=match.group("dir"), text=match.group("text")
        )
    direction = re.fullmatch(r"\[([^\]]+)\]", text)
    return QuoteLine(direction=direction.group(1)) if direction else QuoteLine(text=text)


def _read_reviews(section: _Section, facts: Facts) -> None:
    """Reviews: one per subheading (its title), or the whole section as one (old IMDb layout)."""
    groups: list[tuple[str | None, list[str]]] = []
    for block in section.blocks:
        if block.kind == "subheading":
            groups.append((block.text, []))
        elif block.kind == "text":
            if not groups:
                groups.append((None, []))
            text = _strip_more(block.text)
            if text and not _REVIEW_CHROME.match(text):
                groups[-1][1].append(text)
    reviews = [r for r in (_review(title, texts) for title, texts in groups) if r]
    facts.put("reviews", [*facts.values.get("reviews", []), *reviews])


def _review(title: str | None, texts: list[str]) -> Review | None:
    score: Score | None = None
    author = date = None
    body_parts = []
    for text in texts:
        meta = _review_meta(text)
        if meta is None:
            body_parts.append(text)
        else:
            score, author, date = meta[0] or score, meta[1] or author, meta[2] or date
    body_parts = [t for t in body_parts if len(t.split()) >= 3 or not any(c.isdigit() for c in t)]
    if title is None and len(body_parts) > 1 and len(body_parts[0]) < 200:
        title = body_parts.pop(0)  # old IMDb: the title in <strong> before the text
    if title is None and len(" ".join(body_parts).split()) < 3:
        return None  # a count ("4.9K") or a button, not a review
    body = "\n\n".join(body_parts)
    title_score = re.search(r"\s*\b(\d+(?:\.\d+)?)/(\d+)\s*$", title or "")
    if title and title_score:
        title = title[: title_score.start()].strip()
    found = title_score or re.search(r"\b(\d+(?:\.\d+)?) out of (\d+)(?: stars)?\.?\s*$", body)
    if score is None and found:
        score = Score(value=float(found.group(1)), scale=int(found.group(2)))
    review_date = dt.date.fromisoformat(date) if date and len(date) == 10 else None
    return Review(title=title, body=body, score=score, author=author, date=review_date)


def _review_meta(text: str) -> tuple[Score | None, str | None, str | None] | None:
    """Score, author, date of a review's meta line, or None when the line is none.

    Old IMDb: "12 January 2005 | by MovieFan (USA)"; Marquee: "4.5 out of 5 by MovieFan 12 January 2005".
    """
    rest, score, date = text.strip(), None, None
    match = re.match(r"^(\d+(?:\.\d+)?)\s*(?:out of|/)\s*(\d+)\b\s*", rest)
    if match:
        score = Score(value=float(match.group(1)), scale=int(match.group(2)))
        rest = rest[match.end() :]
    match = re.match(r"^([^|]+?\d{4})\s*\|\s*", rest)
    if match and parse_date(match.group(1)):
        date, rest = parse_date(match.group(1)), rest[match.end() :]
    words = rest.split()
    for size in (3, 2):
        if (
            date is None
            and len(words) >= size
            and words[-1].isdigit()
            and parse_date(" ".join(words[-size:]))
        ):
            date, words = parse_date(" ".join(words[-size:])), words[:-size]
    rest = " ".join(words)
    by = re.fullmatch(r"(?i)by\s+(.+?)(?:\s*\([^)]*\))?", rest)
    author = by.group(1) if by else None
    if (rest and not by) or (score is None and author is None and date is None):
        return None
    return score, author, date


def _read_cast(section: _Section, facts: Facts) -> None:
    cast = []
    for block in section.blocks:
        if block.kind != "row" or block.tag == "header-row":
            continue
        cells = [c for c in (clean(c) for c in block.cells) if c]
        linked = any(imdb_id(href, "name") for href in block.links.values())
        if len(cells) < 2 and "..." not in block.text and not (cells and linked):
            continue  # a label row ("Cast overview, first billed only:"); a lone linked name is a member
        name = cells[0]
        rest = [c for c in cells[1:] if c not in ("...", "…")]
        character = rest[-1] if rest else None
        credited = None
        if character:
            as_match = re.search(r"\s*\(as ([^)]+)\)", character)
            if as_match:
                credited = as_match.group(1).strip()
            # "(voice)", "(uncredited)", "(as …)": notes on the credit, not the character's name
            character = clean(ROLE_NOTES.sub("", character).strip(" /")) or None
        cast.append(
            CastMember(
                name=name,
                id=imdb_id(block.links.get(name), "name"),
                character=character,
                credited_as=credited,
            )
        )
    facts.put("cast", cast)


def _read_rating(section: _Section, facts: Facts) -> None:
    for text in _texts(section):
        match = _RATING.search(text)
        if match:
            counted = match.group(3)
            if counted and re.fullmatch(r"\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+\s*", counted):
                counted = re.sub(r"\D", "", counted)  # "2.151" users: a German thousands separator
            votes = parse_number(counted) if counted else None
            facts.put(
                "rating",
                Rating(
                    value=parse_number(match.group(1)) or 0.0,
                    scale=int(match.group(2)),
                    votes=None if votes is None else int(votes),
                ),
            )
            return
    facts.note("Rating section without 'N/10'; no rating", section.line)


def _read_akas(section: _Section, facts: Facts) -> None:
    """ "Maske", "Untitled Project (USA) (working title)", or as Marquee shows one:
    "Maske (DE, de; working title) original"."""
    titles = []
    for text in _texts(section):
        imdb = _imdb_aka(text)
        if imdb is not None:
            titles.append(imdb)
            continue
        match = re.fullmatch(r"(?P<title>.+?)\s*\((?P<where>[^()]*)\)\s*(?P<original>original)?", text)
        if not match:
            original = text.endswith(" original")
            titles.append(
                AlternateTitle(
                    title=text.removesuffix(" original") if original else text, is_original=original
                )
            )
            continue
        where, _, attributes = match.group("where").partition(";")
        places = [p.strip() for p in where.split(",") if p.strip()]
        titles.append(
            AlternateTitle(
                title=match.group("title"),
                region=places[0] if places else None,
                language=places[1] if len(places) > 1 else None,
                attributes=[a.strip() for a in attributes.split(",") if a.strip()],
                is_original=bool(match.group("original")),
            )
        )
    facts.put("alternate_titles", titles)


def _imdb_aka(text: str) -> AlternateTitle | None:
    """IMDb's "Title (Country) (note) (note)": the group that is a country is the region, the others notes.

    None when the text is not that shape (one bracket holding Marquee's "DE, de; note" is read elsewhere)."""
    groups = re.findall(r"\s*\(([^()]*)\)", text)
    match = re.fullmatch(r"(?P<title>.+?)((?:\s*\([^()]*\))+)", text)
    if not match or not groups or any(";" in g or "," in g for g in groups):
        return None
    region = next((g for g in groups if is_country(g) or re.fullmatch(r"[A-Z]{2,3}", g.strip())), None)
    notes = [g.strip() for g in groups if g is not region and g.strip()]
    return AlternateTitle(title=match.group("title").strip(), region=region, attributes=notes)


def _read_original_title(section: _Section, facts: Facts) -> None:
    texts = _texts(section)
    facts.put("original_title", texts[0] if texts else None)


def _read_episode_of(section: _Section, facts: Facts) -> None:
    """ "The series, season 1, episode 2", the series linked by its /title/ id."""
    links = [href for block in section.blocks for href in block.links.values()]
    series_id = next((found for found in map(imdb_id, links) if found), None)
    if series_id is None:
        facts.note("Episode of: no link to the series; not kept", section.line)
        return
    text = " ".join(_texts(section))
    season, episode = re.search(r"(?i)\bseason (\d+)", text), re.search(r"(?i)\bepisode (\d+)", text)
    facts.put(
        "episode_of",
        EpisodeOf(
            series_id=series_id,
            season=int(season.group(1)) if season else None,
            episode=int(episode.group(1)) if episode else None,
        ),
    )


def _read_crew(category: str) -> _Reader:
    def read(section: _Section, facts: Facts) -> None:
        crew = []
        for block in section.blocks:
            text = _strip_more(block.text) if block.kind == "text" else ""
            for part in (p.strip() for p in re.split(r",\s*(?![^()]*\))", text) if p.strip()):
                match = re.fullmatch(r"(?P<name>[^()]+?)\s*(?:\((?P<job>[^)]+)\))?", part)
                if match:
                    name = match.group("name")
                    person = imdb_id(block.links.get(part) or block.links.get(name), "name")
                    crew.append(CrewMember(name=name, category=category, job=match.group("job"), id=person))
        facts.put("crew", [*facts.values.get("crew", []), *crew])

    return read


def _read_places(name: str, canonical: Callable[[str], str]) -> _Reader:
    """Countries or languages: one a line, or "USA | Malta", "USA / Malta / UK"; in English."""

    def read(section: _Section, facts: Facts) -> None:
        found = list(facts.values.get(name, []))
        for text in _texts(section):
            text = re.sub(r"\s*\([^)]*\)", "", text)  # "French (only a few words)"
            for part in re.split(r"\s*[|/,]\s*", text):
                part = part.strip(" .")
                if part and re.search(r"[^\W\d_]", part) and not re.search(r"\d", part):
                    value = canonical(part)
                    if value not in found:
                        found.append(value)
        facts.put(name, found)

    return read


def _read_outline(section: _Section, facts: Facts) -> None:
    texts = _texts(section)
    if texts:
        facts.put("outline", texts[0])


def _read_comments(section: _Section, facts: Facts) -> None:
    if any(text.lower() == "comments are closed." for text in _texts(section)):
        facts.put("comments_open", False)


def _ignore(section: _Section, facts: Facts) -> None:
    """Container headings ("Did You Know?", "Box Office") hold no text of their own."""


_READERS: dict[str, _Reader] = {
    "taglines": _read_list("taglines"),
    "filming_locations": _read_locations,
    "trivia": _read_list("trivia"),
    "goofs": _read_goofs,
    "quotes": _read_quotes,
    "reviews": _read_reviews,
    "plot": _read_plot,
    "directors": _read_people("directors"),
    "writers": _read_people("writers"),
    "stars": _read_stars,
    "genres": _read_genres,
    "release_dates": _read_release,
    "runtimes": _read_runtime,
    "rating": _read_rating,
    "cast": _read_cast,
    "budget": _read_money("budget"),
    "gross": _read_money("gross"),
    "gross_usa": _read_money("gross", "USA"),
    "gross_us_canada": _read_money("gross", "US & Canada"),
    "opening_weekend": _read_money("opening weekend"),
    "opening_weekend_us_canada": _read_money("opening weekend", "US & Canada"),
    "worldwide_gross": _read_money("cumulative worldwide gross"),
    "alternate_titles": _read_akas,
    "comments": _read_comments,
    "countries": _read_places("countries", country_name),
    "languages": _read_places("languages", language_name),
    "outline": _read_outline,
    "original_title": _read_original_title,
    "episode_of": _read_episode_of,
    **{f"crew:{category}": _read_crew(category) for category in _CREW_CATEGORIES},
    "container": _ignore,
}
_LABELS = {
    **{
        label: f"crew:{c}"
        for c in _CREW_CATEGORIES
        for label in (c.replace("_", " "), c.replace("_", " ") + "s")
    },
    "taglines": "taglines",
    "tagline": "taglines",
    "filming locations": "filming_locations",
    "filming location": "filming_locations",
    "trivia": "trivia",
    "goofs": "goofs",
    "goof": "goofs",
    "quotes": "quotes",
    "quote": "quotes",
    "user reviews": "reviews",
    "user review": "reviews",
    "top cast": "cast",
    "also known as": "alternate_titles",
    "aka": "alternate_titles",
    "alternative title": "alternate_titles",
    "alternative titles": "alternate_titles",
    "country": "countries",
    "countries": "countries",
    "country of origin": "countries",
    "countries of origin": "countries",
    "language": "languages",
    "languages": "languages",
    "plot outline": "outline",
    "outline": "outline",
    "directed by": "directors",
    "writing credits": "writers",
    "writers (wga)": "writers",
    "starring": "stars",
    "user rating": "rating",
    "comments": "comments",
    "original title": "original_title",
    "episode of": "episode_of",
    "storyline": "plot",
    "plot summary": "plot",
    "plot": "plot",
    "director": "directors",
    "directors": "directors",
    "writer": "writers",
    "writers": "writers",
    "star": "stars",
    "stars": "stars",
    "genre": "genres",
    "genres": "genres",
    "release date": "release_dates",
    "release dates": "release_dates",
    "runtime": "runtimes",
    "rating": "rating",
    "ratings": "rating",
    "budget": "budget",
    "gross": "gross",
    "gross usa": "gross_usa",
    "gross us & canada": "gross_us_canada",
    "opening weekend": "opening_weekend",
    "opening weekend usa": "opening_weekend",
    "opening weekend us & canada": "opening_weekend_us_canada",
    "cumulative worldwide gross": "worldwide_gross",
    "gross worldwide": "worldwide_gross",
    "did you know?": "container",
    "did you know": "container",
    "technical specs": "container",
    "box office": "container",
    "details": "container",
    "technical specifications": "container",
}
