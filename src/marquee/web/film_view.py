"""The film page's context: the Film plus what the template should not work out itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marquee.formats.jsonld import movie_jsonld, script_json
from marquee.records import Film
from marquee.services.discover import SimilarTitle

__all__ = ["FilmContext", "GoofGroup", "NamedLink", "film_context"]


@dataclass(frozen=True)
class NamedLink:
    """A name and the id of the person page it links to (None: no page)."""

    name: str
    id: str | None


@dataclass(frozen=True)
class GoofGroup:
    """Goofs of one category, in page order (``category`` None: not categorised)."""

    category: str | None
    items: list[str]


@dataclass(frozen=True)
class FilmContext:
    """Everything the film template shows."""

    film: Film
    stars: list[NamedLink]
    goof_groups: list[GoofGroup]
    crew_groups: list[tuple[str, list[NamedLink]]]
    jsonld: str
    title_year: str
    # "More like this" (issue 21): the stored neighbours, gathered before rendering.
    similar: Sequence[SimilarTitle] = ()


def _stars(film: Film) -> list[NamedLink]:
    """The Stars line names people; link each to the cast member of that name when the cast has an id."""
    ids = {member.name: member.id for member in film.cast if member.id}
    return [NamedLink(name, ids.get(name)) for name in film.stars]


def _goof_groups(film: Film) -> list[GoofGroup]:
    """Group goofs by category, categories in order of first appearance."""
    groups: dict[str | None, list[str]] = {}
    for goof in film.goofs:
        groups.setdefault(goof.category, []).append(goof.text)
    return [GoofGroup(category, items) for category, items in groups.items()]


def _crew_groups(film: Film) -> list[tuple[str, list[NamedLink]]]:
    """Other crew by category (producer, composer…), in page order."""
    groups: dict[str, list[NamedLink]] = {}
    for member in film.crew:
        label = member.category.replace("_", " ").capitalize()
        name = f"{member.name} ({member.job})" if member.job else member.name
        groups.setdefault(label, []).append(NamedLink(name, member.id))
    return list(groups.items())


def film_context(film: Film, *, base_url: str = "", similar: Sequence[SimilarTitle] = ()) -> FilmContext:
    """Gather the film page's context (``similar``: its "more like this" films, read by the caller)."""
    title_year = f"{film.title} ({film.year})" if film.year is not None else film.title
    return FilmContext(
        film=film,
        stars=_stars(film),
        goof_groups=_goof_groups(film),
        crew_groups=_crew_groups(film),
        jsonld=script_json(movie_jsonld(film, base_url=base_url)),
        title_year=title_year,
        similar=tuple(similar),
    )
