"""The SQL for the rows a search shows once it has its hits (``services.search``): the titles'
and the people's display fields, the titles a person is known for, a person's most voted credits.
Pure builders of ``(sql, params)``, as ``search_queries``' are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["known_for_sql", "people_sql", "titles_sql", "top_credited_sql"]

Sql = tuple[str, dict[str, Any]]

_TITLE_FIELDS = (
    "SELECT t.title_key, t.title_id, t.primary_title, t.start_year, t.kind, r.average, r.votes FROM titles t"
    " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
)


def titles_sql(dialect: str, ids: Sequence[int]) -> Sql:
    """Display fields of titles by internal id."""
    if dialect == "postgresql":
        return f"{_TITLE_FIELDS} WHERE t.title_key = ANY(:ids)", {"ids": list(ids)}
    sql = f"{_TITLE_FIELDS} WHERE t.title_key IN (SELECT value FROM json_each(:ids))"
    return sql, {"ids": json.dumps(list(ids))}


def people_sql(ids: Sequence[int]) -> Sql:
    """Display fields of people by internal id."""
    marks = ", ".join(f":p{i}" for i in range(len(ids)))
    sql = (
        "SELECT person_key, person_id, name, birth_year, professions, known_for FROM people"
        f" WHERE person_key IN ({marks})"
    )
    return sql, {f"p{i}": v for i, v in enumerate(ids)}


def known_for_sql(title_ids: Sequence[str]) -> Sql:
    """``title_id, primary_title`` of the titles a person is known for (name.basics' list)."""
    marks = ", ".join(f":c{i}" for i in range(len(title_ids)))
    return f"SELECT title_id, primary_title FROM titles WHERE title_id IN ({marks})", {
        f"c{i}": c for i, c in enumerate(title_ids)
    }


def top_credited_sql(person_keys: Sequence[int], limit: int) -> Sql:
    """``person_key, primary_title`` of each person's most voted credited titles (then the oldest
    first), at most ``limit`` a person, in that order: one statement for every hit of a search."""
    marks = ", ".join(f":p{i}" for i in range(len(person_keys)))
    sql = (
        "SELECT person_key, primary_title FROM (SELECT c.person_key, t.primary_title, row_number() OVER"
        " (PARTITION BY c.person_key ORDER BY coalesce(r.votes, 0) DESC, t.start_year, t.title_key) AS n"
        f" FROM (SELECT DISTINCT person_key, title_key FROM credits WHERE person_key IN ({marks})) c"
        " JOIN titles t ON t.title_key = c.title_key LEFT JOIN imdb_ratings r ON r.title_key = t.title_key) x"
        f" WHERE n <= {int(limit)} ORDER BY person_key, n"
    )
    return sql, {f"p{i}": v for i, v in enumerate(person_keys)}
