"""Merge staged IMDb files into the store's tables, in the caller's single transaction.

Ownership (what a dataset import may change): for *dataset titles* — the titles of the last
``title.basics`` imported, listed in ``imdb_dataset_titles`` — the import owns the columns of
``titles`` that title.basics carries, and the rows of ``title_genres``, ``imdb_ratings``,
``alternate_titles``, ``episodes``, the basics runtime (``runtimes`` ordering 0 without country
or note, only when the title has no other runtime) and every credit except the page's
``star`` line. Everything else (plots, taglines, trivia, reviews, members' data…) is left as
it is. A file that is not in the directory leaves its tables untouched.

Ids: an IMDb title or person gets the number of its ``tt``/``nm`` id as internal id, so
staged rows join without lookups. A row already in the store that holds such an id under
another public id (a slug film numbered by the store) is moved to a fresh id at or above
``SLUG_ID_BASE`` first, with every row that points at it; a ``tt`` film the store numbered
otherwise is moved onto its IMDb number. Nothing collides, and a page's film ``tt…`` and the
dataset's ``tt…`` are one row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marquee.storage import schema

__all__ = ["SLUG_ID_BASE", "MergeCounts", "Sql", "genre_rows", "merge_staged"]

# Internal ids of slug titles/people start here: above every IMDb number for decades
# (tt ids are ~tt36M in 2025) and below 2**28, the search index's id limit.
SLUG_ID_BASE = 200_000_000

Sql = Callable[[str], Any]  # runs one statement, returns a DB-API cursor


@dataclass
class MergeCounts:
    """Rows written per store table, and dataset titles/people removed."""

    written: dict[str, int]
    # Rows left out because they name a title or person the store does not have, by what they are.
    unplaced: dict[str, int] = field(default_factory=dict)
    titles_removed: int = 0
    people_removed: int = 0
    ids_moved: int = 0


def _title_part_tables() -> list[str]:
    """Tables of schema.py holding parts of a title (deleted with it)."""
    return [t.name for t in schema.metadata.sorted_tables if "title_id" in t.c]


@dataclass
class _Ctx:
    run: Sql
    dialect: str
    stage: dict[str, str]  # dataset -> qualified staging table
    all_tables: Callable[[], dict[str, list[str]]]  # table -> columns, for id moves
    counts: MergeCounts

    def q(self, sql: str) -> int:
        cur = self.run(sql)
        return int(cur.rowcount or 0) if cur is not None else 0

    def one(self, sql: str) -> Any:
        return self.run(sql).fetchone()

    def all(self, sql: str) -> list[Any]:
        return list(self.run(sql).fetchall())


def merge_staged(
    run: Sql,
    dialect: str,
    stage: dict[str, str],
    all_tables: Callable[[], dict[str, list[str]]],
) -> MergeCounts:
    """Apply the staged files (``stage``: dataset -> table) to the store; the caller commits."""
    ctx = _Ctx(run, dialect, stage, all_tables, MergeCounts(written={}))
    _ensure_marker_tables(ctx)
    if "title.basics" in stage:
        _merge_titles(ctx)
    if "title.ratings" in stage:
        _replace(ctx, "imdb_ratings", _RATINGS)
    if "title.akas" in stage:
        _replace(ctx, "alternate_titles", _AKAS)
    if "title.episode" in stage:
        _replace(ctx, "episodes", _EPISODES)
    gone_people = _merge_people(ctx) if "name.basics" in stage else False
    if "title.principals" in stage or "title.crew" in stage:
        _merge_credits(ctx)
    if gone_people:
        ctx.counts.people_removed = ctx.q(
            "DELETE FROM people WHERE id IN (SELECT id FROM imdb_gone_people)"
            " AND NOT EXISTS (SELECT 1 FROM credits c WHERE c.person_id = people.id)"
        )
    if dialect == "postgresql":
        _lift_sequences(ctx)
    return ctx.counts


def _lift_sequences(ctx: _Ctx) -> None:
    """PostgreSQL: ids the store draws for new films/people start above every IMDb number."""
    for table in ("titles", "people"):
        ctx.run(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" greatest((SELECT coalesce(max(id), 0) FROM {table}), {SLUG_ID_BASE}))"
        )


def _ensure_marker_tables(ctx: _Ctx) -> None:
    """The per-import temp tables (``imdb_dataset_*`` are in the schema since migration 0006)."""
    tail = "" if ctx.dialect == "sqlite" else " ON COMMIT DROP"
    for name in ("imdb_gone_titles", "imdb_gone_people"):
        ctx.run(f"DROP TABLE IF EXISTS {'temp.' if ctx.dialect == 'sqlite' else ''}{name}")
        ctx.run(f"CREATE TEMP TABLE {name} (id INTEGER PRIMARY KEY){tail}")


# ------------------------------------------------------------------ secondary indexes


def _indexes(table: str) -> list[Any]:
    return sorted(schema.metadata.tables[table].indexes, key=lambda ix: str(ix.name))


def _drop_indexes(ctx: _Ctx, table: str, incoming: int) -> list[Any]:
    """Drop a table's secondary indexes when the load outweighs what is there (rebuilt after)."""
    existing = int(ctx.one(f"SELECT count(*) FROM {table}")[0])
    if incoming < 50_000 or existing * 2 > incoming:
        return []
    dropped = _indexes(table)
    for ix in dropped:
        ctx.run(f"DROP INDEX IF EXISTS {ix.name}")
    return dropped


