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

from collections.abc import Callable

from marquee.formats.imdb_tsv import DATASETS
from marquee.storage.imdb_merge_credits import merge_credits, merge_credits_partial
from marquee.storage.imdb_merge_ctx import (
    HELD_GROUPS,
    SLUG_ID_BASE,
    Delta,
    MergeCounts,
    MergeCtx,
    Sql,
    create_indexes,
    drop_indexes,
    held_rows,
    not_placed,
    staged_count,
    unplaced,
)
from marquee.storage.imdb_merge_gone import keep_dump_sources, remove_gone_titles

__all__ = ["SLUG_ID_BASE", "Delta", "MergeCounts", "Sql", "genre_rows", "merge_staged"]

KEYS = {"titles": "title_key", "people": "person_key"}  # each table's own integer key
# Each table's public id, and the staged file's column holding it (IMDb's own name).
PUBLIC = {"titles": ("title_id", "tconst"), "people": ("person_id", "nconst")}


def merge_staged(
    run: Sql,
    dialect: str,
    stage: dict[str, str],
    all_tables: Callable[[], dict[str, list[str]]],
    held: dict[str, str] | None = None,
    merged: frozenset[str] = frozenset(),
    *,
    delta: Delta | None = None,
) -> MergeCounts:
    """Apply the staged files (``stage``: dataset -> table) to the store; the caller commits.

    ``held``: dataset -> table of the ids its rejected rows name (``id``), left as stored.
    All seven files make a full dump, any other subset a partial one (see the module's text).
    ``merged``: title.basics and/or title.ratings, already merged from these very staging tables
    into a store that held no titles (``imdb_load.merge_titles_first``): their steps are skipped.
    ``delta``: a re-import of a whole dump that staged only the keys whose lines changed
    (``imdb_delta_load``): each file's staged keys and removed keys are merged as a full dump would,
    every other row is left as it is.
    """
    full = set(stage) == set(DATASETS) and delta is None
    counts = MergeCounts(written={}, full=full or delta is not None)
    ctx = MergeCtx(run, dialect, stage, all_tables, counts, full)
    if delta is not None:
        ctx.removed, ctx.credit_scope = delta.removed, delta.credit_scope
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
        if full or ctx.credit_scope:
            merge_credits(ctx)
        else:
            merge_credits_partial(ctx)
    if gone_people:
        ctx.counts.people_removed = ctx.q(
            "DELETE FROM people WHERE person_key IN (SELECT id FROM imdb_gone_people)"
            " AND NOT EXISTS (SELECT 1 FROM credits c WHERE c.person_key = people.person_key)"
        )
    if dialect == "postgresql":
        _lift_sequences(ctx)
    return ctx.counts


def _lift_sequences(ctx: MergeCtx) -> None:
    """PostgreSQL: ids the store draws for new films/people start above every IMDb number."""
    for table in ("titles", "people"):
        ctx.run(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{KEYS[table]}'),"
            f" greatest((SELECT coalesce(max({KEYS[table]}), 0) FROM {table}), {SLUG_ID_BASE}))"
        )


def _ensure_marker_tables(ctx: MergeCtx) -> None:
    """The per-import temp tables (``imdb_dataset_*`` are in the schema since migration 0006)."""
    tail = "" if ctx.dialect == "sqlite" else " ON COMMIT DROP"
    held = [f"imdb_held_{group}" for group in sorted(set(HELD_GROUPS.values()))]
    for name in ("imdb_gone_titles", "imdb_gone_people", *held):
        ctx.run(f"DROP TABLE IF EXISTS {'temp.' if ctx.dialect == 'sqlite' else ''}{name}")
        ctx.run(f"CREATE TEMP TABLE {name} (id INTEGER PRIMARY KEY){tail}")


def _hold(ctx: MergeCtx, held: dict[str, str]) -> None:
    """Fill the ``imdb_held_*`` tables with the ids rejected rows name, by what they hold."""
    groups: dict[str, list[str]] = {}
    for dataset, table in held.items():
        groups.setdefault(HELD_GROUPS[dataset], []).append(f"SELECT id FROM {table}")
    for group, selects in groups.items():
        if ctx.q(f"INSERT INTO imdb_held_{group} (id) {' UNION '.join(selects)}"):
            ctx.held.add(group)
    titles = [f"SELECT id FROM imdb_held_{g}" for g in sorted(ctx.held) if g != "people"]
    if titles:
        ctx.counts.titles_held = int(ctx.one(f"SELECT count(*) FROM ({' UNION '.join(titles)}) h")[0])
    if "people" in ctx.held:
        ctx.counts.people_held = int(ctx.one("SELECT count(*) FROM imdb_held_people")[0])


# ------------------------------------------------------------------ id moves


def _next_free_id(ctx: MergeCtx, table: str) -> int:
    top = ctx.one(f"SELECT max({KEYS[table]}) FROM {table} WHERE {KEYS[table]} >= {SLUG_ID_BASE}")[0]
    return SLUG_ID_BASE if top is None else int(top) + 1


