"""Search by description (issue 21): the text read for it, the models and the vectors stored.

``description_models`` holds each model (the default ``lsa`` one, or a user's model by name) and
``description_vectors`` each film's vectors under it, as float32 bytes on both backends (no
``sqlite-vec``: this Python's sqlite3 cannot load extensions; numpy scores them in process).
Rows name films by ``title_id``; a film gone since the build drops out of the results (they join
``titles``). A build writes its vectors under a temporary name and ``publish`` swaps them in, in
one transaction, so a reader sees the old index or the new one, never half of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from marquee.storage.base import Store
from marquee.storage.engine import engine_of
from marquee.storage.schema import (
    imdb_ratings,
    quote_lines,
    taglines,
    title_genres,
    titles,
    trivia,
)
from marquee.storage.tables import metadata, time_column
from marquee.storage.transactions import write_connection

__all__ = [
    "BUILDING_SUFFIX",
    "ModelRow",
    "TitleRow",
    "clear_building",
    "count_vectors",
    "description_models",
    "description_vectors",
    "model_names",
    "model_row",
    "model_stamp",
    "publish",
    "text_batches",
    "title_rows",
    "vector_batches",
    "write_vectors",
]

description_models = Table(
    "description_models",
    metadata,
    Column("name", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("build_id", String, nullable=False),
    time_column("built_at"),
    Column("dims", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("params", Text, nullable=False),
    Column("vocabulary", LargeBinary),
    Column("idf", LargeBinary),
    Column("components", LargeBinary),
)
description_vectors = Table(
    "description_vectors",
    metadata,
    Column("model", String, nullable=False),
    Column("title_id", String, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("terms", LargeBinary),
    PrimaryKeyConstraint("model", "title_id"),
)

BUILDING_SUFFIX = "~building"  # vectors of a build in progress live under "<name>~building"


@dataclass(frozen=True)
class ModelRow:
    """A stored model (the blobs are None for a user's model, which lives in its folder)."""

    name: str
    kind: str
    build_id: str
    built_at: dt.datetime
    dims: int
    documents: int
    params: str
    vocabulary: bytes | None
    idf: bytes | None
    components: bytes | None


@dataclass(frozen=True)
class TitleRow:
    """What a list of films shows of a title found."""

    title_id: str
    title: str
    year: int | None
    kind: str
    rating: float | None
    votes: int | None


def _chunks(ids: Sequence[int], size: int = 900) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def text_batches(store: Store, batch: int = 2000) -> Iterator[list[tuple[str, str]]]:
    """Every film's text for the model, ``batch`` titles at a time in id order (keyset paging, so
    memory stays bounded): outline, storyline, taglines, trivia, quotes, then its genres. Films
    without any of that prose are left out (genres alone say nothing of a story)."""
    last = 0
    while True:
        with store.reading() as conn:
            rows = conn.execute(
                select(titles.c.title_key, titles.c.title_id, titles.c.outline, titles.c.plot)
                .where(titles.c.title_key > last)
                .order_by(titles.c.title_key)
                .limit(batch)
            ).all()
            if not rows:
                return
            ids = [r.title_key for r in rows]
            prose: dict[int, list[str]] = {r.title_key: [r.outline or "", r.plot or ""] for r in rows}
            genres: dict[int, list[str]] = {}
            for chunk in _chunks(ids):
                for table in (taglines, trivia, quote_lines):
                    order = (
                        (table.c.title_key, table.c.quote_no, table.c.line_no)
                        if table is quote_lines
                        else (table.c.title_key, table.c.ordering)
                    )
                    for tid, body in conn.execute(
                        select(table.c.title_key, table.c.text)
                        .where(table.c.title_key.in_(chunk))
                        .order_by(*order)
                    ):
                        prose[tid].append(body)
                for tid, genre in conn.execute(
                    select(title_genres.c.title_key, title_genres.c.genre)
                    .where(title_genres.c.title_key.in_(chunk))
                    .order_by(title_genres.c.title_key, title_genres.c.ordering)
                ):
                    genres.setdefault(tid, []).append(genre)
        out: list[tuple[str, str]] = []
        for r in rows:
            text = " ".join(p for p in prose[r.title_key] if p).strip()
            if text:
                out.append((r.title_id, " ".join([text, *genres.get(r.title_key, [])])))
        yield out
        last = ids[-1]


def clear_building(store: Store, name: str) -> None:
    """Drop what an earlier, interrupted build of ``name`` left behind."""
    with write_connection(engine_of(store)) as conn:
        conn.execute(delete(description_vectors).where(description_vectors.c.model == name + BUILDING_SUFFIX))


def write_vectors(store: Store, name: str, rows: Sequence[tuple[str, bytes, bytes | None]]) -> None:
    """Store one batch of (title_id, vector, terms) of a build in progress of model ``name``."""
    if not rows:
        return
    staged = name + BUILDING_SUFFIX
    with write_connection(engine_of(store)) as conn:
        conn.execute(
            insert(description_vectors),
            [{"model": staged, "title_id": t, "vector": v, "terms": terms} for t, v, terms in rows],
        )


def publish(store: Store, model: dict[str, Any]) -> None:
    """Swap a finished build in: its vectors replace the model's, and the model row is written, in
    one transaction (``model``: the ``description_models`` columns)."""
    name = model["name"]
    with write_connection(engine_of(store)) as conn:
        conn.execute(delete(description_vectors).where(description_vectors.c.model == name))
        conn.execute(
            update(description_vectors)
            .where(description_vectors.c.model == name + BUILDING_SUFFIX)
            .values(model=name)
        )
        conn.execute(delete(description_models).where(description_models.c.name == name))
        conn.execute(insert(description_models), [model])


def model_stamp(store: Store, name: str) -> str | None:
    """The build id of model ``name``, or None if it was never built (one small read)."""
    with store.reading() as conn:
        found: str | None = conn.execute(
            select(description_models.c.build_id).where(description_models.c.name == name)
        ).scalar()
        return found


def model_names(store: Store) -> list[tuple[str, str, int, int]]:
    """Every stored model: (name, kind, dims, documents)."""
    with store.reading() as conn:
        query = select(
            description_models.c.name,
            description_models.c.kind,
            description_models.c.dims,
            description_models.c.documents,
        ).order_by(description_models.c.name)
        return [(r[0], r[1], r[2], r[3]) for r in conn.execute(query)]


def model_row(store: Store, name: str) -> ModelRow | None:
    """Model ``name`` whole, or None."""
    with store.reading() as conn:
        row = conn.execute(select(description_models).where(description_models.c.name == name)).first()
    if row is None:
        return None
    return ModelRow(
        row.name,
        row.kind,
        row.build_id,
        row.built_at,
        row.dims,
        row.documents,
        row.params,
        None if row.vocabulary is None else bytes(row.vocabulary),
        None if row.idf is None else bytes(row.idf),
        None if row.components is None else bytes(row.components),
    )


def vector_batches(
    store: Store, name: str, batch: int = 5000
) -> Iterator[list[tuple[str, bytes, bytes | None]]]:
    """Model ``name``'s stored vectors, ``batch`` at a time in title_id order: (title_id, vector, terms)."""
    last = ""
    while True:
        with store.reading() as conn:
            rows = conn.execute(
                select(
                    description_vectors.c.title_id, description_vectors.c.vector, description_vectors.c.terms
                )
                .where(description_vectors.c.model == name, description_vectors.c.title_id > last)
                .order_by(description_vectors.c.title_id)
                .limit(batch)
            ).all()
        if not rows:
            return
        yield [(r[0], bytes(r[1]), None if r[2] is None else bytes(r[2])) for r in rows]
        last = rows[-1][0]


def title_rows(store: Store, title_ids: Sequence[str]) -> dict[str, TitleRow]:
    """Display fields of the titles still in the catalogue, by title_id."""
    out: dict[str, TitleRow] = {}
    with store.reading() as conn:
        for start in range(0, len(title_ids), 500):
            chunk = list(title_ids[start : start + 500])
            query = (
                select(
                    titles.c.title_id,
                    titles.c.primary_title,
                    titles.c.start_year,
                    titles.c.kind,
                    imdb_ratings.c.average,
                    imdb_ratings.c.votes,
                )
                .select_from(titles.outerjoin(imdb_ratings, imdb_ratings.c.title_key == titles.c.title_key))
                .where(titles.c.title_id.in_(chunk))
            )
            for r in conn.execute(query):
                out[r[0]] = TitleRow(r[0], r[1], r[2], r[3], r[4], r[5])
    return out


def count_vectors(store: Store, name: str) -> int:
    """How many films have vectors under model ``name``."""
    with store.reading() as conn:
        found = conn.execute(
            select(func.count()).select_from(description_vectors).where(description_vectors.c.model == name)
        ).scalar()
        return int(found or 0)