def _create_indexes(ctx: _Ctx, indexes: Sequence[Any]) -> None:
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    dialect = sqlite.dialect() if ctx.dialect == "sqlite" else postgresql.dialect()  # type: ignore[no-untyped-call]
    for ix in indexes:
        ctx.run(str(CreateIndex(ix).compile(dialect=dialect)))


def _count(ctx: _Ctx, dataset: str) -> int:
    return int(ctx.one(f"SELECT count(*) FROM {ctx.stage[dataset]}")[0])


# ------------------------------------------------------------------ id moves


def _next_free_id(ctx: _Ctx, table: str) -> int:
    top = ctx.one(f"SELECT max(id) FROM {table} WHERE id >= {SLUG_ID_BASE}")[0]
    return SLUG_ID_BASE if top is None else int(top) + 1


def _move_id(ctx: _Ctx, table: str, old: int, new: int) -> None:
    """Renumber one title/person and everything pointing at it (any table of the database)."""
    ref = "title_id" if table == "titles" else "person_id"
    ctx.run(f"UPDATE {table} SET id = {new} WHERE id = {old}")
    for name, columns in ctx.all_tables().items():
        if ref in columns and name != table:
            ctx.run(f"UPDATE {name} SET {ref} = {new} WHERE {ref} = {old}")
    ctx.counts.ids_moved += 1


def _make_room(ctx: _Ctx, table: str, key: str, staged: str) -> None:
    """Move rows out of the way of staged ids (slug rows) and onto them (tt/nm rows numbered otherwise)."""
    squatters = ctx.all(
        f"SELECT t.id FROM {table} t JOIN {staged} s ON s.id = t.id WHERE t.{key} <> s.{key} ORDER BY t.id"
    )
    for (old,) in squatters:
        _move_id(ctx, table, int(old), _next_free_id(ctx, table))
    strays = ctx.all(
        f"SELECT t.id, s.id FROM {table} t JOIN {staged} s ON s.{key} = t.{key} WHERE t.id <> s.id"
    )
    for old, new in strays:
        _move_id(ctx, table, int(old), int(new))


# ------------------------------------------------------------------ titles