def _move_id(ctx: MergeCtx, table: str, old: int, new: int) -> None:
    """Renumber one title/person and everything pointing at it (any table of the database)."""
    ref = KEYS[table]
    ctx.run(f"UPDATE {table} SET {ref} = {new} WHERE {ref} = {old}")
    for name, columns in ctx.all_tables().items():
        if ref in columns and name != table:
            ctx.run(f"UPDATE {name} SET {ref} = {new} WHERE {ref} = {old}")
    ctx.counts.ids_moved += 1


def _make_room(ctx: MergeCtx, table: str, staged: str) -> None:
    """Move rows out of the way of staged ids (slug rows) and onto them (tt/nm rows numbered otherwise)."""
    free = ctx.free("s.id", "basics" if table == "titles" else "people")
    ref, (public, imdb) = KEYS[table], PUBLIC[table]
    squatters = ctx.all(
        f"SELECT t.{ref} FROM {table} t JOIN {staged} s ON s.id = t.{ref} WHERE t.{public} <> s.{imdb}{free}"
        f" ORDER BY t.{ref}"
    )
    for (old,) in squatters:
        _move_id(ctx, table, int(old), _next_free_id(ctx, table))
    strays = ctx.all(
        f"SELECT t.{ref}, s.id FROM {table} t JOIN {staged} s ON s.{imdb} = t.{public}"
        f" WHERE t.{ref} <> s.id{free}"
    )
    for old, new in strays:
        _move_id(ctx, table, int(old), int(new))


# ------------------------------------------------------------------ titles


def _merge_titles(ctx: MergeCtx) -> None:
    basics = ctx.stage["title.basics"]
    incoming = staged_count(ctx, "title.basics")
    free = ctx.free("s.id", "basics")
    if ctx.full:
        gone = (
            "SELECT d.title_key FROM imdb_dataset_titles d"
            f" WHERE NOT EXISTS (SELECT 1 FROM {basics} s WHERE s.id = d.title_key)"
            f"{ctx.free('d.title_key', 'basics')}"
        )
        remove_gone_titles(ctx, gone)
        keep_dump_sources(ctx, f"{gone} AND d.title_key IN (SELECT title_key FROM titles)")
    elif "title.basics" in ctx.removed:
        _remove_titles_delta(ctx, ctx.removed["title.basics"])
    _make_room(ctx, "titles", basics)
    dropped = drop_indexes(ctx, "titles", incoming)
    cols = "kind, primary_title, original_title, is_adult, start_year, end_year, runtime_minutes"
    updates = ", ".join(f"{c} = excluded.{c}" for c in ["title_id", *cols.split(", ")])
    ctx.counts.written["titles"] = ctx.q(
        f"INSERT INTO titles (title_key, title_id, {cols}) SELECT id, tconst, {cols} FROM {basics} s"
        f" WHERE true{free}"
        f" ON CONFLICT (title_key) DO UPDATE SET {updates}"
    )
    create_indexes(ctx, dropped)
    if ctx.full:  # the dump's titles, and the held ones that were dataset titles
        ctx.run(f"DELETE FROM imdb_dataset_titles WHERE true{ctx.free('title_key', 'basics')}")
        ctx.run(f"INSERT INTO imdb_dataset_titles (title_key) SELECT id FROM {basics} s WHERE true{free}")
    else:
        ctx.run(
            f"INSERT INTO imdb_dataset_titles (title_key) SELECT id FROM {basics} s WHERE true{free}"
            " AND NOT EXISTS (SELECT 1 FROM imdb_dataset_titles d WHERE d.title_key = s.id)"
        )
    # The titles whose genres and basics runtime this file replaces.
    owned = "SELECT title_key FROM imdb_dataset_titles" if ctx.full else f"SELECT id FROM {basics}"
    # Genres, in the file's order.
    ctx.run(f"DELETE FROM title_genres WHERE title_key IN ({owned}){ctx.free('title_key', 'basics')}")
    dropped = drop_indexes(ctx, "title_genres", incoming)
    ctx.counts.written["title_genres"] = ctx.q(
        f"INSERT INTO title_genres (title_key, ordering, genre) {genre_rows(ctx.dialect, basics, free)}"
    )
    create_indexes(ctx, dropped)
    # The basics runtime: ordering 0, no country; a page's own runtimes take precedence.
    ctx.run(
        "DELETE FROM runtimes WHERE ordering = 0 AND country IS NULL AND note IS NULL"
        f" AND title_key IN ({owned}){ctx.free('title_key', 'basics')}"
    )
    ctx.counts.written["runtimes"] = ctx.q(
        "INSERT INTO runtimes (title_key, ordering, minutes)"
        f" SELECT s.id, 0, s.runtime_minutes FROM {basics} s"
        f" WHERE s.runtime_minutes IS NOT NULL{free}"
        " AND NOT EXISTS (SELECT 1 FROM runtimes r WHERE r.title_key = s.id)"
    )


