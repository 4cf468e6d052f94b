"""A film record to table rows (no I/O: the store runs the queries); ``film_rows_read`` goes back.

``people_of`` lists the people to upsert (``person_id``: a person without an IMDb id is known by
``name_id``, the slug of the name), ``title_row`` and ``part_rows`` give the rows of each table. The
constants both directions share (the part tables, the cast categories, the IMDb dataset sections) live here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Table

from marquee.records import (
    AlternateTitle,
    CastMember,
    CrewMember,
    EpisodeOf,
    Film,
    PersonRef,
    Rating,
    Review,
)
from marquee.slugs import slugify
from marquee.storage import schema

__all__ = [
    "CAST_CATEGORIES",
    "FILM_PART_TABLES",
    "IMDB_DUMP_KEY",
    "IMDB_SECTIONS",
    "LISTED_CATEGORIES",
    "LIST_SEPARATOR",
    "Row",
    "name_id",
    "part_rows",
    "people_of",
    "person_id",
    "title_row",
]

Row = Mapping[Any, Any]  # a result row by column name (SQLAlchemy RowMapping)
# Credits of these categories are the cast, in one billing order (``ordering``).
CAST_CATEGORIES = ("actor", "actress", "self")
# Credits of these categories have their own list in the record; every other category is crew.
LISTED_CATEGORIES = frozenset({"star", "director", "writer", *CAST_CATEGORIES})
# Every table holding a part of a film, keyed by ``title_key`` (the store deletes from them on replace).
FILM_PART_TABLES: tuple[Table, ...] = (
    schema.title_genres,
    schema.imdb_ratings,
    schema.credits,
    schema.alternate_titles,
    schema.episodes,
    schema.taglines,
    schema.filming_locations,
    schema.trivia,
    schema.release_dates,
    schema.box_office,
    schema.runtimes,
    schema.goofs,
    schema.quote_lines,
    schema.reviews,
    schema.title_countries,
    schema.title_languages,
    schema.external_scores,
    schema.awards,
    schema.external_ids,
    schema.title_sources,
)
# The sections an IMDb dataset import fills: a title it brought names ``imdb-datasets:DATE`` (the
# store's record of the last import, ``store_meta`` key ``IMDB_DUMP_KEY``) as their source when read,
# unless a more specific source is stored. Derived when read, not stored per title.
IMDB_SECTIONS: tuple[str, ...] = (
    "title",
    "original_title",
    "kind",
    "year",
    "end_year",
    "genres",
    "rating",
    "directors",
    "writers",
    "cast",
    "crew",
    "runtimes",
    "alternate_titles",
    "episode_of",
)
IMDB_DUMP_KEY = "imdb_dump"
# List columns (alternate title types and attributes) are comma-separated, as in IMDb's TSV.
LIST_SEPARATOR = ","


# --- writing ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def name_id(name: str) -> str:
    """The id of a person known only by name: the slug of the name (``"Cher"`` -> ``"cher"``).

    A name with no Latin letters or digits (``"李小龍"``) would slug to ``"untitled"`` and merge with
    every other such name, so it gets a stable hash of itself instead.
    """
    slug = slugify(name)
    if slug == "untitled" and "untitled" not in name.lower():
        return "name-" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return slug


def person_id(person: PersonRef | CastMember | CrewMember) -> str:
    """The person's IMDb id, or else the id of their name (how the store knows people without ids)."""
    return person.id or name_id(person.name)


def _named(film: Film) -> Iterator[PersonRef | CastMember | CrewMember]:
    """Everyone credited by name and id, in page order."""
    yield from film.cast
    yield from film.directors
    yield from film.writers
    yield from film.crew


def _star_ids(film: Film) -> list[str]:
    """The person id of each star: whoever else in the film has that exact name, else the slug."""
    if not film.stars:  # most films (the demo's, IMDb's datasets'): no need to walk the credits
        return []
    by_name: dict[str, str] = {}
    for person in _named(film):
        by_name.setdefault(person.name, person_id(person))
    return [by_name.get(name) or name_id(name) for name in _stars(film)]


def _stars(film: Film) -> list[str]:
    """The names on the Stars line; an empty name names nobody."""
    return [name for name in film.stars if name]


def people_of(film: Film) -> dict[str, str]:
    """``{person id: name}`` of everyone the film credits (the first name given for an id wins)."""
    people: dict[str, str] = {}
    for person in _named(film):
        people.setdefault(person_id(person), person.name)
    for nconst, name in zip(_star_ids(film), _stars(film), strict=True):
        people.setdefault(nconst, name)
    return people


def title_row(film: Film) -> dict[str, Any]:
    """The film's ``titles`` row (without the internal id)."""
    minutes = next((r.minutes for r in film.runtimes if r.minutes is not None), None)
    return {
        "title_id": film.id,
        "kind": film.kind,
        "primary_title": film.title,
        "original_title": film.original_title,
        "is_adult": film.is_adult,
        "start_year": film.year,
        "end_year": film.end_year,
        "runtime_minutes": minutes,
        "published": film.published,
        "outline": film.outline,
        "plot": film.plot,
        "comments_open": film.comments_open,
    }


