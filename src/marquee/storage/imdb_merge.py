"""Merge staged IMDb files into the store's tables, in the caller's single transaction.

Ownership (what a dataset import may change): for *dataset titles* — the titles imported from
``title.basics``, listed in ``imdb_dataset_titles`` — the import owns the columns of ``titles``
that title.basics carries, and the rows of ``title_genres``, ``imdb_ratings``,
``alternate_titles``, ``episodes``, the basics runtime (``runtimes`` ordering 0 without country
or note, only when the title has no other runtime) and every credit except the page's
``star`` line; likewise ``people`` rows of *dataset people* (``imdb_dataset_people``).
Everything else (plots, taglines, trivia, reviews, members' data…) is never touched. Each file
owns its own rows: title.basics the title row, its genres and basics runtime; title.ratings the
IMDb rating; title.akas the alternate titles; title.episode the episode row; title.principals
the credits other than director and writer (and the jobs of directors and writers, and those it
names that title.crew does not); title.crew the director and writer credits; name.basics the
person row. A file that is not in the directory leaves its rows untouched.

Full dump or partial folder:

* **Full** (all seven files present): each file is the whole of IMDb's data for its rows. A
  dataset title missing from title.basics is removed with all its parts, a dataset person
  missing from name.basics is removed when nothing credits them any more, and a dataset title's
  rows missing from a file (a rating, an alternate title…) are removed. Titles that members'
  data name (ratings, reviews, comments, watchlists, diaries, lists, likes) are never removed:
  they stay as they were, no longer dataset titles, and the summary counts them.
* **Partial** (any other subset): each file updates, for the titles (people) it names, the rows
  it owns, replacing them with the file's; nothing else changes and nothing is removed.

Rejected rows (``--skip-bad-rows``): a rejected row changes nothing. The rows its file owns of
the title (person) it names are *held*: left exactly as stored (not updated, not removed, not
added), whatever the file's other rows say about that title. A rejected title.basics row holds
the title itself (its row, genres and basics runtime; it is not removed by a full dump); a
rejected title.principals or title.crew row holds all the title's credits.

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

from sqlalchemy import Table

from marquee.formats.imdb_tsv import DATASETS
from marquee.storage import schema
from marquee.storage.community_schema import COMMUNITY_TABLES
from marquee.storage.film_rows import CAST_CATEGORIES, IMDB_DUMP_KEY, IMDB_SECTIONS, LISTED_CATEGORIES
from marquee.storage.library_schema import LIBRARY_TABLES

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
    full: bool = False
    titles_removed: int = 0
    # Titles removed, by IMDb titleType (movie, tvEpisode…).
    removed_kinds: dict[str, int] = field(default_factory=dict)
    # Titles a full dump no longer has, kept because members' data name them.
    titles_kept: int = 0
    people_removed: int = 0
    # Titles and people named by rejected rows, left exactly as stored.
    titles_held: int = 0
    people_held: int = 0
    ids_moved: int = 0


def _title_part_tables() -> list[str]:
    """Tables of schema.py holding parts of a title (deleted with it)."""
    own = {t.name for t in schema.FILM_TABLES}
    return [t.name for t in schema.metadata.sorted_tables if t.name in own and "title_id" in t.c]


@dataclass
class _Ctx:
    run: Sql
    dialect: str
    stage: dict[str, str]  # dataset -> qualified staging table
    all_tables: Callable[[], dict[str, list[str]]]  # table -> columns, for id moves
    counts: MergeCounts
    full: bool = False

    held: set[str] = field(default_factory=set)  # groups (``_HELD_GROUPS``) holding any id

    def free(self, column: str, group: str) -> str:
        """`` AND column NOT IN (ids held in group)``: nothing when the group holds none."""
        return f" AND {column} NOT IN (SELECT id FROM imdb_held_{group})" if group in self.held else ""

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
    held: dict[str, str] | None = None,
    merged: frozenset[str] = frozenset(),
) -> MergeCounts:
    """Apply the staged files (``stage``: dataset -> table) to the store; the caller commits.

    ``held``: dataset -> table of the ids its rejected rows name (``id``), left as stored.
    All seven files make a full dump, any other subset a partial one (see the module's text).
    ``merged``: title.basics and/or title.ratings, already merged from these very staging tables
    into a store that held no titles (``imdb_load.merge_titles_first``): their steps are skipped.
    """
    full = set(stage) == set(DATASETS)
    ctx = _Ctx(run, dialect, stage, all_tables, MergeCounts(written={}, full=full), full)
    _ensure_marker_tables(ctx)
    _hold(ctx, held or {})
    if "title.basics" in stage and "title.basics" not in merged:
        _merge_titles(ctx)
    if "title.ratings" in stage and "title.ratings" not in merged:
        _replace(ctx, "imdb_ratings", _RATINGS)
    if "title.akas" in stage:
        _replace(ctx, "alternate_titles", _AKAS)
    if "title.episode" in stage:
        _replace(ctx, "episodes", _EPISODES)
    gone_people = _merge_people(ctx) if "name.basics" in stage else False
    if "title.principals" in stage or "title.crew" in stage:
        if full:
            _merge_credits(ctx)
        else:
            _merge_credits_partial(ctx)
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
    held = [f"imdb_held_{group}" for group in sorted(set(_HELD_GROUPS.values()))]
    for name in ("imdb_gone_titles", "imdb_gone_people", *held):
        ctx.run(f"DROP TABLE IF EXISTS {'temp.' if ctx.dialect == 'sqlite' else ''}{name}")
        ctx.run(f"CREATE TEMP TABLE {name} (id INTEGER PRIMARY KEY){tail}")


# What a rejected row of each file holds: the rows of that group of the id it names.
_HELD_GROUPS = {
    "title.basics": "basics",
    "title.ratings": "ratings",
    "title.akas": "akas",
    "title.episode": "episode",
    "title.principals": "credits",
    "title.crew": "credits",
    "name.basics": "people",
}


def _hold(ctx: _Ctx, held: dict[str, str]) -> None:
    """Fill the ``imdb_held_*`` tables with the ids rejected rows name, by what they hold."""
    groups: dict[str, list[str]] = {}
    for dataset, table in held.items():
        groups.setdefault(_HELD_GROUPS[dataset], []).append(f"SELECT id FROM {table}")
    for group, selects in groups.items():
        if ctx.q(f"INSERT INTO imdb_held_{group} (id) {' UNION '.join(selects)}"):
            ctx.held.add(group)
    titles = [f"SELECT id FROM imdb_held_{g}" for g in sorted(ctx.held) if g != "people"]
    if titles:
        ctx.counts.titles_held = int(ctx.one(f"SELECT count(*) FROM ({' UNION '.join(titles)}) h")[0])
    if "people" in ctx.held:
        ctx.counts.people_held = int(ctx.one("SELECT count(*) FROM imdb_held_people")[0])


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
    free = ctx.free("s.id", "basics" if table == "titles" else "people")
    squatters = ctx.all(
        f"SELECT t.id FROM {table} t JOIN {staged} s ON s.id = t.id WHERE t.{key} <> s.{key}{free}"
        " ORDER BY t.id"
    )
    for (old,) in squatters:
        _move_id(ctx, table, int(old), _next_free_id(ctx, table))
    strays = ctx.all(
        f"SELECT t.id, s.id FROM {table} t JOIN {staged} s ON s.{key} = t.{key} WHERE t.id <> s.id{free}"
    )
    for old, new in strays:
        _move_id(ctx, table, int(old), int(new))


# ------------------------------------------------------------------ titles


def _merge_titles(ctx: _Ctx) -> None:
    basics = ctx.stage["title.basics"]
    incoming = _count(ctx, "title.basics")
    free = ctx.free("s.id", "basics")
    if ctx.full:
        _remove_gone_titles(ctx, basics)
        _keep_dump_sources(ctx, basics)
    _make_room(ctx, "titles", "tconst", basics)
    dropped = _drop_indexes(ctx, "titles", incoming)
    cols = "tconst, kind, primary_title, original_title, is_adult, start_year, end_year, runtime_minutes"
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols.split(", "))
    ctx.counts.written["titles"] = ctx.q(
        f"INSERT INTO titles (id, {cols}) SELECT id, {cols} FROM {basics} s WHERE true{free}"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    _create_indexes(ctx, dropped)
    if ctx.full:  # the dump's titles, and the held ones that were dataset titles
        ctx.run(f"DELETE FROM imdb_dataset_titles WHERE true{ctx.free('id', 'basics')}")
        ctx.run(f"INSERT INTO imdb_dataset_titles (id) SELECT id FROM {basics} s WHERE true{free}")
    else:
        ctx.run(
            f"INSERT INTO imdb_dataset_titles (id) SELECT id FROM {basics} s WHERE true{free}"
            " AND NOT EXISTS (SELECT 1 FROM imdb_dataset_titles d WHERE d.id = s.id)"
        )
    # The titles whose genres and basics runtime this file replaces.
    owned = "SELECT id FROM imdb_dataset_titles" if ctx.full else f"SELECT id FROM {basics}"
    # Genres, in the file's order.
    ctx.run(f"DELETE FROM title_genres WHERE title_id IN ({owned}){ctx.free('title_id', 'basics')}")
    dropped = _drop_indexes(ctx, "title_genres", incoming)
    ctx.counts.written["title_genres"] = ctx.q(
        f"INSERT INTO title_genres (title_id, ordering, genre) {genre_rows(ctx.dialect, basics, free)}"
    )
    _create_indexes(ctx, dropped)
    # The basics runtime: ordering 0, no country; a page's own runtimes take precedence.
    ctx.run(
        "DELETE FROM runtimes WHERE ordering = 0 AND country IS NULL AND note IS NULL"
        f" AND title_id IN ({owned}){ctx.free('title_id', 'basics')}"
    )
    ctx.counts.written["runtimes"] = ctx.q(
        "INSERT INTO runtimes (title_id, ordering, minutes)"
        f" SELECT s.id, 0, s.runtime_minutes FROM {basics} s"
        f" WHERE s.runtime_minutes IS NOT NULL{free}"
        " AND NOT EXISTS (SELECT 1 FROM runtimes r WHERE r.title_id = s.id)"
    )


def _sorted(group: tuple[Table, ...]) -> list[Table]:
    """A group of tables in dependency order (referenced tables first)."""
    names = {t.name for t in group}
    return [t for t in schema.metadata.sorted_tables if t.name in names]


def _member_refs(ctx: _Ctx) -> list[str]:
    """SELECTs of every title id (tconst) that members' data name, in the tables this store has."""
    have = ctx.all_tables()
    refs = [
        f"SELECT tconst FROM {t.name}"
        for group in (COMMUNITY_TABLES, LIBRARY_TABLES)
        for t in _sorted(group)
        if "tconst" in t.c and "tconst" in have.get(t.name, ())
    ]
    if "tconst" in have.get("revisions", ()):  # films members edited (issue 17) stay too
        refs.append("SELECT tconst FROM revisions")
    if {"kind", "target"} <= set(have.get("likes", ())):
        refs.append("SELECT target FROM likes WHERE kind = 'film'")
    return refs


def _remove_gone_titles(ctx: _Ctx, basics: str) -> None:
    """Full dump: the dataset titles it lacks go, with all their parts (not held ones, not members')."""
    ctx.run(
        "INSERT INTO imdb_gone_titles (id) SELECT d.id FROM imdb_dataset_titles d"
        f" WHERE NOT EXISTS (SELECT 1 FROM {basics} s WHERE s.id = d.id){ctx.free('d.id', 'basics')}"
    )
    refs = _member_refs(ctx)
    if refs:
        # Members rated, reviewed or listed them: kept as they are, no longer dataset titles.
        ctx.counts.titles_kept = ctx.q(
            "DELETE FROM imdb_gone_titles WHERE id IN"
            f" (SELECT t.id FROM titles t WHERE t.tconst IN ({' UNION '.join(refs)}))"
        )
    kinds = ctx.all(
        "SELECT kind, count(*) FROM titles WHERE id IN (SELECT id FROM imdb_gone_titles) GROUP BY kind"
    )
    ctx.counts.removed_kinds = {str(kind): int(n) for kind, n in kinds}
    for table in _title_part_tables():
        ctx.run(f"DELETE FROM {table} WHERE title_id IN (SELECT id FROM imdb_gone_titles)")
    ctx.counts.titles_removed = ctx.q("DELETE FROM titles WHERE id IN (SELECT id FROM imdb_gone_titles)")


def _keep_dump_sources(ctx: _Ctx, basics: str) -> None:
    """Full dump: the dataset titles it lacks that stay (members' data names them) stop being dataset
    titles, so their sections would no longer read the last dump as their source: store it for them,
    for the sections they have (as ``film_rows`` derives it), unless a source is stored already."""
    kept = (
        "SELECT d.id FROM imdb_dataset_titles d"
        f" WHERE NOT EXISTS (SELECT 1 FROM {basics} s WHERE s.id = d.id){ctx.free('d.id', 'basics')}"
        " AND d.id IN (SELECT id FROM titles)"
    )
    cast = ", ".join(f"'{c}'" for c in CAST_CATEGORIES)
    listed = ", ".join(f"'{c}'" for c in sorted(LISTED_CATEGORIES))
    has = {
        "title": "t.primary_title IS NOT NULL AND t.primary_title <> ''",
        "original_title": "t.original_title IS NOT NULL AND t.original_title <> ''",
        "kind": "t.kind IS NOT NULL AND t.kind <> ''",
        "year": "t.start_year IS NOT NULL",
        "end_year": "t.end_year IS NOT NULL",
        "genres": "EXISTS (SELECT 1 FROM title_genres x WHERE x.title_id = t.id)",
        "rating": "EXISTS (SELECT 1 FROM imdb_ratings x WHERE x.title_id = t.id)",
        "directors": "EXISTS (SELECT 1 FROM credits x WHERE x.title_id = t.id AND x.category = 'director')",
        "writers": "EXISTS (SELECT 1 FROM credits x WHERE x.title_id = t.id AND x.category = 'writer')",
        "cast": f"EXISTS (SELECT 1 FROM credits x WHERE x.title_id = t.id AND x.category IN ({cast}))",
        "crew": f"EXISTS (SELECT 1 FROM credits x WHERE x.title_id = t.id AND x.category NOT IN ({listed}))",
        "runtimes": "EXISTS (SELECT 1 FROM runtimes x WHERE x.title_id = t.id)",
        "alternate_titles": "EXISTS (SELECT 1 FROM alternate_titles x WHERE x.title_id = t.id)",
        "episode_of": "EXISTS (SELECT 1 FROM episodes x WHERE x.title_id = t.id)",
    }
    for section in IMDB_SECTIONS:
        ctx.run(
            f"INSERT INTO title_sources (title_id, section, source) SELECT t.id, '{section}', m.value"
            f" FROM titles t JOIN store_meta m ON m.key = '{IMDB_DUMP_KEY}'"
            f" WHERE t.id IN ({kept}) AND {has[section]} ON CONFLICT (title_id, section) DO NOTHING"
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
    """Replace a table's rows of dataset titles with the staged ones (titles outside are ignored).

    Full dump: the rows of every dataset title; partial: of the dataset titles the file names.
    """
    dataset, cols, select = spec
    staging = ctx.stage[dataset]
    group = _HELD_GROUPS[dataset]
    free = ctx.free("title_id", group)
    if ctx.full:
        ctx.run(f"DELETE FROM {table} WHERE title_id IN (SELECT id FROM imdb_dataset_titles){free}")
    else:
        ctx.run(
            f"DELETE FROM {table} WHERE title_id IN (SELECT title_id FROM {staging})"
            f" AND title_id IN (SELECT id FROM imdb_dataset_titles){free}"
        )
    staged = _count(ctx, dataset)
    dropped = _drop_indexes(ctx, table, staged)
    ctx.counts.written[table] = ctx.q(
        f"INSERT INTO {table} ({cols}) SELECT {select} FROM {staging} s"
        f" JOIN imdb_dataset_titles d ON d.id = s.title_id WHERE true{ctx.free('s.title_id', group)}"
    )
    held = _held_rows(ctx, staging, group)
    _unplaced(ctx, _not_placed(ctx, dataset), staged - ctx.counts.written[table] - held)
    _create_indexes(ctx, dropped)


def _not_placed(ctx: _Ctx, dataset: str) -> str:
    """How the summary names rows of titles the import cannot place."""
    where = "title.basics" if ctx.full else "the store's IMDb titles"
    return f"{dataset} rows (title not in {where})"


def _held_rows(ctx: _Ctx, staging: str, group: str) -> int:
    """Staged rows of held titles that are dataset titles (not written, and not unplaced either)."""
    if group not in ctx.held:
        return 0
    held = (
        f"SELECT count(*) FROM {staging} s JOIN imdb_dataset_titles d ON d.id = s.title_id"
        f" WHERE s.title_id IN (SELECT id FROM imdb_held_{group})"
    )
    return int(ctx.one(held)[0])


def _unplaced(ctx: _Ctx, what: str, rows: int) -> None:
    if rows:
        ctx.counts.unplaced[what] = rows


# ------------------------------------------------------------------ people and credits


def genre_rows(dialect: str, basics: str, extra: str = "") -> str:
    """SELECT of (title id, ordering from 1, genre) of every staged title.basics row, in the file's order.

    ``extra``: more conditions on the staged row ``s`` (`` AND …``).
    """
    if dialect == "sqlite":
        return (
            "SELECT s.id, j.key + 1, j.value FROM"
            f" {basics} s, json_each('[\"' || replace(s.genres, ',', '\",\"') || '\"]') j"
            f" WHERE s.genres IS NOT NULL{extra}"
        )
    return (
        f"SELECT s.id, g.n, g.genre FROM {basics} s,"
        " unnest(string_to_array(s.genres, ',')) WITH ORDINALITY AS g(genre, n)"
        f" WHERE s.genres IS NOT NULL{extra}"
    )


def _merge_people(ctx: _Ctx) -> bool:
    """Upsert the staged people; a full dump also marks the dataset people it lacks as gone."""
    names = ctx.stage["name.basics"]
    free = ctx.free("s.id", "people")
    if ctx.full:
        ctx.run(
            "INSERT INTO imdb_gone_people (id) SELECT d.id FROM imdb_dataset_people d"
            f" WHERE NOT EXISTS (SELECT 1 FROM {names} s WHERE s.id = d.id){ctx.free('d.id', 'people')}"
        )
    _make_room(ctx, "people", "nconst", names)
    dropped = _drop_indexes(ctx, "people", _count(ctx, "name.basics"))
    cols = "nconst, name, birth_year, death_year, professions, known_for"
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols.split(", "))
    ctx.counts.written["people"] = ctx.q(
        f"INSERT INTO people (id, {cols}) SELECT id, {cols} FROM {names} s WHERE true{free}"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    _create_indexes(ctx, dropped)
    if ctx.full:
        ctx.run(f"DELETE FROM imdb_dataset_people WHERE true{ctx.free('id', 'people')}")
        ctx.run(f"INSERT INTO imdb_dataset_people (id) SELECT id FROM {names} s WHERE true{free}")
    else:
        ctx.run(
            f"INSERT INTO imdb_dataset_people (id) SELECT id FROM {names} s WHERE true{free}"
            " AND NOT EXISTS (SELECT 1 FROM imdb_dataset_people d WHERE d.id = s.id)"
        )
    return ctx.full


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
    free = ctx.free("p.title_id", "credits")
    ctx.run(
        "DELETE FROM credits WHERE category <> 'star' AND title_id IN (SELECT id FROM imdb_dataset_titles)"
        f"{ctx.free('title_id', 'credits')}"
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
            f" WHERE p.category NOT IN ('director', 'writer'){free}"
        )
    for category, column in (("director", "directors"), ("writer", "writers")):
        if crew:
            each, position, person = _crew_list(ctx, column)
            # title.crew's list gives the order; principals only add a job (e.g. "screenplay").
            written += ctx.q(
                "INSERT INTO credits (title_id, category, ordering, person_id)"
                f" SELECT c.title_id, '{category}', {position}, {person}"
                f" FROM {crew} c JOIN imdb_dataset_titles d ON d.id = c.title_id, {each}"
                f" WHERE c.{column} IS NOT NULL{ctx.free('c.title_id', 'credits')}"
            )
        if principals:
            written += ctx.q(_principal_only(ctx, category, column, principals, crew))
    if principals and crew:
        # One pass over principals' directors and writers: their job goes onto the crew's line.
        ctx.run(
            f"UPDATE credits SET job = p.job FROM {principals} p"
            " WHERE p.category IN ('director', 'writer') AND p.job IS NOT NULL"
            " AND credits.title_id = p.title_id AND credits.category = p.category"
            f" AND credits.person_id = p.person_id AND credits.job IS NULL{free}"
        )
    _create_indexes(ctx, dropped)
    ctx.counts.written["credits"] = written - _drop_unknown_people(ctx)
    _credits_unplaced(ctx, principals, crew)


def _credits_unplaced(ctx: _Ctx, principals: str | None, crew: str | None) -> None:
    for dataset, table in (("title.principals", principals), ("title.crew", crew)):
        if table:
            unknown = f"SELECT count(*) FROM {table} s WHERE NOT EXISTS ({_DATASET_TITLE})"
            _unplaced(ctx, _not_placed(ctx, dataset), int(ctx.one(unknown)[0]))


def _merge_credits_partial(ctx: _Ctx) -> None:
    """Partial folder: each file replaces its own credits of the dataset titles it names.

    title.crew: the director and writer lines in its order (what stored lines carried beyond
    the list, a job or a character, is kept, and so are stored lines it does not list);
    title.principals: every other category, the jobs of directors and writers, and directors
    and writers that the stored lines lack (appended after them).
    """
    principals = ctx.stage.get("title.principals")
    crew = ctx.stage.get("title.crew")
    written = 0
    named = (
        "SELECT x.title_id FROM {} x JOIN imdb_dataset_titles d ON d.id = x.title_id WHERE true"
        + ctx.free("x.title_id", "credits")
    )
    if crew:
        titles = named.format(crew)
        tail = "" if ctx.dialect == "sqlite" else " ON COMMIT DROP"
        ctx.run(f"DROP TABLE IF EXISTS {'temp.' if ctx.dialect == 'sqlite' else ''}imdb_saved_crew")
        cols = "title_id, category, ordering, person_id, job, character, credited_as"
        ctx.run(
            "CREATE TEMP TABLE imdb_saved_crew (title_id INTEGER, category TEXT, ordering INTEGER,"
            f" person_id INTEGER, job TEXT, character TEXT, credited_as TEXT){tail}"
        )
        ctx.run(
            f"INSERT INTO imdb_saved_crew SELECT {cols} FROM credits"
            f" WHERE category IN ('director', 'writer') AND title_id IN ({titles})"
        )
        ctx.run(f"DELETE FROM credits WHERE category IN ('director', 'writer') AND title_id IN ({titles})")
        for category, column in (("director", "directors"), ("writer", "writers")):
            each, position, person = _crew_list(ctx, column)
            written += ctx.q(
                "INSERT INTO credits (title_id, category, ordering, person_id)"
                f" SELECT c.title_id, '{category}', {position}, {person}"
                f" FROM {crew} c JOIN imdb_dataset_titles d ON d.id = c.title_id, {each}"
                f" WHERE c.{column} IS NOT NULL{ctx.free('c.title_id', 'credits')}"
            )
        same = (
            "j.title_id = credits.title_id AND j.category = credits.category"
            " AND j.person_id = credits.person_id"
        )
        # What the stored lines had beyond the list (a job, a character) stays.
        for column in ("job", "character", "credited_as"):
            ctx.run(
                f"UPDATE credits SET {column} = (SELECT min(j.{column}) FROM imdb_saved_crew j WHERE {same})"
                f" WHERE {column} IS NULL AND title_id IN (SELECT title_id FROM imdb_saved_crew)"
            )
        # Stored lines the list lacks (e.g. added from title.principals) stay, after the list:
        # a partial folder removes nothing.
        kept = "c.title_id = j.title_id AND c.category = j.category"
        ctx.run(
            f"INSERT INTO credits ({cols}) SELECT j.title_id, j.category,"
            f" coalesce((SELECT max(c.ordering) FROM credits c WHERE {kept}), 0)"
            " + row_number() OVER (PARTITION BY j.title_id, j.category ORDER BY j.ordering),"
            " j.person_id, j.job, j.character, j.credited_as FROM imdb_saved_crew j"
            f" WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE {kept} AND c.person_id = j.person_id)"
        )
    if principals:
        titles = named.format(principals)
        free = ctx.free("p.title_id", "credits")
        ctx.run(
            "DELETE FROM credits WHERE category NOT IN ('star', 'director', 'writer')"
            f" AND title_id IN ({titles})"
        )
        written += ctx.q(
            "INSERT INTO credits (title_id, category, ordering, person_id, job, character)"
            " SELECT p.title_id, p.category, p.ordering, p.person_id, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.id = p.title_id"
            f" WHERE p.category NOT IN ('director', 'writer'){free}"
        )
        ctx.run(
            f"UPDATE credits SET job = p.job FROM {principals} p"
            " WHERE p.category IN ('director', 'writer') AND p.job IS NOT NULL"
            " AND credits.title_id = p.title_id AND credits.category = p.category"
            " AND credits.person_id = p.person_id"
            f" AND credits.title_id IN (SELECT id FROM imdb_dataset_titles){free}"
        )
        same = "c.title_id = p.title_id AND c.category = p.category"
        written += ctx.q(
            "INSERT INTO credits (title_id, category, ordering, person_id, job, character)"
            " SELECT p.title_id, p.category,"
            f" coalesce((SELECT max(c.ordering) FROM credits c WHERE {same}), 0)"
            " + row_number() OVER (PARTITION BY p.title_id, p.category ORDER BY p.ordering),"
            " p.person_id, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.id = p.title_id"
            f" WHERE p.category IN ('director', 'writer'){free}"
            f" AND NOT EXISTS (SELECT 1 FROM credits c WHERE {same} AND c.person_id = p.person_id)"
        )
    ctx.counts.written["credits"] = written - _drop_unknown_people(ctx)
    _credits_unplaced(ctx, principals, crew)


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
    gone = f"person_id IN ({unknown})"
    if ctx.dialect == "postgresql":  # one hash anti-join over the credits (the DISTINCT: 26 s at 1M titles)
        gone = "NOT EXISTS (SELECT 1 FROM people p WHERE p.id = credits.person_id)"
    dropped = ctx.q(
        f"DELETE FROM credits WHERE {gone}"
        " AND category <> 'star' AND title_id IN (SELECT id FROM imdb_dataset_titles)"
        f"{ctx.free('title_id', 'credits')}"
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
        f" WHERE p.category = '{category}'{absent}{ctx.free('p.title_id', 'credits')}"
    )
