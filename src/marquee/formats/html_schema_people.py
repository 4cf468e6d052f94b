"""The people of a schema.org film node: directors, writers, cast with characters, and crew.

A person is a ``Person`` node (its IMDb ``nm…`` id from ``url``, ``@id`` or ``sameAs``) or a bare name;
an ``Organization`` is no person. Actors come as people, as people with a ``characterName``, or as
``PerformanceRole`` nodes wrapping the actor; an actor listed twice (IMDb's microdata: the Stars line,
then the cast table) is kept once, with the character. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from marquee.formats.html_facts import Facts, clean, imdb_id
from marquee.formats.html_schema_values import JsonObj, many, text, texts
from marquee.records import CastMember, CrewMember, PersonRef

__all__ = ["name_and_id", "read_credits"]

# Crew roles schema.org names, as IMDb's categories.
_CREW_KEYS = {"musicBy": "composer", "producer": "producer"}


def read_credits(node: JsonObj, facts: Facts) -> None:
    """Directors, writers (authors and creators, each once), cast and crew into ``facts``."""
    facts.put("directors", _people(node.get("director"), facts, "director"))
    writers = _people(node.get("author"), facts, "author") + _people(node.get("creator"), facts, "creator")
    facts.put("writers", _unique_people(writers))
    facts.put("cast", _cast(many(node.get("actor")) + many(node.get("actors")), facts))
    facts.put("crew", _crew(node, facts))


def name_and_id(item: Any) -> tuple[str, str | None] | None:
    """(name, IMDb nm… id) of a Person node or a bare name; None for organisations."""
    if isinstance(item, str):
        name = clean(item)
        return (name, None) if name else None
    if not isinstance(item, dict) or "Organization" in many(item.get("@type")):
        return None
    name = text(item.get("name"))
    if not name:
        return None
    return name, imdb_id(item.get("url") or item.get("@id") or item.get("sameAs"), "name")


def _people(value: Any, facts: Facts, key: str) -> list[PersonRef]:
    refs = []
    for item in many(value):
        person = name_and_id(item)
        if person:
            refs.append(PersonRef(name=person[0], id=person[1]))
        elif isinstance(item, dict) and "Organization" not in many(item.get("@type")):
            facts.note(f"a {key} without a name; skipped")
    return refs


def _unique_people(refs: list[PersonRef]) -> list[PersonRef]:
    """One entry per person (IMDb lists a writer-director under both author and creator)."""
    kept: dict[str, PersonRef] = {}
    for ref in refs:
        kept.setdefault(ref.id or ref.name, ref)
    return list(kept.values())


def _cast(items: list[Any], facts: Facts) -> list[CastMember]:
    """Actors: Person nodes, bare names, or ``PerformanceRole`` nodes carrying ``characterName``."""
    cast: list[CastMember] = []
    for item in items:
        character = None
        if (
            isinstance(item, dict)
            and item.get("characterName")
            and "PerformanceRole" not in many(item.get("@type"))
        ):
            character = " / ".join(texts(item.get("characterName"))) or None  # a Person with its role
        if isinstance(item, dict) and "PerformanceRole" in many(item.get("@type")):
            character = " / ".join(texts(item.get("characterName") or item.get("roleName"))) or None
            item = many(item.get("actor"))[0] if many(item.get("actor")) else None
        person = name_and_id(item)
        if person is None:
            facts.note("an actor without a name; skipped")
            continue
        member = CastMember(name=person[0], id=person[1], character=character)
        same = next(
            (i for i, m in enumerate(cast) if (m.id and m.id == member.id) or m.name == member.name), None
        )
        if same is None:
            cast.append(member)
        elif cast[same].character is None and character:  # IMDb's microdata: the Stars line, then the table
            cast[same] = cast[same].model_copy(update={"character": character})
    return cast


def _crew(node: JsonObj, facts: Facts) -> list[CrewMember]:
    crew = []
    for key, category in _CREW_KEYS.items():
        for ref in _people(node.get(key), facts, key):
            crew.append(CrewMember(name=ref.name, id=ref.id, category=category))
    return crew