def _remove_titles_delta(ctx: MergeCtx, removed: str) -> None:
    """A re-import: the dataset titles the newer dump no longer has (``removed``) go as in a full dump."""
    gone = f"SELECT d.title_key FROM imdb_dataset_titles d WHERE d.title_key IN (SELECT id FROM {removed})"
    remove_gone_titles(ctx, gone)
    keep_dump_sources(ctx, f"{gone} AND d.title_key IN (SELECT title_key FROM titles)")
    ctx.run(f"DELETE FROM imdb_dataset_titles WHERE title_key IN (SELECT id FROM {removed})")


# ------------------------------------------------------------------ simple title parts

_RATINGS = (
    "title.ratings",
    "title_key, average, scale, votes",
    "s.title_key, s.average, 10, s.votes",
)
_AKAS = (
    "title.akas",
    "title_key, ordering, title, region, language, types, attributes, is_original",
    "s.title_key, s.ordering, s.title, s.region, s.language, s.types, s.attributes, s.is_original",
)
_EPISODES = (
    "title.episode",
    "title_key, series_id, season, episode",
    "s.title_key, s.series_tconst, s.season, s.episode",
)


def _replace(ctx: MergeCtx, table: str, spec: tuple[str, str, str]) -> None:
    """Replace a table's rows of dataset titles with the staged ones (titles outside are ignored).

    Full dump: the rows of every dataset title; partial: of the dataset titles the file names.
    """
    dataset, cols, select = spec
    staging = ctx.stage[dataset]
    group = HELD_GROUPS[dataset]
    free = ctx.free("title_key", group)
    if ctx.full:
        ctx.run(f"DELETE FROM {table} WHERE title_key IN (SELECT title_key FROM imdb_dataset_titles){free}")
    else:
        ctx.run(
            f"DELETE FROM {table} WHERE title_key IN (SELECT title_key FROM {staging})"
            f" AND title_key IN (SELECT title_key FROM imdb_dataset_titles){free}"
        )
    if dataset in ctx.removed:  # a re-import: the rows of titles the file no longer names
        ctx.run(
            f"DELETE FROM {table} WHERE title_key IN (SELECT id FROM {ctx.removed[dataset]})"
            f" AND title_key IN (SELECT title_key FROM imdb_dataset_titles){free}"
        )
    staged = staged_count(ctx, dataset)
    dropped = drop_indexes(ctx, table, staged)
    ctx.counts.written[table] = ctx.q(
        f"INSERT INTO {table} ({cols}) SELECT {select} FROM {staging} s"
        f" JOIN imdb_dataset_titles d ON d.title_key = s.title_key WHERE true{ctx.free('s.title_key', group)}"
    )
    held = held_rows(ctx, staging, group)
    unplaced(ctx, not_placed(ctx, dataset), staged - ctx.counts.written[table] - held)
    create_indexes(ctx, dropped)


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


def _merge_people(ctx: MergeCtx) -> bool:
    """Upsert the staged people; a full dump also marks the dataset people it lacks as gone."""
    names = ctx.stage["name.basics"]
    free = ctx.free("s.id", "people")
    if ctx.full:
        ctx.run(
            "INSERT INTO imdb_gone_people (id) SELECT d.person_key FROM imdb_dataset_people d"
            f" WHERE NOT EXISTS (SELECT 1 FROM {names} s WHERE s.id = d.person_key)"
            f"{ctx.free('d.person_key', 'people')}"
        )
    elif "name.basics" in ctx.removed:  # a re-import: as a full dump, for the people it no longer has
        removed = ctx.removed["name.basics"]
        ctx.run(
            f"INSERT INTO imdb_gone_people (id) SELECT d.person_key FROM imdb_dataset_people d"
            f" WHERE d.person_key IN (SELECT id FROM {removed})"
        )
        ctx.run(f"DELETE FROM imdb_dataset_people WHERE person_key IN (SELECT id FROM {removed})")
    _make_room(ctx, "people", names)
    dropped = drop_indexes(ctx, "people", staged_count(ctx, "name.basics"))
    cols = "name, birth_year, death_year, professions, known_for"
    updates = ", ".join(f"{c} = excluded.{c}" for c in ["person_id", *cols.split(", ")])
    ctx.counts.written["people"] = ctx.q(
        f"INSERT INTO people (person_key, person_id, {cols}) SELECT id, nconst, {cols} FROM {names} s"
        f" WHERE true{free}"
        f" ON CONFLICT (person_key) DO UPDATE SET {updates}"
    )
    create_indexes(ctx, dropped)
    if ctx.full:
        ctx.run(f"DELETE FROM imdb_dataset_people WHERE true{ctx.free('person_key', 'people')}")
        ctx.run(f"INSERT INTO imdb_dataset_people (person_key) SELECT id FROM {names} s WHERE true{free}")
    else:
        ctx.run(
            f"INSERT INTO imdb_dataset_people (person_key) SELECT id FROM {names} s WHERE true{free}"
            " AND NOT EXISTS (SELECT 1 FROM imdb_dataset_people d WHERE d.person_key = s.id)"
        )
    return ctx.full