def part_rows(
    film: Film, title_key: int, person_keys: Mapping[str, int], cast_category: Mapping[int, str]
) -> dict[Table, list[dict[str, Any]]]:
    """The rows of every part table for one film (ids filled in).

    ``person_keys`` maps person ids (person_id) to their integer keys; ``cast_category`` gives the category
    (actress, self) a person already had in this film's cast, since a record's cast does not carry it.
    """
    t = title_key
    rows: dict[Table, list[dict[str, Any]]] = {
        schema.title_genres: [
            {"title_key": t, "ordering": i, "genre": g} for i, g in enumerate(film.genres, 1)
        ],
        schema.imdb_ratings: _rating_rows(film.rating, t),
        schema.credits: _credit_rows(film, t, person_keys, cast_category),
        schema.alternate_titles: [_alternate_row(a, t, i) for i, a in enumerate(film.alternate_titles, 1)],
        schema.episodes: _episode_rows(film.episode_of, t),
        schema.taglines: [{"title_key": t, "ordering": i, "text": s} for i, s in enumerate(film.taglines, 1)],
        schema.filming_locations: [
            {"title_key": t, "ordering": i, "place": s} for i, s in enumerate(film.filming_locations, 1)
        ],
        schema.trivia: [{"title_key": t, "ordering": i, "text": s} for i, s in enumerate(film.trivia, 1)],
        schema.release_dates: [
            {"title_key": t, "ordering": i, **r.model_dump()} for i, r in enumerate(film.release_dates, 1)
        ],
        schema.box_office: [
            {"title_key": t, "ordering": i, **b.model_dump()} for i, b in enumerate(film.box_office, 1)
        ],
        schema.runtimes: [
            {"title_key": t, "ordering": i, **r.model_dump()} for i, r in enumerate(film.runtimes, 1)
        ],
        schema.goofs: [
            {"title_key": t, "ordering": i, **g.model_dump()} for i, g in enumerate(film.goofs, 1)
        ],
        schema.quote_lines: [
            {"title_key": t, "quote_no": q, "line_no": n, **line.model_dump()}
            for q, quote in enumerate(film.quotes, 1)
            for n, line in enumerate(quote.lines, 1)
        ],
        schema.reviews: [_review_row(r, t, i) for i, r in enumerate(film.reviews, 1)],
        schema.title_countries: [
            {"title_key": t, "ordering": i, "country": c} for i, c in enumerate(film.countries, 1)
        ],
        schema.title_languages: [
            {"title_key": t, "ordering": i, "language": lang} for i, lang in enumerate(film.languages, 1)
        ],
        schema.external_scores: [
            {"title_key": t, "ordering": i, **s.model_dump()} for i, s in enumerate(film.scores, 1)
        ],
        schema.awards: [
            {"title_key": t, "ordering": i, **a.model_dump()} for i, a in enumerate(film.awards, 1)
        ],
        schema.external_ids: [
            {"title_key": t, "ordering": i, "site": site, "value": value}
            for i, (site, value) in enumerate(film.external_ids.items(), 1)
        ],
        schema.title_sources: [
            {"title_key": t, "section": section, "source": source}
            for section, source in sorted(film.sources.items())
        ],
    }
    return rows


def _rating_rows(rating: Rating | None, title_key: int) -> list[dict[str, Any]]:
    if rating is None:
        return []
    return [{"title_key": title_key, "average": rating.value, "scale": rating.scale, "votes": rating.votes}]


def _episode_rows(episode: EpisodeOf | None, title_key: int) -> list[dict[str, Any]]:
    if episode is None:
        return []
    return [
        {
            "title_key": title_key,
            "series_id": episode.series_id,
            "season": episode.season,
            "episode": episode.episode,
        }
    ]


def _alternate_row(alt: AlternateTitle, title_key: int, ordering: int) -> dict[str, Any]:
    return {
        "title_key": title_key,
        "ordering": ordering,
        "title": alt.title,
        "region": alt.region,
        "language": alt.language,
        "types": LIST_SEPARATOR.join(alt.types) or None,
        "attributes": LIST_SEPARATOR.join(alt.attributes) or None,
        "is_original": alt.is_original,
    }


def _review_row(review: Review, title_key: int, ordering: int) -> dict[str, Any]:
    return {
        "title_key": title_key,
        "ordering": ordering,
        "title": review.title,
        "body": review.body,
        "score_value": review.score.value if review.score else None,
        "score_scale": review.score.scale if review.score else None,
        "author": review.author,
        "date": review.date,
    }


def _credit_rows(
    film: Film, title_key: int, person_keys: Mapping[str, int], cast_category: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Stars, directors, writers, cast and crew as ``credits`` rows."""
    rows: list[dict[str, Any]] = []
    # Orderings count per list; crew shares one count across its categories so page order survives.
    counters: dict[str, int] = {}

    def add(
        category: str,
        nconst: str,
        job: str | None = None,
        character: str | None = None,
        credited_as: str | None = None,
    ) -> None:
        group = (
            "cast" if category in CAST_CATEGORIES else category if category in LISTED_CATEGORIES else "crew"
        )
        ordering = counters[group] = counters.get(group, 0) + 1
        rows.append(
            {
                "title_key": title_key,
                "category": category,
                "ordering": ordering,
                "person_key": person_keys[nconst],
                "job": job,
                "character": character,
                "credited_as": credited_as,
            }
        )

    for nconst in _star_ids(film):
        add("star", nconst)
    for person in film.directors:
        add("director", person_id(person))
    for person in film.writers:
        add("writer", person_id(person))
    for member in film.cast:
        nconst = person_id(member)
        category = cast_category.get(person_keys[nconst], "actor")
        add(category, nconst, character=member.character, credited_as=member.credited_as)
    for crew in film.crew:
        add(crew.category, person_id(crew), job=crew.job)
    return rows
