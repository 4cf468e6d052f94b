"""The person page's context, and the one loader its HTML page, ``.json`` twin and API route share.

``/person/{id}``, ``/person/{id}.json`` and ``/api/v1/people/{id}`` all start from ``person_json``
(the Person record as JSON, kept in the page cache under one key); the HTML page adds
``person_context``, which works out what the template should not.
"""

from __future__ import annotations

from dataclasses import dataclass

from marquee.errors import NotFound
from marquee.records import Person, PersonCredit
from marquee.web.deps import Site
from marquee.web.render import json_bytes

__all__ = ["PersonContext", "load_person", "person_context", "person_json", "person_key"]

# Cast categories read as one role on the page.
_ROLE_LABELS = {"actor": "Actor", "actress": "Actress", "self": "Self", "star": "Star"}


@dataclass(frozen=True)
class PersonContext:
    """Everything the person template shows."""

    person: Person
    known_for: list[PersonCredit]
    filmography: list[tuple[str, list[PersonCredit]]]
    life: str


def _role_label(category: str) -> str:
    return _ROLE_LABELS.get(category, category.replace("_", " ").capitalize())


def _filmography(credits: list[PersonCredit]) -> list[tuple[str, list[PersonCredit]]]:
    """Credits by role (cast roles first), newest first; the Stars line is not a role of its own."""
    groups: dict[str, dict[str, PersonCredit]] = {}
    for credit in credits:
        if credit.category == "star":
            continue
        groups.setdefault(_role_label(credit.category), {}).setdefault(credit.title_id, credit)
    cast_first = sorted(groups, key=lambda label: (label not in ("Actor", "Actress", "Self"), label))

    def newest_first(credit: PersonCredit) -> tuple[int, str]:
        return (-(credit.year or 0), credit.title)

    return [(label, sorted(groups[label].values(), key=newest_first)) for label in cast_first]


def _known_for(person: Person) -> list[PersonCredit]:
    """The known-for titles that are in the store, else the person's best-billed credits."""
    by_id = {credit.title_id: credit for credit in person.credits}
    known = [by_id[title_id] for title_id in person.known_for if title_id in by_id]
    if known:
        return known
    seen: dict[str, PersonCredit] = {}
    for credit in person.credits:
        seen.setdefault(credit.title_id, credit)
    return list(seen.values())[:4]


def _life(person: Person) -> str:
    """``"1946–"``, ``"1921–2011"``, ``"died 2011"`` or ``""``."""
    if person.birth_year and person.death_year:
        return f"{person.birth_year}–{person.death_year}"
    if person.birth_year:
        return f"born {person.birth_year}"
    if person.death_year:
        return f"died {person.death_year}"
    return ""


def person_context(person: Person) -> PersonContext:
    """Gather the person page's context."""
    return PersonContext(person, _known_for(person), _filmography(person.credits), _life(person))


def load_person(site: Site, person_id: str) -> Person:
    """The person, or NotFound."""
    person = site.store.get_person(person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}")
    return person


def person_key(person_id: str, form: str) -> tuple[str, str, str]:
    """The page-cache key of one rendering of a person (``form``: ``json`` or ``html``)."""
    return ("person", person_id, form)


def person_json(site: Site, person_id: str) -> bytes:
    """The Person record as JSON bytes, the body of both the ``.json`` twin and the API route."""
    key = person_key(person_id, "json")
    body = site.pages.get(key)
    if not isinstance(body, bytes):
        body = json_bytes(load_person(site, person_id).model_dump(mode="json"))
        site.pages.put(key, body)
    return body
