"""A Wikipedia film article's Cast section: who played whom, in the page's order.

The section is the one under a heading named "Cast" (``<h2><span class="mw-headline" id="Cast">``, or
``<h2 id="Cast">`` inside ``<div class="mw-heading">`` as newer skins write it), "Cast and characters",
"Voice cast", "Starring"; German "Besetzung", French "Distribution", Spanish "Reparto". It runs to the next
heading of its level, sub-sections included ("Fictional characters", "Historical characters"). Its rows
are list items, sub-lists (minor roles) read in place after their item::

    <li><a href="/wiki/Leonardo_DiCaprio">Leonardo DiCaprio</a> as Jack Dawson: Cameron said he needed…</li>

and the rows of a ``wikitable`` whose header names an actor column and a role column. An item's name is
what comes before " as " (" como ", " als "; else ":" or a dash), its character what follows, up to where a
description starts: ":", a dash, ";", ", " before a lower-case word (", a penniless artist"), or a full
stop ending a sentence ("… Lightoller. The film depicts…"); punctuation inside a link's text ("Noël Leslie,
Countess of Rothes") is part of the name. "as himself" is the character "Himself"; "(voice)",
"(uncredited)" are notes on the credit, not the character; footnote markers are dropped. "A and B as C and
D" is two rows. A bare name is a row with no character; a sentence is no row. Pure: no I/O.
"""

from __future__ import annotations

import re

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import ROLE_NOTES, clean
from marquee.formats.html_wikipedia_values import (
    is_hidden,
    label_key,
    person_name,
    shown_parts,
    strip_footnotes,
)
from marquee.records import CastMember

__all__ = ["CAST_HEADINGS", "cast_of_item", "cast_section"]

# Headings (folded: lower case, no accents, "_" as space) that open an article's cast.
CAST_HEADINGS = frozenset(
    {"cast", "cast and characters", "voice cast", "starring", "main cast", "cast list", "besetzung",
     "distribution", "distribution des roles", "reparto"}
)  # fmt: skip
# The word between an actor and the role, by the wiki's language; ":" and a dash serve every language.
_CONNECTORS = {"en": " as ", "es": " como ", "de": " als ", "fr": " dans le rôle de "}
_FALLBACK = re.compile(r"\s*:\s+|\s+[–—]\s+")
_SELF = {"himself": "Himself", "herself": "Herself", "themselves": "Themselves", "itself": "Itself",
         "lui-même": "Lui-même", "elle-même": "Elle-même", "sich selbst": "Sich selbst",
         "él mismo": "Él mismo", "ella misma": "Ella misma"}  # fmt: skip
# Where a description after the character starts (the character's own punctuation is taken first).
_DESCRIPTION = re.compile(r"\s*:\s|\s+[–—-]\s|\s*;\s|,\s+(?=[a-z(])|\s*\.\s+(?=[\"“A-Z])")
_ACTOR_COLUMNS = frozenset({"actor", "actress", "actor/actress", "cast", "cast member", "performer",
                            "voice actor", "voiced by", "darsteller", "schauspieler", "acteur", "actrice",
                            "actor/actriz"})  # fmt: skip
_ROLE_COLUMNS = frozenset({"role", "roles", "character", "characters", "character(s)", "part", "rolle",
                           "role(s)", "personnage", "papel", "personaje"})  # fmt: skip
_HEADING = re.compile(r"h[2-6]")
_LISTS = frozenset({"ul", "ol", "dl"})
_SKIP_BOXES = frozenset({"thumb", "navbox", "hatnote", "reflist", "gallery", "mw-empty-elt", "noprint"})
# Punctuation inside a link's text, hidden from the splitting and given back after it.
_GUARD = {",": "\ue000", ":": "\ue001", ".": "\ue002", ";": "\ue003", "–": "\ue004", "—": "\ue005"}
_UNGUARD = str.maketrans({v: k for k, v in _GUARD.items()})
_GUARD_TABLE = str.maketrans(_GUARD)
_MAX_NAME_WORDS = 8
# Words a full stop shortens inside a character's name ("Asst. Principal Anita Hoargarth", 'Gen. "Y"').
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "jr", "sr", "st", "gen", "col", "lt", "capt", "sgt",
                            "cpl", "maj", "adm", "asst", "prof", "rev", "fr", "det", "insp", "supt", "cmdr",
                            "gov", "sen", "rep", "pres", "hon", "mt", "no", "ft", "vol"})  # fmt: skip
