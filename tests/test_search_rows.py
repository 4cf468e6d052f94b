"""Loading small catalogues straight into the tables, for the search, browse and chart tests.

The search tests should not depend on how films are saved: rows go in with ``executemany``
and the index is rebuilt, exactly as after a bulk import. (Imported by the other
``test_search*``/``test_browse*``/``test_charts*``/``test_relevance`` modules.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine

from marquee.storage import schema, search_index


@dataclass
class Row:
    """One title and the parts the search reads."""

    tconst: str
    title: str
    year: int | None = None
    kind: str = "movie"
    original: str | None = None
    akas: Sequence[str] = ()
    rating: float | None = None
    votes: int | None = None
    genres: Sequence[str] = ()
    runtime: int | None = None
    people: Sequence[tuple[str, str, str]] = ()  # (nconst, name, category)
    plot: str | None = None
    outline: str | None = None
    taglines: Sequence[str] = ()
    trivia: Sequence[str] = ()
    goofs: Sequence[str] = ()
    quotes: Sequence[str] = ()
    locations: Sequence[str] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def load(engine: Engine, rows: Iterable[Row], *, rebuild: bool = True) -> dict[str, int]:
    """Insert the rows (ids continue after those present); returns tconst -> internal id."""
    rows = list(rows)
    with engine.begin() as conn:
        start = conn.execute(select(func.coalesce(func.max(schema.titles.c.id), 0))).scalar_one()
        people = dict(conn.execute(select(schema.people.c.nconst, schema.people.c.id)).all())
        ids = {r.tconst: start + i + 1 for i, r in enumerate(rows)}
        tables: dict[str, list[dict[str, Any]]] = {t: [] for t in _TABLES}
        for r in rows:
            _rows_of(r, ids[r.tconst], people, tables)
        for name, values in tables.items():
            if values:
                conn.execute(insert(schema.metadata.tables[name]), values)
        if rebuild:
            search_index.rebuild(conn)
    return ids


_TABLES = (
    "titles",
    "imdb_ratings",
    "title_genres",
    "alternate_titles",
    "people",
    "credits",
    "taglines",
    "trivia",
    "goofs",
    "quote_lines",
    "filming_locations",
)


def _rows_of(r: Row, tid: int, people: dict[str, int], out: dict[str, list[dict[str, Any]]]) -> None:
    out["titles"].append(
        {
            "id": tid,
            "tconst": r.tconst,
            "kind": r.kind,
            "primary_title": r.title,
            "original_title": r.original or r.title,
            "is_adult": False,
            "start_year": r.year,
            "end_year": None,
            "runtime_minutes": r.runtime,
            "published": None,
            "outline": r.outline,
            "plot": r.plot,
            "comments_open": True,
        }
    )
    if r.rating is not None:
        out["imdb_ratings"].append({"title_id": tid, "average": r.rating, "scale": 10, "votes": r.votes})
    out["title_genres"] += [{"title_id": tid, "ordering": i, "genre": g} for i, g in enumerate(r.genres)]
    out["alternate_titles"] += [
        {
            "title_id": tid,
            "ordering": i,
            "title": a,
            "region": None,
            "language": None,
            "types": None,
            "attributes": None,
            "is_original": False,
        }
        for i, a in enumerate(r.akas)
    ]
    for i, (nconst, name, category) in enumerate(r.people):
        if nconst not in people:
            people[nconst] = max(people.values(), default=0) + 1
            out["people"].append(
                {
                    "id": people[nconst],
                    "nconst": nconst,
                    "name": name,
                    "birth_year": None,
                    "death_year": None,
                    "professions": category,
                    "known_for": None,
                }
            )
        out["credits"].append(
            {
                "title_id": tid,
                "category": category,
                "ordering": i,
                "person_id": people[nconst],
                "job": None,
                "character": None,
                "credited_as": None,
            }
        )
    for table, values in (("taglines", r.taglines), ("trivia", r.trivia)):
        out[table] += [{"title_id": tid, "ordering": i, "text": v} for i, v in enumerate(values)]
    out["goofs"] += [
        {"title_id": tid, "ordering": i, "category": None, "text": v} for i, v in enumerate(r.goofs)
    ]
    out["quote_lines"] += [
        {"title_id": tid, "quote_no": i, "line_no": 0, "character": None, "direction": None, "text": v}
        for i, v in enumerate(r.quotes)
    ]
    out["filming_locations"] += [
        {"title_id": tid, "ordering": i, "place": v} for i, v in enumerate(r.locations)
    ]


def test_load_gives_each_title_an_id_and_indexes_it(sqlite_url: str) -> None:
    from marquee.storage import open_store

    store = open_store(sqlite_url)
    try:
        ids = load(store.engine, [Row("tt1", "Mask", 1985), Row("tt2", "Amélie", 2001, akas=["Amelie"])])
        assert ids == {"tt1": 1, "tt2": 2}
        with store.engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM title_search ORDER BY name")).scalars().all()
        assert names == [" amelie ", " mask "]
    finally:
        store.close()
