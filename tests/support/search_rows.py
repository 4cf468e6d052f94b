"""Small catalogues loaded straight into the tables, for the search, browse and chart tests.

The search tests should not depend on how films are saved: rows go in with ``executemany``
and the index is rebuilt, exactly as after a bulk import. ``module_url`` is a fixture: a test
module imports it to get one read-only database per backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import URL, Engine

from marquee.storage import SqlStore, open_store, schema, search_index


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
    scale: int = 10
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


def load(into: SqlStore | Engine, rows: Iterable[Row], *, rebuild: bool = True) -> dict[str, int]:
    """Insert the rows into a store, or through an engine on a database not yet migrated to head (ids
    continue after those present); returns tconst -> internal id."""
    rows = list(rows)
    with into.writing() if isinstance(into, SqlStore) else into.begin() as conn:
        start = conn.execute(select(func.coalesce(func.max(schema.titles.c.title_key), 0))).scalar_one()
        people = dict(conn.execute(select(schema.people.c.person_id, schema.people.c.person_key)).all())
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
            "title_key": tid,
            "title_id": r.tconst,
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
        out["imdb_ratings"].append(
            {"title_key": tid, "average": r.rating, "scale": r.scale, "votes": r.votes}
        )
    out["title_genres"] += [{"title_key": tid, "ordering": i, "genre": g} for i, g in enumerate(r.genres)]
    out["alternate_titles"] += [
        {
            "title_key": tid,
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
                    "person_key": people[nconst],
                    "person_id": nconst,
                    "name": name,
                    "birth_year": None,
                    "death_year": None,
                    "professions": category,
                    "known_for": None,
                }
            )
        out["credits"].append(
            {
                "title_key": tid,
                "category": category,
                "ordering": i,
                "person_key": people[nconst],
                "job": None,
                "character": None,
                "credited_as": None,
            }
        )
    for table, values in (("taglines", r.taglines), ("trivia", r.trivia)):
        out[table] += [{"title_key": tid, "ordering": i, "text": v} for i, v in enumerate(values)]
    out["goofs"] += [
        {"title_key": tid, "ordering": i, "category": None, "text": v} for i, v in enumerate(r.goofs)
    ]
    out["quote_lines"] += [
        {"title_key": tid, "quote_no": i, "line_no": 0, "character": None, "direction": None, "text": v}
        for i, v in enumerate(r.quotes)
    ]
    out["filming_locations"] += [
        {"title_key": tid, "ordering": i, "place": v} for i, v in enumerate(r.locations)
    ]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], ids=str
)
def module_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database on each backend shared by one test module (its catalogue is read-only)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("migrated_sqlite_at")(tmp_path_factory.mktemp("search") / "marquee.db")
        return
    server: URL = request.getfixturevalue("postgres_server_url")
    name = f"test_search_{uuid.uuid4().hex}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def open_loaded(url: str, rows: Iterable[Row]) -> Iterator[SqlStore]:
    """Open a store at ``url``, load ``rows``, and close it when the caller is done."""
    store = open_store(url)
    try:
        load(store, rows)
        yield store
    finally:
        store.close()


MASK_QUOTE = (
    "These things are good: ice cream and cake, a ride on a harley, seeing monkeys in the trees, "
    "the rain on my tongue, and the sun shining on my face."
)

# A small catalogue with the traps a search must get right: remakes, sequels, episodes that share
# a film's name, accented titles, titles known by other names abroad, and people with famous names.
CATALOGUE = [
    Row("tt0068646", "The Godfather", 1972, rating=9.2, votes=2_000_000, genres=["Crime", "Drama"],
        runtime=175, akas=["Il padrino", "Der Pate"],
        people=[("nm0000008", "Marlon Brando", "actor"), ("nm0000199", "Al Pacino", "actor"),
                ("nm0000338", "Francis Ford Coppola", "director")],
        locations=["New York City, New York, USA", "Sicily, Italy"]),
    Row("tt0071562", "The Godfather Part II", 1974, rating=9.0, votes=1_400_000, genres=["Crime", "Drama"],
        runtime=202,
        people=[("nm0000199", "Al Pacino", "actor"), ("nm0000338", "Francis Ford Coppola", "director")]),
    Row("tt0099674", "The Godfather Part III", 1990, rating=7.6, votes=450_000, genres=["Crime", "Drama"],
        runtime=162, people=[("nm0000199", "Al Pacino", "actor")]),
    Row("tt0089560", "Mask", 1985, rating=7.0, votes=12_168, genres=["Biography", "Drama"], runtime=120,
        akas=["Máscara", "Die Maske", "Dentro la maschera"],
        outline="A boy with a massive facial skull deformity and biker gang mother attempts to live as "
        "normal a life as possible under the circumstances.",
        plot="Rusty Dennis is the mother of Rocky, a seriously deformed but extremely intelligent child.",
        taglines=["Sometimes the most unlikely people become heroes."],
        trivia=["Eric Stoltz spent so much time under heavy makeup that he had to present I.D. to security."],
        goofs=["On the bench is a card from the 1986 Topps set."],
        quotes=[MASK_QUOTE],
        locations=["Azusa, California, USA"],
        people=[("nm0000128", "Cher", "actress"), ("nm0000655", "Eric Stoltz", "actor"),
                ("nm0000385", "Sam Elliott", "actor"), ("nm0000953", "Peter Bogdanovich", "director")]),
    Row("tt0110475", "The Mask", 1994, rating=6.9, votes=420_000, genres=["Comedy", "Fantasy"], runtime=101,
        people=[("nm0000120", "Jim Carrey", "actor"), ("nm0000235", "Cameron Diaz", "actress")],
        plot="Bank clerk Stanley Ipkiss is transformed by a magical mask into a manic superhero.",
        locations=["Los Angeles, California, USA"]),
    Row("tt0120746", "The Mask of Zorro", 1998, rating=6.8, votes=190_000, genres=["Action", "Adventure"],
        runtime=136, people=[("nm0000104", "Antonio Banderas", "actor")]),
    Row("tt0211915", "Amélie", 2001, rating=8.3, votes=800_000, genres=["Comedy", "Romance"], runtime=122,
        original="Le fabuleux destin d'Amélie Poulain", akas=["Die fabelhafte Welt der Amélie"],
        plot="Amélie is an innocent and naive girl in Paris with her own sense of justice.",
        locations=["Paris, France"],
        people=[("nm0851582", "Audrey Tautou", "actress"), ("nm0000466", "Jean-Pierre Jeunet", "director")]),
    Row("tt0045152", "Singin' in the Rain", 1952, rating=8.3, votes=260_000, genres=["Comedy", "Musical"],
        runtime=103, people=[("nm0000037", "Gene Kelly", "actor")]),
    Row("tt0046250", "Roman Holiday", 1953, rating=8.0, votes=150_000, genres=["Comedy", "Romance"],
        runtime=118, akas=["Vacanze romane"], people=[("nm0000030", "Audrey Hepburn", "actress")]),
    Row("tt0903747", "Breaking Bad", 2008, kind="tvSeries", rating=9.5, votes=2_100_000,
        genres=["Crime", "Drama"], runtime=49),
    Row("tt9000001", "Mask", 2003, kind="tvEpisode", rating=7.9, votes=300, genres=["Drama"]),
    Row("tt9000002", "The Godfather", 2012, kind="tvEpisode", rating=8.1, votes=900, genres=["Comedy"]),
    Row("tt9000003", "Cher", 1975, kind="tvSeries", rating=6.0, votes=400, genres=["Music"],
        people=[("nm0000128", "Cher", "self")]),
    Row("tt9000004", "Mask", 1929, rating=5.5, votes=40, genres=["Drama"], runtime=70),
]  # fmt: skip


def catalogue_tsv_rows(path: Path) -> list[Row]:
    """The rows of a relevance catalogue: a header, then ``tconst kind year rating votes title aka…``
    tab-separated (an empty rating or zero votes: none)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        tconst, kind, year, rating, votes, title, *akas = line.split("\t")
        rows.append(
            Row(tconst, title, int(year), kind=kind, akas=akas, rating=float(rating) if rating else None,
                votes=int(votes) or None)
        )  # fmt: skip
    return rows