def _merge_titles(ctx: _Ctx) -> None:
    basics = ctx.stage["title.basics"]
    incoming = _count(ctx, "title.basics")
    # Titles of the previous import that the new dump no longer has: removed with all their parts.
    ctx.run(
        "INSERT INTO imdb_gone_titles (id) SELECT d.id FROM imdb_dataset_titles d"
        f" WHERE NOT EXISTS (SELECT 1 FROM {basics} s WHERE s.id = d.id)"
    )
    for table in _title_part_tables():
        ctx.run(f"DELETE FROM {table} WHERE title_id IN (SELECT id FROM imdb_gone_titles)")
    ctx.counts.titles_removed = ctx.q("DELETE FROM titles WHERE id IN (SELECT id FROM imdb_gone_titles)")
    _make_room(ctx, "titles", "tconst", basics)
    dropped = _drop_indexes(ctx, "titles", incoming)
    cols = "tconst, kind, primary_title, original_title, is_adult, start_year, end_year, runtime_minutes"
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols.split(", "))
    ctx.counts.written["titles"] = ctx.q(
        f"INSERT INTO titles (id, {cols}) SELECT id, {cols} FROM {basics} WHERE true"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    _create_indexes(ctx, dropped)
    ctx.run("DELETE FROM imdb_dataset_titles")
    ctx.run(f"INSERT INTO imdb_dataset_titles (id) SELECT id FROM {basics}")
    # Genres, in the file's order.
    ctx.run("DELETE FROM title_genres WHERE title_id IN (SELECT id FROM imdb_dataset_titles)")
    dropped = _drop_indexes(ctx, "title_genres", incoming)
    ctx.counts.written["title_genres"] = ctx.q(
        f"INSERT INTO title_genres (title_id, ordering, genre) {genre_rows(ctx.dialect, basics)}"
    )
    _create_indexes(ctx, dropped)
    # The basics runtime: ordering 0, no country; a page's own runtimes take precedence.
    ctx.run(
        "DELETE FROM runtimes WHERE ordering = 0 AND country IS NULL AND note IS NULL"
        " AND title_id IN (SELECT id FROM imdb_dataset_titles)"
    )
    ctx.counts.written["runtimes"] = ctx.q(
        "INSERT INTO runtimes (title_id, ordering, minutes)"
        f" SELECT s.id, 0, s.runtime_minutes FROM {basics} s"
        " WHERE s.runtime_minutes IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM runtimes r WHERE r.title_id = s.id)"
    )


# ------------------------------------------------------------------ simple title parts

_RATINGS = (
    "title.ratings",
    "title_id, average, scale, votes",
    "s.title_id, s.average, 10, s.votes",
)
_AKAS = (
    "title.akas",
    "title_id, ordering, title, region, language, types, attributes, is_original",
    "s.title_id, s.ordering, s.title, s.region, s.language, s.types, s.attributes, s.is_original",
)
_EPISODES = (
    "title.episode",
    "title_id, series_tconst, season, episode",
    "s.title_id, s.series_tconst, s.season, s.episode",
)


def _replace(ctx: _Ctx, table: str, spec: tuple[str, str, str]) -> None:
    """Replace a table's rows of dataset titles with the staged ones (titles outside are ignored)."""
    dataset, cols, select = spec
    ctx.run(f"DELETE FROM {table} WHERE title_id IN (SELECT id FROM imdb_dataset_titles)")
    staged = _count(ctx, dataset)
    dropped = _drop_indexes(ctx, table, staged)
    ctx.counts.written[table] = ctx.q(
        f"INSERT INTO {table} ({cols}) SELECT {select} FROM {ctx.stage[dataset]} s"
        " JOIN imdb_dataset_titles d ON d.id = s.title_id"
    )
    _unplaced(ctx, f"{dataset} rows (title not in title.basics)", staged - ctx.counts.written[table])
    _create_indexes(ctx, dropped)


def _unplaced(ctx: _Ctx, what: str, rows: int) -> None:
    if rows:
        ctx.counts.unplaced[what] = rows


# ------------------------------------------------------------------ people and credits


def genre_rows(dialect: str, basics: str) -> str:
    """SELECT of (title id, ordering from 1, genre) of every staged title.basics row, in the file's order."""
    if dialect == "sqlite":
        return (
            "SELECT s.id, j.key + 1, j.value FROM"
            f" {basics} s, json_each('[\"' || replace(s.genres, ',', '\",\"') || '\"]') j"
            " WHERE s.genres IS NOT NULL"
        )
    return (
        f"SELECT s.id, g.n, g.genre FROM {basics} s,"
        " unnest(string_to_array(s.genres, ',')) WITH ORDINALITY AS g(genre, n)"
        " WHERE s.genres IS NOT NULL"
    )


def _merge_people(ctx: _Ctx) -> bool:
    names = ctx.stage["name.basics"]
    ctx.run(
        "INSERT INTO imdb_gone_people (id) SELECT d.id FROM imdb_dataset_people d"
        f" WHERE NOT EXISTS (SELECT 1 FROM {names} s WHERE s.id = d.id)"
    )
    _make_room(ctx, "people", "nconst", names)
    dropped = _drop_indexes(ctx, "people", _count(ctx, "name.basics"))
    cols = "nconst, name, birth_year, death_year, professions, known_for"
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols.split(", "))
    ctx.counts.written["people"] = ctx.q(
        f"INSERT INTO people (id, {cols}) SELECT id, {cols} FROM {names} WHERE true"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    _create_indexes(ctx, dropped)
    ctx.run("DELETE FROM imdb_dataset_people")
    ctx.run(f"INSERT INTO imdb_dataset_people (id) SELECT id FROM {names}")
    return True


def _crew_list(ctx: _Ctx, column: str) -> tuple[str, str, str]:
    """SQL pieces over a crew id list: (FROM item with value/key, length expr, contains-person expr)."""
    if ctx.dialect == "sqlite":
        arr = f"'[' || c.{column} || ']'"
        return (
            f"json_each({arr}) j",
            "j.key + 1",
            "j.value",
        )
    return (
        f"unnest(string_to_array(c.{column}, ',')::int[]) WITH ORDINALITY AS j(value, key)",
        "j.key",
        "j.value",
    )


def _merge_credits(ctx: _Ctx) -> None:
    principals = ctx.stage.get("title.principals")
    crew = ctx.stage.get("title.crew")
    ctx.run(
        "DELETE FROM credits WHERE category <> 'star' AND title_id IN (SELECT id FROM imdb_dataset_titles)"
    )
    incoming = (_count(ctx, "title.principals") if principals else 0) + (
        _count(ctx, "title.crew") if crew else 0
    )
    dropped = _drop_indexes(ctx, "credits", incoming)
    written = 0
    if principals:
        # Cast (actor, actress, self) in billing order, and other crew with their job.
        written += ctx.q(
            "INSERT INTO credits (title_id, category, ordering, person_id, job, character)"
            " SELECT p.title_id, p.category, p.ordering, p.person_id, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.id = p.title_id"
            " WHERE p.category NOT IN ('director', 'writer')"
        )
    for category, column in (("director", "directors"), ("writer", "writers")):
        if crew:
            each, position, person = _crew_list(ctx, column)
            # title.crew's list gives the order; principals only add a job (e.g. "screenplay").
            written += ctx.q(
                "INSERT INTO credits (title_id, category, ordering, person_id)"
                f" SELECT c.title_id, '{category}', {position}, {person}"
                f" FROM {crew} c JOIN imdb_dataset_titles d ON d.id = c.title_id, {each}"
                f" WHERE c.{column} IS NOT NULL"
            )
        if principals:
            written += ctx.q(_principal_only(ctx, category, column, principals, crew))
    if principals and crew:
        # One pass over principals' directors and writers: their job goes onto the crew's line.
        ctx.run(
            f"UPDATE credits SET job = p.job FROM {principals} p"
            " WHERE p.category IN ('director', 'writer') AND p.job IS NOT NULL"
            " AND credits.title_id = p.title_id AND credits.category = p.category"
            " AND credits.person_id = p.person_id AND credits.job IS NULL"
        )
    _create_indexes(ctx, dropped)
    ctx.counts.written["credits"] = written - _drop_unknown_people(ctx)
    for dataset, table in (("title.principals", principals), ("title.crew", crew)):
        if table:
            unknown = f"SELECT count(*) FROM {table} s WHERE NOT EXISTS ({_DATASET_TITLE})"
            _unplaced(ctx, f"{dataset} rows (title not in title.basics)", int(ctx.one(unknown)[0]))


_DATASET_TITLE = "SELECT 1 FROM imdb_dataset_titles d WHERE d.id = s.title_id"


def _drop_unknown_people(ctx: _Ctx) -> int:
    """Remove the imported credits of people the store does not have; how many there were.

    One pass over the distinct people credited (the person index's order: each looked up once,
    in id order) instead of a lookup per credit as they go in (12 of 17 s at 1M titles).
    """
    unknown = (
        "SELECT d.person_id FROM (SELECT DISTINCT person_id FROM credits) d"
        " WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = d.person_id)"
    )
    dropped = ctx.q(
        f"DELETE FROM credits WHERE person_id IN ({unknown})"
        " AND category <> 'star' AND title_id IN (SELECT id FROM imdb_dataset_titles)"
    )
    _unplaced(ctx, "credits (person not in name.basics)", dropped)
    return dropped


def _principal_only(ctx: _Ctx, category: str, column: str, principals: str, crew: str | None) -> str:
    """Directors/writers named in principals but not in title.crew: appended after the crew list."""
    if crew is None:
        after, absent, join = "0", "", ""
    elif ctx.dialect == "sqlite":
        arr = f"'[' || c.{column} || ']'"
        after = f"coalesce(json_array_length({arr}), 0)"
        absent = f" AND NOT EXISTS (SELECT 1 FROM json_each({arr}) x WHERE x.value = p.person_id)"
        join = f" LEFT JOIN {crew} c ON c.title_id = p.title_id"
    else:
        arr = f"string_to_array(c.{column}, ',')::int[]"
        after = f"coalesce(cardinality({arr}), 0)"
        absent = f" AND NOT coalesce(p.person_id = ANY({arr}), false)"
        join = f" LEFT JOIN {crew} c ON c.title_id = p.title_id"
    return (
        "INSERT INTO credits (title_id, category, ordering, person_id, job, character)"
        f" SELECT p.title_id, p.category, {after} + row_number() OVER"
        " (PARTITION BY p.title_id ORDER BY p.ordering), p.person_id, p.job, p.character"
        f" FROM {principals} p JOIN imdb_dataset_titles d ON d.id = p.title_id{join}"
        f" WHERE p.category = '{category}'{absent}"
    )
