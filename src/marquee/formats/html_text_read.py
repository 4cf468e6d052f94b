"""Readers of the labelled text sections of a film page: the section itself, credits, titles and places.

Each reader takes a section's blocks and puts what it reads into the page's ``Facts``; navigation links
("See more »", "full summary") are cut from the text first. Numbers and dates are read by
``html_text_numbers``, trivia, goofs, quotes and reviews by ``html_text_stories``. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from marquee.formats.html_blocks import Block
from marquee.formats.html_facts import ROLE_NOTES, Facts, clean, imdb_id
from marquee.formats.vocab import country_name, is_country, language_name
from marquee.records import (
    AlternateTitle,
    CastMember,
    CrewMember,
    EpisodeOf,
    PersonRef,
)

__all__ = ["CREW_CATEGORIES", "TEXT_READERS", "Reader", "Section", "section_texts", "strip_more"]

# Link chrome after a section's text: "See more »", "See full summary »", "Edit", "|".
_SEE_MORE = re.compile(
    r"\s*(?:\bSee (?:more|all|full)\b[^»]*»?|\bSee more\b|»|\|\s*$|\bEdit\b\s*$"
    r"|\bAdd (?:Synopsis|Plot)\b)\s*$",
    re.IGNORECASE,
)


# IMDb's crew categories a page may label ("Producer", "Composers"…), as Marquee's CrewMember.category.
CREW_CATEGORIES = (
    "producer", "composer", "cinematographer", "editor", "casting_director", "production_designer",
)  # fmt: skip


@dataclass
class Section:
    """A known label and the blocks under it: ``label`` is the section's key (``"directors"``)."""

    label: str
    line: int
    blocks: list[Block]
    tag: str = ""  # the heading's tag (h2…), "" for an inline "Label:"
    heading: str = ""  # the label as the page shows it ("Regie", "Director:")


# A section's reader: puts what it reads into the page's facts.
Reader = Callable[[Section, Facts], None]


# Links that are navigation, not a value: "more", "full summary", "full synopsis", "(view trailer)",
# "See more", "More at IMDbPro »", "Edit"… When a block ends with one, it is cut off with its separators.
_NAV_LINK = re.compile(
    r"(?i)^\(?(?:more|more\.\.\.|see (?:more|all|full)\b.*|full (?:summary|synopsis|cast.*|credits)"
    r"|view (?:trailer|more|all).*|edit|add .*|more at imdbpro.*|show (?:more|all).*|read more"
    r"|plot summary|plot synopsis|full review)\)?\s*»?$"
)


def strip_more(text: str, links: dict[str, str] | None = None) -> str:
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


def section_texts(section: Section) -> list[str]:
    """The section's text blocks, navigation cut, empty ones left out."""
    return [t for t in (strip_more(b.text, b.links) for b in section.blocks if b.kind == "text") if t]


def _read_list(name: str) -> Reader:
    def read(section: Section, facts: Facts) -> None:
        facts.put(name, facts.values.get(name, []) + section_texts(section))

    return read


def _read_locations(section: Section, facts: Facts) -> None:
    # A place with IMDb's note, "Nashville, Tennessee, USA (exterior scenes: …)", is kept whole: the note
    # says what was filmed there.
    places = [
        re.sub(r"(?<=[^\s(])\(", " (", text) for text in section_texts(section)
    ]  # "USA(exterior…": a lost space
    facts.put("filming_locations", facts.values.get("filming_locations", []) + places)


def _names(section: Section) -> list[tuple[str, str | None]]:
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
        text = re.sub(r"\([^)]*\)", "", strip_more(block.text, block.links))
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


def _read_people(name: str) -> Reader:
    def read(section: Section, facts: Facts) -> None:
        facts.put(name, [PersonRef(name=n, id=i) for n, i in _names(section)])

    return read


def _read_stars(section: Section, facts: Facts) -> None:
    facts.put("stars", [n for n, _ in _names(section)])


def _read_genres(section: Section, facts: Facts) -> None:
    """Genres: the texts of genre links where the block has them (Letterboxd's "crime drama action" is
    three links), else the text split at "|", "/" or ","."""
    genres = []
    for block in section.blocks:
        if block.kind != "text":
            continue
        linked = [t for t, href in block.links.items() if "genre" in href.lower() and t.strip()]
        genres.extend(linked or [strip_more(block.text, block.links)])
    facts.put("genres", genres)


