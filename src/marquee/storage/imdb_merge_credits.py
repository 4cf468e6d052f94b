"""Merge the staged title.principals and title.crew into ``credits`` (the ownership rules are
``storage.imdb_merge``'s module text): a full dump rebuilds the credits of every dataset title, a partial
folder replaces each file's own lines of the titles it names.
"""

from __future__ import annotations

from marquee.storage.imdb_merge_ctx import (
    MergeCtx,
    create_indexes,
    drop_indexes,
    not_placed,
    staged_count,
    unplaced,
)

__all__ = ["merge_credits", "merge_credits_partial"]


def _crew_list(ctx: MergeCtx, column: str) -> tuple[str, str, str]:
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


def merge_credits(ctx: MergeCtx) -> None:
    principals = ctx.stage.get("title.principals")
    crew = ctx.stage.get("title.crew")
    free = ctx.free("p.title_key", "credits")
    ctx.run(
        f"DELETE FROM credits WHERE category <> 'star' AND title_key IN ({ctx.dataset_titles()})"
        f"{ctx.free('title_key', 'credits')}"
    )
    incoming = (staged_count(ctx, "title.principals") if principals else 0) + (
        staged_count(ctx, "title.crew") if crew else 0
    )
    dropped = drop_indexes(ctx, "credits", incoming)
    written = 0
    if principals:
        # Cast (actor, actress, self) in billing order, and other crew with their job.
        written += ctx.q(
            "INSERT INTO credits (title_key, category, ordering, person_key, job, character)"
            " SELECT p.title_key, p.category, p.ordering, p.person_key, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.title_key = p.title_key"
            f" WHERE p.category NOT IN ('director', 'writer'){free}"
        )
    # PostgreSQL joins the principals' jobs in as the crew's lines go in: an UPDATE afterwards
    # writes every line it sets again (531 s of a 12M run). SQLite updates in place, where the join
    # cost more than the UPDATE (1M titles: 9.5 s against 5.5 s for the lines and the UPDATE).
    joined = principals if ctx.dialect == "postgresql" else None
    for category, column in (("director", "directors"), ("writer", "writers")):
        if crew:
            written += ctx.q(_crew_lines(ctx, category, column, crew, joined))
        if principals:
            written += ctx.q(_principal_only(ctx, category, column, principals, crew))
    if principals and crew and joined is None:
        ctx.run(
            f"UPDATE credits SET job = p.job FROM {_first_jobs(principals)} p"
            " WHERE credits.title_key = p.title_key AND credits.category = p.category"
            f" AND credits.person_key = p.person_key AND credits.job IS NULL{free}"
        )
    create_indexes(ctx, dropped)
    ctx.counts.written["credits"] = written - _drop_unknown_people(ctx)
    _credits_unplaced(ctx, principals, crew)


def _crew_lines(ctx: MergeCtx, category: str, column: str, crew: str, principals: str | None) -> str:
    """title.crew's directors or writers, in its list's order; given ``principals``, each with the job
    it gives that person on that title (e.g. "screenplay"; ``_first_jobs``), joined in as the lines
    go in (PostgreSQL: see ``merge_credits``)."""
    each, position, person = _crew_list(ctx, column)
    lateral = "CROSS JOIN LATERAL" if ctx.dialect == "postgresql" else "JOIN"
    jobs, job = "", "NULL"
    if principals:
        jobs = (
            f" LEFT JOIN {_first_jobs(principals)} pj ON pj.title_key = c.title_key"
            f" AND pj.category = '{category}' AND pj.person_key = {person}"
        )
        job = "pj.job"
    return (
        "INSERT INTO credits (title_key, category, ordering, person_key, job)"
        f" SELECT c.title_key, '{category}', {position}, {person}, {job}"
        f" FROM {crew} c JOIN imdb_dataset_titles d ON d.title_key = c.title_key {lateral} {each}{jobs}"
        f" WHERE c.{column} IS NOT NULL{ctx.free('c.title_key', 'credits')}"
    )