_PARTICLES = frozenset("de van von der den da di du la le y and und et bin al el ter ten dos das del".split())  # noqa: SIM905


def cast_section(body: Element, lang: str = "en") -> list[CastMember]:
    """The cast of the article's Cast section, in page order; [] when it has none."""
    cast: list[CastMember] = []
    for block in _section_blocks(body):
        if block.tag == "table":
            cast.extend(_table_rows(block))
        else:
            for item in _items(block):
                cast.extend(cast_of_item(item, lang))
    return cast


def _heading(element: Element) -> tuple[int, str] | None:
    """(level, folded name) of a section heading: ``<h2>`` itself or newer skins' ``div.mw-heading``."""
    if element.tag == "div" and "mw-heading" in element.classes():
        inner = next(
            (c for c in element.children if isinstance(c, Element) and _HEADING.fullmatch(c.tag)), None
        )
        return _heading(inner) if inner is not None else None
    if not _HEADING.fullmatch(element.tag):
        return None
    headline = next((e for e in element.iter() if "mw-headline" in e.classes()), element)
    name = headline.attrs.get("id") or element.attrs.get("id") or headline.text()
    return int(element.tag[1]), label_key(re.sub(r"_\d+$", "", name).replace("_", " "))


def _section_blocks(body: Element) -> list[Element]:
    """The lists and wikitables under the first cast heading, up to the next heading of its level."""
    level = None
    blocks: list[Element] = []
    for child in _flow(body):
        heading = _heading(child)
        if heading is not None:
            if level is not None and heading[0] <= level:
                break
            if level is None and heading[1] in CAST_HEADINGS:
                level = heading[0]
            continue
        if level is not None:
            blocks.extend(_blocks(child))
    return blocks


def _flow(body: Element) -> list[Element]:
    """The body's elements in order, the ``<section>`` wrappers of Parsoid and mobile pages opened."""
    flow: list[Element] = []
    for child in body.children:
        if isinstance(child, Element):
            flow.extend(_flow(child) if child.tag == "section" else [child])
    return flow


def _blocks(element: Element) -> list[Element]:
    """The outermost lists and wikitables in an element (a ``div-col`` wraps them), outside thumbnails."""
    if element.classes() & _SKIP_BOXES:
        return []
    if element.tag in _LISTS or (element.tag == "table" and "wikitable" in element.classes()):
        return [element]
    if element.tag == "table":
        return []
    return [b for c in element.children if isinstance(c, Element) for b in _blocks(c)]


def _items(block: Element) -> list[Element]:
    """A list's items in order, each followed by the items of the lists nested in it."""
    items: list[Element] = []
    for child in block.children:
        if isinstance(child, Element) and child.tag in ("li", "dd"):
            items.append(child)
            for nested in child.children:
                if isinstance(nested, Element) and nested.tag in _LISTS:
                    items.extend(_items(nested))
    return items


def cast_of_item(item: Element, lang: str = "en") -> list[CastMember]:
    """The rows one list item gives: ``Leonardo DiCaprio as Jack Dawson, a …`` -> Jack Dawson's actor."""
    text = _item_text(item)
    if not text:
        return []
    connector = _CONNECTORS.get(lang, " as ")
    at = text.find(connector)
    if at < 0 and connector != " as ":
        at = text.find(" as ")
        connector = " as " if at >= 0 else connector
    if at >= 0:
        name, rest = text[:at], text[at + len(connector) :]
    else:
        fallback = _FALLBACK.search(text)
        if fallback is None:
            return _bare(text)
        name, rest = text[: fallback.start()], text[fallback.end() :]
    return _rows(name, _character(rest))


