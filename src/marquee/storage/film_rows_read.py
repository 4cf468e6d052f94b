"""Table rows back to a film record (no I/O: the store runs the queries); ``film_rows`` goes there.

``film_from_rows`` rebuilds the record from a ``titles`` row and its parts' rows, repairing what an
older version stored that the rules now refuse (logged on ``marquee.storage``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table

from marquee.records import Film, validate_stored
from marquee.storage import schema
from marquee.storage.film_rows import (
    CAST_CATEGORIES,
    IMDB_SECTIONS,
    LIST_SEPARATOR,
    LISTED_CATEGORIES,
    Row,
)

__all__ = ["film_from_rows", "log"]

log = logging.getLogger("marquee.storage")


def film_from_rows(title: Row, parts: Mapping[Table, Sequence[Row]]) -> Film:
    """Rebuild a film from its ``titles`` row and its part rows, each list in stored order.

    Credit rows carry the person's ``person_id`` and ``name`` (joined from ``people``). The record is
    built as plain data and validated once: much faster than building each part as a model.
    Values an older version stored that the rules now refuse are repaired or left out (see
    ``records.validate_stored``) and logged as warnings on ``marquee.storage``: a film always reads.
    """

    def rows(table: Table) -> Sequence[Row]:
        return parts.get(table, ())

    def first(table: Table) -> Row | None:
        found = rows(table)
        return found[0] if found else None

    rating, episode = first(schema.imdb_ratings), first(schema.episodes)
    data: dict[str, Any] = {
        "id": title["title_id"],
        "title": title["primary_title"],
        "original_title": title["original_title"],
        "kind": title["kind"],
        "year": title["start_year"],
        "end_year": title["end_year"],
        "is_adult": bool(title["is_adult"]),
        "published": title["published"],
        "outline": title["outline"],
        "plot": title["plot"],
        "genres": [r["genre"] for r in rows(schema.title_genres)],
        "rating": rating and {"value": rating["average"], "scale": rating["scale"], "votes": rating["votes"]},
        **_credits_fields(rows(schema.credits)),
        "taglines": [r["text"] for r in rows(schema.taglines)],
        "release_dates": [_pick(r, "date", "country", "note") for r in rows(schema.release_dates)],
        "filming_locations": [r["place"] for r in rows(schema.filming_locations)],
        "box_office": [_pick(r, "kind", "amount", "currency", "country") for r in rows(schema.box_office)],
        "runtimes": [_pick(r, "minutes", "country", "note") for r in rows(schema.runtimes)],
        "trivia": [r["text"] for r in rows(schema.trivia)],
        "goofs": [_pick(r, "category", "text") for r in rows(schema.goofs)],
        "quotes": _quotes(rows(schema.quote_lines)),
        "reviews": [_review(r) for r in rows(schema.reviews)],
        "alternate_titles": [_alternate(r) for r in rows(schema.alternate_titles)],
        "episode_of": episode
        and {
            "series_id": episode["series_id"],
            "season": episode["season"],
            "episode": episode["episode"],
        },
        "countries": [r["country"] for r in rows(schema.title_countries)],
        "languages": [r["language"] for r in rows(schema.title_languages)],
        "scores": [
            _pick(r, "source", "kind", "value", "scale", "count") for r in rows(schema.external_scores)
        ],
        "awards": [_pick(r, "name", "category", "year", "outcome") for r in rows(schema.awards)],
        "external_ids": {r["site"]: r["value"] for r in rows(schema.external_ids)},
        "sources": {r["section"]: r["source"] for r in rows(schema.title_sources)},
        "comments_open": bool(title["comments_open"]),
    }
    dump = first(schema.imdb_dataset_titles)  # the last IMDb dataset import brought this title
    if dump is not None and dump.get("value"):
        for name in IMDB_SECTIONS:
            if name not in data["sources"] and data[name] not in (None, "", [], {}):
                data["sources"][name] = dump["value"]
    data["sources"] = dict(sorted(data["sources"].items()))
    film, repaired = validate_stored(Film, data)
    if repaired:
        # Rows an older version stored that the record's rules now refuse: the film is still read.
        log.warning("film %s: read without stored values the rules refuse: %s", film.id, "; ".join(repaired))
    return film


def _pick(row: Row, *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names}


def _credits_fields(credits: Sequence[Row]) -> dict[str, Any]:
    """``stars``, ``directors``, ``writers``, ``cast`` and ``crew`` from credit rows."""

    def of(*categories: str) -> list[Row]:
        return sorted((r for r in credits if r["category"] in categories), key=lambda r: r["ordering"])

    crew = sorted(
        (r for r in credits if r["category"] not in LISTED_CATEGORIES),
        key=lambda r: (r["ordering"], r["category"], r["person_id"]),
    )
    return {
        "stars": [r["name"] for r in of("star")],
        "directors": [{"name": r["name"], "id": r["person_id"]} for r in of("director")],
        "writers": [{"name": r["name"], "id": r["person_id"]} for r in of("writer")],
        "cast": [
            {
                "name": r["name"],
                "character": r["character"],
                "credited_as": r["credited_as"],
                "id": r["person_id"],
            }
            for r in of(*CAST_CATEGORIES)
        ],
        "crew": [
            {"name": r["name"], "category": r["category"], "job": r["job"], "id": r["person_id"]}
            for r in crew
        ],
    }


def _split(value: str | None) -> list[str]:
    return value.split(LIST_SEPARATOR) if value else []


def _alternate(row: Row) -> dict[str, Any]:
    return {
        **_pick(row, "title", "region", "language"),
        "types": _split(row["types"]),
        "attributes": _split(row["attributes"]),
        "is_original": bool(row["is_original"]),
    }


def _review(row: Row) -> dict[str, Any]:
    score = None
    if row["score_value"] is not None:
        score = {"value": row["score_value"], "scale": row["score_scale"] or 10}
    return {**_pick(row, "title", "body", "author", "date"), "score": score}


def _quotes(lines: Sequence[Row]) -> list[dict[str, Any]]:
    """Quote lines (ordered by quote, then line) grouped into quotes."""
    quotes: dict[int, list[dict[str, Any]]] = {}
    for r in lines:
        quotes.setdefault(r["quote_no"], []).append(_pick(r, "character", "direction", "text"))
    return [{"lines": q} for q in quotes.values()]