def _first_jobs(principals: str) -> str:
    """The job title.principals gives each director and writer on a title: the first in sort order
    where it gives several (an ``UPDATE … FROM`` the rows themselves took whichever it met first)."""
    return (
        f"(SELECT title_key, category, person_key, min(job) AS job FROM {principals}"
        " WHERE category IN ('director', 'writer') AND job IS NOT NULL"
        " GROUP BY title_key, category, person_key)"
    )


def _credits_unplaced(ctx: MergeCtx, principals: str | None, crew: str | None) -> None:
    for dataset, table in (("title.principals", principals), ("title.crew", crew)):
        if table:
            unknown = f"SELECT count(*) FROM {table} s WHERE NOT EXISTS ({_DATASET_TITLE})"
            unplaced(ctx, not_placed(ctx, dataset), int(ctx.one(unknown)[0]))


def merge_credits_partial(ctx: MergeCtx) -> None:
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
        "SELECT x.title_key FROM {} x JOIN imdb_dataset_titles d ON d.title_key = x.title_key WHERE true"
        + ctx.free("x.title_key", "credits")
    )
    if crew:
        titles = named.format(crew)
        tail = "" if ctx.dialect == "sqlite" else " ON COMMIT DROP"
        ctx.run(f"DROP TABLE IF EXISTS {'temp.' if ctx.dialect == 'sqlite' else ''}imdb_saved_crew")
        cols = "title_key, category, ordering, person_key, job, character, credited_as"
        ctx.run(
            "CREATE TEMP TABLE imdb_saved_crew (title_key INTEGER, category TEXT, ordering INTEGER,"
            f" person_key INTEGER, job TEXT, character TEXT, credited_as TEXT){tail}"
        )
        ctx.run(
            f"INSERT INTO imdb_saved_crew SELECT {cols} FROM credits"
            f" WHERE category IN ('director', 'writer') AND title_key IN ({titles})"
        )
        ctx.run(f"DELETE FROM credits WHERE category IN ('director', 'writer') AND title_key IN ({titles})")
        for category, column in (("director", "directors"), ("writer", "writers")):
            each, position, person = _crew_list(ctx, column)
            written += ctx.q(
                "INSERT INTO credits (title_key, category, ordering, person_key)"
                f" SELECT c.title_key, '{category}', {position}, {person}"
                f" FROM {crew} c JOIN imdb_dataset_titles d ON d.title_key = c.title_key, {each}"
                f" WHERE c.{column} IS NOT NULL{ctx.free('c.title_key', 'credits')}"
            )
        same = (
            "j.title_key = credits.title_key AND j.category = credits.category"
            " AND j.person_key = credits.person_key"
        )
        # What the stored lines had beyond the list (a job, a character) stays.
        for column in ("job", "character", "credited_as"):
            ctx.run(
                f"UPDATE credits SET {column} = (SELECT min(j.{column}) FROM imdb_saved_crew j WHERE {same})"
                f" WHERE {column} IS NULL AND title_key IN (SELECT title_key FROM imdb_saved_crew)"
            )
        # Stored lines the list lacks (e.g. added from title.principals) stay, after the list:
        # a partial folder removes nothing.
        kept = "c.title_key = j.title_key AND c.category = j.category"
        ctx.run(
            f"INSERT INTO credits ({cols}) SELECT j.title_key, j.category,"
            f" coalesce((SELECT max(c.ordering) FROM credits c WHERE {kept}), 0)"
            " + row_number() OVER (PARTITION BY j.title_key, j.category ORDER BY j.ordering),"
            " j.person_key, j.job, j.character, j.credited_as FROM imdb_saved_crew j"
            f" WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE {kept} AND c.person_key = j.person_key)"
        )
    if principals:
        titles = named.format(principals)
        free = ctx.free("p.title_key", "credits")
        ctx.run(
            "DELETE FROM credits WHERE category NOT IN ('star', 'director', 'writer')"
            f" AND title_key IN ({titles})"
        )
        written += ctx.q(
            "INSERT INTO credits (title_key, category, ordering, person_key, job, character)"
            " SELECT p.title_key, p.category, p.ordering, p.person_key, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.title_key = p.title_key"
            f" WHERE p.category NOT IN ('director', 'writer'){free}"
        )
        ctx.run(
            f"UPDATE credits SET job = p.job FROM {_first_jobs(principals)} p"
            " WHERE credits.title_key = p.title_key AND credits.category = p.category"
            " AND credits.person_key = p.person_key"
            f" AND credits.title_key IN (SELECT title_key FROM imdb_dataset_titles){free}"
        )
        same = "c.title_key = p.title_key AND c.category = p.category"
        written += ctx.q(
            "INSERT INTO credits (title_key, category, ordering, person_key, job, character)"
            " SELECT p.title_key, p.category,"
            f" coalesce((SELECT max(c.ordering) FROM credits c WHERE {same}), 0)"
            " + row_number() OVER (PARTITION BY p.title_key, p.category ORDER BY p.ordering),"
            " p.person_key, p.job, p.character"
            f" FROM {principals} p JOIN imdb_dataset_titles d ON d.title_key = p.title_key"
            f" WHERE p.category IN ('director', 'writer'){free}"
            f" AND NOT EXISTS (SELECT 1 FROM credits c WHERE {same} AND c.person_key = p.person_key)"
        )
    ctx.counts.written["credits"] = written - _drop_unknown_people(ctx)
    _credits_unplaced(ctx, principals, crew)