def _item_text(item: Element) -> str:
    """An item's shown text without its nested lists and footnotes, punctuation in links guarded."""
    parts: list[str] = []
    stack: list[Element | str] = list(reversed(item.children))
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
        elif node.tag in _LISTS:
            continue
        elif node.tag == "a":
            parts.append(" ".join(shown_parts(node)).translate(_GUARD_TABLE))
        elif node.tag == "br":
            parts.append(" ")
        elif not is_hidden(node):
            stack.extend(reversed(node.children))
    return clean(strip_footnotes("".join(parts))) or ""


def _character(rest: str) -> str | None:
    """The character named at the start of ``rest``, its description and credit notes cut off."""
    cut = _DESCRIPTION.search(rest)
    while cut is not None and cut.group(0).strip() == "." and _abbreviation(rest[: cut.start()]):
        cut = _DESCRIPTION.search(rest, cut.end())
    character = ROLE_NOTES.sub("", rest[: cut.start()] if cut else rest).strip(" ,.;").translate(_UNGUARD)
    if not character:
        return None
    return _SELF.get(character.casefold(), character)


def _abbreviation(before: str) -> bool:
    """Whether a full stop closes an abbreviation ("Asst.", "Gen.", an initial) rather than a sentence."""
    word = before.rsplit(" ", 1)[-1].strip("\"“”'(")
    return len(word) == 1 or "." in word or word.casefold() in _ABBREVIATIONS


def _rows(name: str, character: str | None) -> list[CastMember]:
    """One row per actor: "A and B as C and D" pairs them in order."""
    name = person_name(name.translate(_UNGUARD))[0]
    if not _name_like(name):
        return []
    names = re.split(r"\s+(?:and|&|und|et|y)\s+", name)
    roles = re.split(r"\s+(?:and|&|und|et|y)\s+", character or "")
    if len(names) > 1 and len(names) == len(roles):
        return [CastMember(name=n, character=r) for n, r in zip(names, roles, strict=True)]
    return [CastMember(name=name, character=character)]


def _bare(text: str) -> list[CastMember]:
    """An item that is only a name ("Kevin Costner"); a sentence is none."""
    name = person_name(text.translate(_UNGUARD))[0]
    if re.search(r"[.:;!?]\s|\d", name) or len(name.split()) > 5:
        return []
    return [CastMember(name=name)] if _name_like(name) else []


def _name_like(name: str) -> bool:
    """A person's name: a few words, each capitalised but for particles ("de", "van", "and")."""
    words = name.split()
    if not 0 < len(words) <= _MAX_NAME_WORDS or len(name) > 80:
        return False
    return all(not w[0].isalpha() or w[0].isupper() or w in _PARTICLES for w in words)


def _table_rows(table: Element) -> list[CastMember]:
    """The rows of an "Actor | Role" wikitable, read by its header's column names."""
    rows = [r for r in table.iter() if r.tag == "tr"]
    if not rows:
        return []
    header = [label_key(" ".join(shown_parts(c))) for c in _cells(rows[0])]
    actor = next((i for i, h in enumerate(header) if h in _ACTOR_COLUMNS), None)
    role = next((i for i, h in enumerate(header) if h in _ROLE_COLUMNS), None)
    if actor is None:
        return []
    cast = []
    for row in rows[1:]:
        cells = [" ".join(shown_parts(c)) for c in _cells(row)]
        if len(cells) != len(header) or not cells[actor]:
            continue
        character = ROLE_NOTES.sub("", cells[role]).strip() if role is not None else ""
        name = person_name(cells[actor])[0]
        if _name_like(name):
            cast.append(CastMember(name=name, character=_SELF.get(character.casefold(), character) or None))
    return cast


def _cells(row: Element) -> list[Element]:
    return [c for c in row.children if isinstance(c, Element) and c.tag in ("th", "td")]
