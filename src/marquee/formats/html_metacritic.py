"""Metacritic's film pages (2010s layout): the scores and credits the page shows as markup.

A film's summary page (``/movie/her``) and its "details and credits" sub-page (``/movie/her/details``)
show the Metascore and the user score as links to the reviews, each with its count beside it::

    <a class="metascore_anchor" href="/movie/her/critic-reviews"><span class="metascore_w …">90</span></a>
    <span class="score_description"><a class="data" href="/movie/her/critic-reviews">
        <span class="based_on">based on 46 Critics</span></a></span>

(``/user-reviews``: the users' score, of 10). Critics' own scores in the review list are no film's score
and are never read. The details page lists the credits in tables headed by the job (``Director``,
``Writer``, ``Principal Cast``, ``Cast``, ``Producer``…), the second column the credit: a character's
name for an actor, or only the heading again ("Principal Cast", "Cast"), which names no character. The
summary ends with who wrote it, in brackets ("… each other. [Warner Bros.]"): a credit, not the plot.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pydantic import ValidationError

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, parse_count, parse_date, parse_number
from marquee.records import CastMember, CrewMember, ExternalScore, PersonRef

__all__ = ["distributors", "metacritic_facts", "without_summary_credit"]

SOURCE = "Metacritic"
# Which reviews a score links to: (kind, scale).
_SCORE_LINKS = {"critic-reviews": ("metascore", 100), "user-reviews": ("audience", 10)}
_BASED_ON = re.compile(r"based on\s+([\d,.]+)", re.IGNORECASE)
# Credit-column words that name no character: the table's own heading or a bare job.
_NO_CHARACTER = frozenset({"cast", "principal cast", "actor", "actress", "self", "voice"})
_CREW_CATEGORY = {
    "producer": "producer", "cinematographer": "cinematographer", "composer": "composer",
    "editor": "editor", "music": "composer", "production designer": "production_designer",
    "casting": "casting_director", "costume designer": "costume_designer",
}  # fmt: skip
_CREDIT = re.compile(r"\s*\[[^\[\]]{1,80}\]\s*$")
_PAREN_CREDIT = re.compile(r"\s*\(([^()]{1,80})\)\s*$")


def metacritic_facts(root: Element, facts: Facts) -> None:
    """Scores shown as markup and the credits tables of a Metacritic film page, into ``facts``."""
    facts.put("scores", _scores(root, facts))
    for heading, rows in _credit_tables(root):
        _credits(heading, rows, facts)
    year = _release_year(root)
    if year is not None and "year" not in facts.values:  # the details page shows no year of its own
        facts.put("year", year)
        facts.weak.add("year")


def distributors(root: Element) -> set[str]:
    """The companies the page names as the film's distributor (``span.distributor``), casefolded."""
    return {
        name.casefold()
        for e in root.iter()
        if e.tag == "span" and "distributor" in e.classes()
        for a in e.iter()
        if a.tag == "a" and (name := clean(a.text()))
    }


def without_summary_credit(text: str, companies: Collection[str] = ()) -> str:
    """A Metacritic summary without its trailing credit: "[Warner Bros.]", or "(Indican Pictures)" when
    that is a distributor the page names (other words in parentheses may be the plot's)."""
    text = _CREDIT.sub("", text)
    match = _PAREN_CREDIT.search(text)
    if match and match.group(1).strip().casefold() in companies:
        text = text[: match.start()]
    return text


def _release_year(root: Element) -> int | None:
    """The year of the "Release Date:" the page shows beside the distributor."""
    for element in root.iter():
        if element.tag == "span" and "release_date" in element.classes():
            date = parse_date((element.text() or "").replace("Release Date:", ""))
            return int(date[:4]) if date else None
    return None


def _scores(root: Element, facts: Facts) -> list[ExternalScore]:
    values: dict[str, float] = {}
    counts: dict[str, int] = {}
    for element in root.iter():
        if element.tag != "a":
            continue
        target = element.attrs.get("href", "").rstrip("/").rsplit("/", 1)[-1]
        if target not in _SCORE_LINKS:
            continue
        classes = element.classes()
        if "metascore_anchor" in classes and target not in values:
            value = parse_number(element.text())
            if value is not None:
                values[target] = value
        elif "data" in classes and target not in counts:
            match = _BASED_ON.search(element.text())
            count = parse_count(match.group(1)) if match else None
            if count is not None:
                counts[target] = int(count)
    scores = []
    for target, value in values.items():
        kind, scale = _SCORE_LINKS[target]
        try:
            scores.append(
                ExternalScore(source=SOURCE, kind=kind, value=value, scale=scale, count=counts.get(target))
            )
        except ValidationError:
            facts.note(f"{SOURCE} {kind} {value!r} is not within 0–{scale}; not kept")
    return scores


def _credit_tables(root: Element) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(person, credit)]) of each ``table.credits`` headed by a ``th.person``."""
    tables = []
    for table in root.iter():
        if table.tag != "table" or "credits" not in table.classes() or "person_credits" in table.classes():
            continue
        heading = next(
            (clean(e.text()) for e in table.iter() if e.tag == "th" and "person" in e.classes()), None
        )
        if not heading:
            continue
        rows = []
        for row in table.iter():
            if row.tag != "tr":
                continue
            cells = {c.attrs.get("class", "").split()[0]: clean(c.text()) for c in row.children
                     if isinstance(c, Element) and c.tag == "td" and c.attrs.get("class")}  # fmt: skip
            name, credit = cells.get("person"), cells.get("role")
            if name:
                rows.append((name, credit or ""))
        tables.append((heading, rows))
    return tables


def _credits(heading: str, rows: list[tuple[str, str]], facts: Facts) -> None:
    """Put one credits table's people under the film field its heading names."""
    key = heading.casefold()
    if key in ("director", "directors"):
        _extend(facts, "directors", [PersonRef(name=name) for name, _ in rows])
    elif key in ("writer", "writers"):
        _extend(facts, "writers", [PersonRef(name=name) for name, _ in rows])
    elif key in ("cast", "principal cast", "actors"):
        cast = [
            CastMember(name=name, character=None if credit.casefold() in _NO_CHARACTER else credit or None)
            for name, credit in rows
        ]
        _extend(facts, "cast", cast)
    elif key in _CREW_CATEGORY:
        crew = [
            CrewMember(name=name, category=_CREW_CATEGORY[key], job=credit or None) for name, credit in rows
        ]
        _extend(facts, "crew", crew)
    else:
        facts.note(
            f"{SOURCE}: credits headed {heading!r} ({len(rows)}) have no place in a film record; not kept"
        )


def _extend(facts: Facts, name: str, items: list[PersonRef] | list[CastMember] | list[CrewMember]) -> None:
    """Add people to a list, each person once (the principal cast is listed again under Cast); a later
    listing's character fills one the first listing did not name."""
    have: list[PersonRef | CastMember | CrewMember] = list(facts.values.get(name, []))
    for item in items:
        key = (item.name, getattr(item, "category", None))
        index = next((i for i, p in enumerate(have) if (p.name, getattr(p, "category", None)) == key), None)
        if index is None:
            have.append(item)
        elif isinstance(item, CastMember) and item.character and not getattr(have[index], "character", None):
            have[index] = item
    facts.put(name, have)
