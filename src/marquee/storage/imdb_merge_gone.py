"""A full dump's removals: the dataset titles it no longer has go, unless members' data name them
(``storage.imdb_merge``'s module text); those that stay keep the last dump as their sections' source.
"""

from __future__ import annotations

from sqlalchemy import Table

from marquee.storage import schema
from marquee.storage.community_schema import COMMUNITY_TABLES
from marquee.storage.film_rows import CAST_CATEGORIES, IMDB_DUMP_KEY, IMDB_SECTIONS, LISTED_CATEGORIES
from marquee.storage.imdb_merge_ctx import MergeCtx
from marquee.storage.library_schema import LIBRARY_TABLES

__all__ = ["keep_dump_sources", "member_refs", "remove_gone_titles", "title_part_tables"]


def title_part_tables() -> list[str]:
    """Tables of schema.py holding parts of a title (deleted with it)."""
    own = {t.name for t in schema.FILM_TABLES}
    return [
        t.name
        for t in schema.metadata.sorted_tables
        if t.name in own and t.name != "titles" and "title_key" in t.c
    ]


def _sorted(group: tuple[Table, ...]) -> list[Table]:
    """A group of tables in dependency order (referenced tables first)."""
    names = {t.name for t in group}
    return [t for t in schema.metadata.sorted_tables if t.name in names]


def member_refs(ctx: MergeCtx) -> list[str]:
    """SELECTs of every title id (title_id) that members' data name, in the tables this store has."""
    have = ctx.all_tables()
    refs = [
        f"SELECT title_id FROM {t.name}"
        for group in (COMMUNITY_TABLES, LIBRARY_TABLES)
        for t in _sorted(group)
        if "title_id" in t.c and "title_id" in have.get(t.name, ())
    ]
    if "title_id" in have.get("revisions", ()):  # films members edited (issue 17) stay too
        refs.append("SELECT title_id FROM revisions")
    if {"kind", "target"} <= set(have.get("likes", ())):
        refs.append("SELECT target FROM likes WHERE kind = 'film'")
    return refs


def remove_gone_titles(ctx: MergeCtx, gone: str) -> None:
    """Full dump: the dataset titles it lacks (``gone``, a SELECT of ids) go, with all their parts
    (not held ones, not members')."""
    ctx.run(f"INSERT INTO imdb_gone_titles (id) {gone}")
    refs = member_refs(ctx)
    if refs:
        # Members rated, reviewed or listed them: kept as they are, no longer dataset titles.
        ctx.counts.titles_kept = ctx.q(
            "DELETE FROM imdb_gone_titles WHERE id IN"
            f" (SELECT t.title_key FROM titles t WHERE t.title_id IN ({' UNION '.join(refs)}))"
        )
    kinds = ctx.all(
        "SELECT kind, count(*) FROM titles WHERE title_key IN (SELECT id FROM imdb_gone_titles) GROUP BY kind"
    )
    ctx.counts.removed_kinds = {str(kind): int(n) for kind, n in kinds}
    for table in title_part_tables():
        ctx.run(f"DELETE FROM {table} WHERE title_key IN (SELECT id FROM imdb_gone_titles)")
    ctx.counts.titles_removed = ctx.q(
        "DELETE FROM titles WHERE title_key IN (SELECT id FROM imdb_gone_titles)"
    )


def keep_dump_sources(ctx: MergeCtx, kept: str) -> None:
    """Full dump: the dataset titles it lacks that stay (members' data names them) stop being dataset
    titles, so their sections would no longer read the last dump as their source: store it for them,
    for the sections they have (as ``film_rows`` derives it), unless a source is stored already."""
    cast = ", ".join(f"'{c}'" for c in CAST_CATEGORIES)
    listed = ", ".join(f"'{c}'" for c in sorted(LISTED_CATEGORIES))
    has = {
        "title": "t.primary_title IS NOT NULL AND t.primary_title <> ''",
        "original_title": "t.original_title IS NOT NULL AND t.original_title <> ''",
        "kind": "t.kind IS NOT NULL AND t.kind <> ''",
        "year": "t.start_year IS NOT NULL",
        "end_year": "t.end_year IS NOT NULL",
        "genres": "EXISTS (SELECT 1 FROM title_genres x WHERE x.title_key = t.title_key)",
        "rating": "EXISTS (SELECT 1 FROM imdb_ratings x WHERE x.title_key = t.title_key)",
        "directors": (
            "EXISTS (SELECT 1 FROM credits x WHERE x.title_key = t.title_key AND x.category = 'director')"
        ),
        "writers": (
            "EXISTS (SELECT 1 FROM credits x WHERE x.title_key = t.title_key AND x.category = 'writer')"
        ),
        "cast": (
            f"EXISTS (SELECT 1 FROM credits x WHERE x.title_key = t.title_key AND x.category IN ({cast}))"
        ),
        "crew": (
            "EXISTS (SELECT 1 FROM credits x WHERE x.title_key = t.title_key"
            f" AND x.category NOT IN ({listed}))"
        ),
        "runtimes": "EXISTS (SELECT 1 FROM runtimes x WHERE x.title_key = t.title_key)",
        "alternate_titles": "EXISTS (SELECT 1 FROM alternate_titles x WHERE x.title_key = t.title_key)",
        "episode_of": "EXISTS (SELECT 1 FROM episodes x WHERE x.title_key = t.title_key)",
    }
    for section in IMDB_SECTIONS:
        ctx.run(
            f"INSERT INTO title_sources (title_key, section, source) SELECT t.title_key, '{section}', m.value"
            f" FROM titles t JOIN store_meta m ON m.key = '{IMDB_DUMP_KEY}'"
            f" WHERE t.title_key IN ({kept}) AND {has[section]} ON CONFLICT (title_key, section) DO NOTHING"
        )