_DATASET_TITLE = "SELECT 1 FROM imdb_dataset_titles d WHERE d.title_key = s.title_key"


def _drop_unknown_people(ctx: MergeCtx) -> int:
    """Remove the imported credits of people the store does not have; how many there were.

    One pass over the distinct people credited (the person index's order: each looked up once,
    in id order) instead of a lookup per credit as they go in (12 of 17 s at 1M titles).
    """
    unknown = (
        "SELECT d.person_key FROM (SELECT DISTINCT person_key FROM credits"
        f" WHERE true{ctx.scoped('title_key')}) d"
        " WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.person_key = d.person_key)"
    )
    gone = f"person_key IN ({unknown})"
    if ctx.dialect == "postgresql":  # one hash anti-join over the credits (the DISTINCT: 26 s at 1M titles)
        gone = "NOT EXISTS (SELECT 1 FROM people p WHERE p.person_key = credits.person_key)"
    dropped = ctx.q(
        f"DELETE FROM credits WHERE {gone}"
        f" AND category <> 'star' AND title_key IN ({ctx.dataset_titles()})"
        f"{ctx.free('title_key', 'credits')}"
    )
    unplaced(ctx, "credits (person not in name.basics)", dropped)
    return dropped


def _principal_only(ctx: MergeCtx, category: str, column: str, principals: str, crew: str | None) -> str:
    """Directors/writers named in principals but not in title.crew: appended after the crew list."""
    if crew is None:
        after, absent, join = "0", "", ""
    elif ctx.dialect == "sqlite":
        arr = f"'[' || c.{column} || ']'"
        after = f"coalesce(json_array_length({arr}), 0)"
        absent = f" AND NOT EXISTS (SELECT 1 FROM json_each({arr}) x WHERE x.value = p.person_key)"
        join = f" LEFT JOIN {crew} c ON c.title_key = p.title_key"
    else:
        arr = f"string_to_array(c.{column}, ',')::int[]"
        after = f"coalesce(cardinality({arr}), 0)"
        absent = f" AND NOT coalesce(p.person_key = ANY({arr}), false)"
        join = f" LEFT JOIN {crew} c ON c.title_key = p.title_key"
    return (
        "INSERT INTO credits (title_key, category, ordering, person_key, job, character)"
        f" SELECT p.title_key, p.category, {after} + row_number() OVER"
        " (PARTITION BY p.title_key ORDER BY p.ordering), p.person_key, p.job, p.character"
        f" FROM {principals} p JOIN imdb_dataset_titles d ON d.title_key = p.title_key{join}"
        f" WHERE p.category = '{category}'{absent}{ctx.free('p.title_key', 'credits')}"
    )
