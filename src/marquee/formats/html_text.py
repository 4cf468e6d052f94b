"""Film facts from the visible text of older page layouts: labelled sections.

IMDb's pages before 2020 (and many sites copying them) show facts as a label and text:
``<h4 class="inline">Taglines:</h4> Sometimes the most unlikely…``, ``Runtime: 120 min |
USA: 126 min (director's cut)``, a "Did You Know?" block with Trivia, Goofs and Quotes,
a User Reviews block, a cast table. The page is flattened into blocks (``html_blocks``); a known
label (a heading, a ``<dt>``, a ``…__label`` span, or "Label:" at the start of a block) opens a
section that runs to the end of the block holding the label, or to the next label. Deeper headings
inside a section (a goof category, a review's title) stay in it; each section is read by its reader
(``html_text_read``, ``html_text_numbers``, ``html_text_stories``, each with its table of readers).
Marquee's own film pages read the same way. Pure: no I/O.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from marquee.formats.html_blocks import Block, page_blocks
from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean
from marquee.formats.html_microdata import parse_heading_title
from marquee.formats.html_text_numbers import NUMBER_READERS
from marquee.formats.html_text_read import CREW_CATEGORIES, TEXT_READERS, Reader, Section, strip_more
from marquee.formats.html_text_stories import STORY_READERS
from marquee.formats.vocab import section_label

__all__ = ["Block", "page_blocks", "text_section_facts"]


# Facts only a film's page has: enough to call a page a movie page with no markup at all.
_FILM_FIELDS = (
    "directors", "stars", "cast", "runtimes", "taglines", "filming_locations", "box_office", "goofs",
)  # fmt: skip


_INLINE_LABEL = re.compile(r"^([^\W\d_][^:\d]{0,40}?)\s*:\s*(.*)$")


def _is_content(block: Block) -> bool:
    """Whether a block says something: not a bracketed note, a label, or navigation ("Edit")."""
    text = strip_more(block.text, block.links).strip() if block.kind == "text" else block.text.strip()
    return bool(text) and not re.fullmatch(r"\(.*\)|.*:", text)


def _deeper(tag: str, than: str) -> bool:
    """``h3`` under ``h2``: a subheading of the section, not a new one."""
    ranks = [int(t[1]) if re.fullmatch(r"h[1-6]", t) else 0 for t in (tag, than)]
    return bool(ranks[0] and ranks[1] and ranks[0] > ranks[1])


def text_section_facts(root: Element) -> Facts | None:
    """Facts from labelled text sections; None when the page has none Marquee knows."""
    blocks = page_blocks(root)
    sections = _sections(blocks)
    # IMDb 2017–2020 shows the outline with no label, in its own class
    summary = next((e for e in root.iter() if "summary_text" in e.classes()), None)
    if not sections and summary is None:
        return None
    facts = Facts("text sections", sections[0].line if sections else summary.line if summary else 1)
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
    if summary is not None and "outline" not in facts.values:
        links = {e.text(): e.attrs.get("href", "") for e in summary.iter() if e.tag == "a"}
        facts.put("outline", clean(strip_more(clean(summary.text()) or "", links)))
    found = [name for name in _FILM_FIELDS if name in facts.values]
    # One "Starring:" line under a heading with no year is a listing's entry (search results), no film page.
    if len(found) >= 2 or (found and "year" in facts.values):
        facts.evidence = "film sections: " + ", ".join(found)
    elif found:
        facts.note(f"one film section ({found[0]}) and no heading with a year: not enough for a film's page")
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


def _sections(blocks: list[Block]) -> list[Section]:
    """Known labels and the blocks under each, up to the end of the label's block or the next label."""
    sections: list[Section] = []
    current: Section | None = None
    scope = 0
    cards: Section | None = None
    for block in blocks:
        if block.tag == "cast-card":  # a cast card stands alone, wherever its "Top cast" heading is
            if cards is None:
                cards = Section("cast", block.line, [])
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
            current = Section(label, block.line, [], block.tag, block.text) if label else None
            scope = block.scope
            if current:
                sections.append(current)
            continue
        inline = _INLINE_LABEL.match(block.text) if block.kind == "text" else None
        if inline and _label(inline.group(1)):
            current = Section(_label(inline.group(1)) or "", block.line, [], heading=inline.group(1))
            sections.append(current)
            if inline.group(2):  # "Taglines: Sometimes…" is a whole section in one block
                current.blocks.append(Block("text", block.line, inline.group(2), links=block.links))
                current = None
            continue
        if current is not None:
            current.blocks.append(block)
    return [s for s in sections if s.blocks]


_READERS: dict[str, Reader] = {**TEXT_READERS, **NUMBER_READERS, **STORY_READERS}


_LABELS = {
    **{
        label: f"crew:{c}"
        for c in CREW_CATEGORIES
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
    "users": "rating",  # IMDb 2010: "Users: 7.0/10 (130,397 votes)"
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
