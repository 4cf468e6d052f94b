"""One vocabulary: every stored column is a record's field, a named rename of one, or listed as internal.

The map below is the store's dictionary. A new column fails the first test until it is given a
place here: the record field it carries (same name, or an entry in RENAMED), or a line in
INTERNAL saying what the column is for. Entries that no longer match a column or a field fail the
others, so the dictionary stays true.

How a film is named (issue 16, step 4): a film's own id is ``Film.id``, the ``tt…`` string, stored
as ``titles.title_id``; a reference to a film is the same string in a ``title_id`` column (named
``title_id`` in the community records too, ``film_id`` in the library records: RENAMED lists each
place), a series ``series_id``; a person's id is ``people.person_id`` (``nm…``). The integer
``titles.title_key`` / ``*.title_key`` (and ``people.person_key`` / ``credits.person_key``) columns
are the store's internal keys (INTERNAL), never shown. So a ``*_id`` column naming a film or a
person holds its public string id, a ``*_key`` column the integer key (the last test checks the
types; ``test_migrations`` checks the migrated databases the same way). IMDb's staging keeps IMDb's
names (``tconst``, ``nconst``): it is IMDb's format, in no table of this dictionary.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from pydantic import BaseModel

import marquee.storage
from marquee import records as r
from marquee import records_community as rc
from marquee import records_library as rl
from marquee.services.editing import Revision
from marquee.services.follows import Follow, Notice
from marquee.storage.tables import metadata

for _module in pkgutil.iter_modules(marquee.storage.__path__):
    importlib.import_module(f"marquee.storage.{_module.name}")

Records = tuple[type[BaseModel], ...]

# Each table and the record(s) whose fields its rows carry (None: the table is internal).
TABLES: dict[str, Records | None] = {
    "titles": (r.Film,),
    "alternate_titles": (r.AlternateTitle,),
    "awards": (r.Award,),
    "box_office": (r.BoxOffice,),
    "credits": (r.CastMember, r.CrewMember),
    "episodes": (r.EpisodeOf,),
    "external_ids": (r.Film,),
    "external_scores": (r.ExternalScore,),
    "filming_locations": (r.Film,),
    "goofs": (r.Goof,),
    "imdb_ratings": (r.Rating,),
    "people": (r.Person,),
    "quote_lines": (r.QuoteLine,),
    "release_dates": (r.ReleaseDate,),
    "reviews": (r.Review, r.Score),
    "runtimes": (r.Runtime,),
    "taglines": (r.Film,),
    "trivia": (r.Film,),
    "title_countries": (r.Film,),
    "title_genres": (r.Film,),
    "title_languages": (r.Film,),
    "title_sources": (r.Film,),
    "users": (rc.User,),
    "api_tokens": (rc.ApiToken,),
    "member_ratings": (rc.MemberRating,),
    "member_reviews": (rc.MemberReview, r.Score),
    "comments": (rc.Comment,),
    "reports": (rc.Report,),
    "moderation_log": (rc.ModerationAction,),
    "imports": (rl.ImportRun,),
    "diary_entries": (rl.DiaryEntry,),
    "watchlist": (rl.WatchlistEntry,),
    "member_lists": (rl.MemberList,),
    "list_items": (rl.ListItem,),
    "likes": (rl.LikeEntry,),
    "revisions": (Revision,),
    "follows": (Follow,),
    "notices": (Notice,),
    "title_similar": None,
    "title_browse": None,
    "title_browse_counts": None,
    "description_models": None,
    "description_vectors": None,
    "imdb_dataset_people": None,
    "imdb_line_hashes": None,
    "imdb_dataset_titles": None,
    "page_versions": None,
    "rate_buckets": None,
    "store_meta": None,
    "sessions": None,
    "password_resets": None,
    "import_changes": None,
    "review_votes": None,
    "follow_known": None,
    "notice_feeds": None,
}

# (table, column) -> the field of the table's record it carries under another name.
RENAMED: dict[tuple[str, str], str] = {
    ("titles", "title_id"): "id",
    ("titles", "primary_title"): "title",
    ("titles", "start_year"): "year",
    ("titles", "runtime_minutes"): "runtimes",
    ("external_ids", "site"): "external_ids",
    ("external_ids", "value"): "external_ids",
    ("filming_locations", "place"): "filming_locations",
    ("taglines", "text"): "taglines",
    ("trivia", "text"): "trivia",
    ("title_countries", "country"): "countries",
    ("title_genres", "genre"): "genres",
    ("title_languages", "language"): "languages",
    ("title_sources", "section"): "sources",
    ("title_sources", "source"): "sources",
    ("imdb_ratings", "average"): "value",
    ("people", "person_id"): "id",
    ("reviews", "score_value"): "value",
    ("reviews", "score_scale"): "scale",
    ("member_reviews", "score_value"): "value",
    ("member_reviews", "score_scale"): "scale",
    ("moderation_log", "moderator_name"): "moderator",
    ("diary_entries", "title_id"): "film_id",
    ("watchlist", "title_id"): "film_id",
    ("list_items", "title_id"): "film_id",
    ("revisions", "title_id"): "film_id",
    ("revisions", "user_name"): "user",
    ("revisions", "created_at"): "time",
    ("follows", "created_at"): "since",
    ("notices", "title_id"): "film_id",
}

# (table, column) -> what the column is for, where it is no record field.
INTERNAL: dict[tuple[str, str], str] = {
    ("titles", "title_key"): "the title's internal integer key; every *.title_key column refers to it",
    **{
        (table, "title_key"): "the internal integer key of the title the row belongs to"
        for table in [
            "alternate_titles",
            "awards",
            "box_office",
            "credits",
            "episodes",
            "external_ids",
            "external_scores",
            "filming_locations",
            "goofs",
            "imdb_ratings",
            "quote_lines",
            "release_dates",
            "reviews",
            "runtimes",
            "taglines",
            "trivia",
            "title_countries",
            "title_genres",
            "title_languages",
            "title_sources",
        ]
    },
    **{
        (table, "ordering"): "the item's position in the record's list"
        for table in [
            "alternate_titles",
            "awards",
            "box_office",
            "credits",
            "external_ids",
            "external_scores",
            "filming_locations",
            "goofs",
            "release_dates",
            "reviews",
            "runtimes",
            "taglines",
            "trivia",
            "title_countries",
            "title_genres",
            "title_languages",
        ]
    },
    (
        "credits",
        "person_key",
    ): "the person's internal integer key (people.person_key); records show the nm… id",
    ("people", "person_key"): "the person's internal integer key",
    ("quote_lines", "quote_no"): "the quote's position in Film.quotes",
    ("quote_lines", "line_no"): "the line's position in Quote.lines",
    ("reviews", "id"): "the imported review's row key",
    ("users", "name_key"): "the name folded for uniqueness",
    ("users", "name_skeleton"): "the name's confusable skeleton, against look-alike names",
    ("users", "name_skeleton_folded"): "the skeleton case-folded",
    ("users", "password_hash"): "argon2 hash; never leaves storage",
    ("users", "disabled"): "shown as MemberSummary.status",
    ("users", "deleted_at"): "shown as MemberSummary.status",
    ("api_tokens", "user_id"): "the owner's key",
    ("api_tokens", "token_hash"): "the token's hash; never leaves storage",
    ("api_tokens", "revoked_at"): "a revoked token is no longer listed",
    ("member_ratings", "created_at"): "first rating time; the record shows updated_at",
    ("member_reviews", "user_id"): "the author's key; the record shows the name (author)",
    ("member_ratings", "user_id"): "the member's key; the record shows the name (user)",
    ("reports", "reporter_id"): "the reporter's key; the record shows the name (reporter)",
    ("imports", "user_id"): "the member's key; the record shows the name (user)",
    ("follows", "user_id"): "the follower's key; the record shows the name (owner)",
    ("notices", "user_id"): "the member's key; the record shows the name (owner)",
    ("comments", "user_id"): "the author's key; the record shows the name (author)",
    ("reports", "resolved_at"): "a resolved report leaves the queue",
    ("reports", "resolved_by"): "who resolved it (moderation log)",
    ("moderation_log", "moderator_id"): "the moderator's key",
    ("diary_entries", "user_id"): "the owner's key",
    ("diary_entries", "import_id"): "the member import that wrote the row (undo)",
    ("watchlist", "user_id"): "the owner's key",
    ("watchlist", "import_id"): "the member import that wrote the row (undo)",
    ("member_lists", "user_id"): "the owner's key",
    ("member_lists", "import_id"): "the member import that wrote the row (undo)",
    ("list_items", "list_id"): "the list's key",
    ("list_items", "import_id"): "the member import that wrote the row (undo)",
    ("likes", "user_id"): "the owner's key",
    ("likes", "import_id"): "the member import that wrote the row (undo)",
    ("revisions", "user_id"): "the author's key",
    ("revisions", "old_values"): "the sections before; shown as Revision.diff",
    ("revisions", "new_values"): "the sections after; shown as Revision.diff",
}


def _columns() -> list[tuple[str, str]]:
    return [(table.name, column.name) for table in metadata.sorted_tables for column in table.columns]


def _fields(table: str) -> set[str]:
    records = TABLES[table]
    return set().union(*(record.model_fields for record in records)) if records else set()


def test_every_table_is_in_the_dictionary() -> None:
    assert sorted({table for table, _ in _columns()} - set(TABLES)) == []
    assert sorted(set(TABLES) - {table.name for table in metadata.sorted_tables}) == []


@pytest.mark.parametrize("table, column", _columns(), ids=lambda v: str(v))
def test_every_column_is_a_field_a_renamed_field_or_internal(table: str, column: str) -> None:
    if TABLES[table] is None:
        return
    placed = [
        column in _fields(table) and (table, column) not in INTERNAL,
        (table, column) in RENAMED,
        (table, column) in INTERNAL,
    ]
    assert sum(placed) == 1, f"{table}.{column}: give it one place (same-named field, RENAMED or INTERNAL)"


def test_renamed_columns_name_real_fields_of_their_records() -> None:
    columns = set(_columns())
    for (table, column), field in RENAMED.items():
        assert (table, column) in columns, f"{table}.{column} is no column"
        assert field in _fields(table), f"{table}.{column} -> {field}: no such field"
        assert column not in _fields(table) or field == column, f"{table}.{column} is a field of its own name"


def test_internal_entries_are_real_columns_of_record_tables() -> None:
    columns = set(_columns())
    for table, column in INTERNAL:
        assert (table, column) in columns, f"{table}.{column} is no column"
        assert TABLES[table] is not None, f"{table} is internal as a whole"


def test_a_film_reference_is_always_the_tt_string_column() -> None:
    """Wherever a record names a film under another name, the column behind it is ``title_id`` (the
    ``tt…`` id), never the integer key."""
    film_fields = {"id", "title_id", "film_id", "series_id"}
    for (table, column), field in RENAMED.items():
        if field in film_fields and TABLES[table] not in ((r.Person,), (rc.User,)):
            assert column == "title_id", f"{table}.{column} carries {field}"


# A public id (a string) and an internal key (an integer), by column name.
ID_COLUMNS = {"title_id", "person_id", "series_id", "similar_id"}
KEY_COLUMNS = {"title_key", "person_key"}
IMDB_NAMES = {"tconst", "nconst", "series_tconst", "similar_tconst"}


def test_an_id_column_is_a_string_and_a_key_column_an_integer() -> None:
    """``title_id`` is always the ``tt…`` string and ``title_key`` always the integer, in every table
    (a column of one of these names with the other type is the mix-up issue 16 removed); IMDb's own
    names are for its staging files alone."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            where = f"{table.name}.{column.name}"
            assert column.name not in IMDB_NAMES, f"{where}: the store names it title_id/person_id"
            if column.name in ID_COLUMNS:
                assert column.type.python_type is str, f"{where} is {column.type}, not a string"
            if column.name in KEY_COLUMNS:
                assert column.type.python_type is int, f"{where} is {column.type}, not an integer"