def _read_plot(section: Section, facts: Facts) -> None:
    texts = [re.sub(r"\s*[-—]?\s*Written by\b.*$", "", t) for t in section_texts(section)]
    texts = [
        re.sub(r"\s+—\s*[\w.@<>-]+$", "", t) for t in texts
    ]  # "… to the Galaxy. — Jwelch5742": its author
    texts = [t for t in texts if t and not re.match(r"(?i)^(plot summary|plot keywords|add synopsis)", t)]
    if texts:
        facts.put("plot", texts[0])


def _read_cast(section: Section, facts: Facts) -> None:
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


def _read_akas(section: Section, facts: Facts) -> None:
    """ "Maske", "Untitled Project (USA) (working title)", or as Marquee shows one:
    "Maske (DE, de; working title) original"."""
    titles = []
    for text in section_texts(section):
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


def _read_original_title(section: Section, facts: Facts) -> None:
    texts = section_texts(section)
    facts.put("original_title", texts[0] if texts else None)


def _read_episode_of(section: Section, facts: Facts) -> None:
    """ "The series, season 1, episode 2", the series linked by its /title/ id."""
    links = [href for block in section.blocks for href in block.links.values()]
    series_id = next((found for found in map(imdb_id, links) if found), None)
    if series_id is None:
        facts.note("Episode of: no link to the series; not kept", section.line)
        return
    text = " ".join(section_texts(section))
    season, episode = re.search(r"(?i)\bseason (\d+)", text), re.search(r"(?i)\bepisode (\d+)", text)
    facts.put(
        "episode_of",
        EpisodeOf(
            series_id=series_id,
            season=int(season.group(1)) if season else None,
            episode=int(episode.group(1)) if episode else None,
        ),
    )


def _read_crew(category: str) -> Reader:
    def read(section: Section, facts: Facts) -> None:
        crew = []
        for block in section.blocks:
            text = strip_more(block.text) if block.kind == "text" else ""
            for part in (p.strip() for p in re.split(r",\s*(?![^()]*\))", text) if p.strip()):
                match = re.fullmatch(r"(?P<name>[^()]+?)\s*(?:\((?P<job>[^)]+)\))?", part)
                if match:
                    name = match.group("name")
                    person = imdb_id(block.links.get(part) or block.links.get(name), "name")
                    crew.append(CrewMember(name=name, category=category, job=match.group("job"), id=person))
        facts.put("crew", [*facts.values.get("crew", []), *crew])

    return read


def _read_places(name: str, canonical: Callable[[str], str]) -> Reader:
    """Countries or languages: one a line, or "USA | Malta", "USA / Malta / UK"; in English."""

    def read(section: Section, facts: Facts) -> None:
        found = list(facts.values.get(name, []))
        for text in section_texts(section):
            text = re.sub(r"\s*\([^)]*\)", "", text)  # "French (only a few words)"
            for part in re.split(r"\s*[|/,]\s*", text):
                part = part.strip(" .")
                if part and re.search(r"[^\W\d_]", part) and not re.search(r"\d", part):
                    value = canonical(part)
                    if value not in found:
                        found.append(value)
        facts.put(name, found)

    return read


def _read_outline(section: Section, facts: Facts) -> None:
    texts = section_texts(section)
    if texts:
        facts.put("outline", texts[0])


def _read_comments(section: Section, facts: Facts) -> None:
    if any(text.lower() == "comments are closed." for text in section_texts(section)):
        facts.put("comments_open", False)


def _ignore(section: Section, facts: Facts) -> None:
    """Container headings ("Did You Know?", "Box Office") hold no text of their own."""


# Section key -> its reader, for the credits, titles and places read here.
TEXT_READERS: dict[str, Reader] = {
    "taglines": _read_list("taglines"),
    "filming_locations": _read_locations,
    "trivia": _read_list("trivia"),
    "plot": _read_plot,
    "directors": _read_people("directors"),
    "writers": _read_people("writers"),
    "stars": _read_stars,
    "genres": _read_genres,
    "cast": _read_cast,
    "alternate_titles": _read_akas,
    "comments": _read_comments,
    "countries": _read_places("countries", country_name),
    "languages": _read_places("languages", language_name),
    "outline": _read_outline,
    "original_title": _read_original_title,
    "episode_of": _read_episode_of,
    **{f"crew:{category}": _read_crew(category) for category in CREW_CATEGORIES},
    "container": _ignore,
}
