"""The store's tables, defined once with SQLAlchemy Core (migrations live in ``migrations/``).

One table per part of a film's record, so search, charts and joins are plain SQL.
Internal integer keys (``titles.title_key``, ``people.person_key``) never leave the store: the
outside world sees ``titles.title_id`` (IMDb tt… id or a slug) and ``people.person_id``.

Child tables carry no foreign-key constraints on purpose: the bulk importers load
tens of millions of rows with COPY and driver fast paths, and the store deletes a
film's parts itself (see ``sqlstore.FILM_PART_TABLES``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from marquee.storage.tables import id_column, time_column
from marquee.storage.tables import metadata as metadata  # re-exported: schema.metadata

titles = Table(
    "titles",
    metadata,
    id_column("title_key"),
    Column("title_id", String, nullable=False, unique=True),
    Column("kind", String, nullable=False, server_default="movie"),
    Column("primary_title", String, nullable=False),
    Column("original_title", String),
    Column("is_adult", Boolean, nullable=False, server_default="0"),
    Column("start_year", Integer),
    Column("end_year", Integer),
    # The first runtime with minutes, kept by the store for browse filters.
    Column("runtime_minutes", Integer),
    Column("published", Date),
    Column("outline", Text),
    Column("plot", Text),
    Column("comments_open", Boolean, nullable=False, server_default="1"),
)


def _film_list(name: str, *columns: Column[Any]) -> Table:
    """A list belonging to a film: ``title_key`` and ``ordering`` (its key, in the record's order), then
    ``columns``."""
    return Table(
        name,
        metadata,
        Column("title_key", Integer, nullable=False),
        Column("ordering", Integer, nullable=False),
        *columns,
        PrimaryKeyConstraint("title_key", "ordering"),
    )


title_genres = _film_list(
    "title_genres",
    Column("genre", String, nullable=False),
)

# IMDb's own aggregate (or the page's site rating): never mixed with members' ratings.
imdb_ratings = Table(
    "imdb_ratings",
    metadata,
    Column("title_key", Integer, primary_key=True, autoincrement=False),
    Column("average", Float, nullable=False),
    Column("scale", Integer, nullable=False, server_default="10"),
    Column("votes", Integer),
)

people = Table(
    "people",
    metadata,
    id_column("person_key"),
    Column("person_id", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("birth_year", Integer),
    Column("death_year", Integer),
    Column("professions", String),  # comma-separated, as in name.basics
    Column("known_for", String),  # comma-separated title_ids
    Column("biography", Text),  # members write it (issue 17); no import fills it
)
Index("ix_people_name", people.c.name)

# Cast (actor, actress, self), stars ("star"), directors, writers and other crew.
credits = Table(
    "credits",
    metadata,
    Column("title_key", Integer, nullable=False),
    Column("category", String, nullable=False),
    Column("ordering", Integer, nullable=False),
    Column("person_key", Integer, nullable=False),
    Column("job", String),
    Column("character", String),
    Column("credited_as", String),
    PrimaryKeyConstraint("title_key", "category", "ordering"),
)
# By person, then title: a person's titles come from the index alone (pages, search popularity).
Index("ix_credits_person", credits.c.person_key, credits.c.title_key)

alternate_titles = _film_list(
    "alternate_titles",
    Column("title", String, nullable=False),
    Column("region", String),
    Column("language", String),
    Column("types", String),  # comma-separated
    Column("attributes", String),  # comma-separated
    Column("is_original", Boolean, nullable=False, server_default="0"),
)

episodes = Table(
    "episodes",
    metadata,
    Column("title_key", Integer, primary_key=True, autoincrement=False),
    Column("series_id", String, nullable=False),
    Column("season", Integer),
    Column("episode", Integer),
)
Index("ix_episodes_series", episodes.c.series_id, episodes.c.season)  # 0020: by season too

taglines = _film_list("taglines", Column("text", Text, nullable=False))
filming_locations = _film_list("filming_locations", Column("place", Text, nullable=False))
trivia = _film_list("trivia", Column("text", Text, nullable=False))

release_dates = _film_list(
    "release_dates",
    Column("date", String),  # partial ISO: 1985, 1985-03, 1985-03-08
    Column("country", String),
    Column("note", String),
)

box_office = _film_list(
    "box_office",
    Column("kind", String, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String, nullable=False),
    Column("country", String),
)

runtimes = _film_list(
    "runtimes",
    Column("minutes", Integer),
    Column("country", String),
    Column("note", String),
)

goofs = _film_list(
    "goofs",
    Column("category", String),
    Column("text", Text, nullable=False),
)

quote_lines = Table(
    "quote_lines",
    metadata,
    Column("title_key", Integer, nullable=False),
    Column("quote_no", Integer, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("character", String),
    Column("direction", String),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("title_key", "quote_no", "line_no"),
)

# Reviews imported with pages. Members' own reviews (issue 6) extend this table.
reviews = Table(
    "reviews",
    metadata,
    id_column(),
    Column("title_key", Integer, nullable=False),
    Column("ordering", Integer, nullable=False),
    Column("title", String),
    Column("body", Text, nullable=False),
    Column("score_value", Float),
    Column("score_scale", Integer),
    Column("author", String),
    Column("date", Date),
)
Index("ix_reviews_title", reviews.c.title_key, reviews.c.ordering)

# Countries of origin and spoken languages (English names), in the page's order.
title_countries = _film_list(
    "title_countries",
    Column("country", String, nullable=False),
)

title_languages = _film_list(
    "title_languages",
    Column("language", String, nullable=False),
)

# Other sources' scores (a critics' percentage, a metascore), kept apart from IMDb's rating.
external_scores = _film_list(
    "external_scores",
    Column("source", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("value", Float, nullable=False),
    Column("scale", Integer, nullable=False),
    Column("count", Integer),
)

awards = _film_list(
    "awards",
    Column("name", String, nullable=False),
    Column("category", String),
    Column("year", Integer),
    Column("outcome", String, nullable=False),
)

# The film's ids on other sites (``site``: wikidata, tmdb, letterboxd…), in the record's order.
external_ids = _film_list(
    "external_ids",
    Column("site", String, nullable=False),
    Column("value", String, nullable=False),
)

# Which titles and people the last IMDb dataset import brought (the import owns their parts).
imdb_dataset_titles = Table(
    "imdb_dataset_titles", metadata, Column("title_key", Integer, primary_key=True, autoincrement=False)
)
imdb_dataset_people = Table(
    "imdb_dataset_people", metadata, Column("person_key", Integer, primary_key=True, autoincrement=False)
)

# Store-wide facts: e.g. the state of the last dataset import.
store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

# Where each section of a film came from (``Film.sources``): ``imdb-datasets:DATE``, ``page:FILE``,
# ``member:REVISION``… One row per section that has a known source.
title_sources = Table(
    "title_sources",
    metadata,
    Column("title_key", Integer, nullable=False),
    Column("section", String, nullable=False),
    Column("source", String, nullable=False),
    PrimaryKeyConstraint("title_key", "section"),
)

# Every change a member (or a re-import over a member's edit) made to a film: which sections, their
# JSON before and after, who, when, from where. Rows name the film by ``title_id`` (like the
# community's tables) so a replaced or re-imported film keeps its history; the member's name is
# copied so the history survives a deleted account.
revisions = Table(
    "revisions",
    metadata,
    id_column(),
    Column("title_id", String, nullable=False),
    Column("user_id", Integer),
    Column("user_name", String),
    time_column("created_at"),
    Column("fields", String, nullable=False),  # comma-separated section names, in record order
    Column("old_values", Text, nullable=False),  # JSON object: section -> value before
    Column("new_values", Text, nullable=False),  # JSON object: section -> value after
    Column("source", String, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("hidden", Boolean, nullable=False, server_default="0"),
    Column("base_revision", Integer),
    Column("reverts", Integer),  # the revision a revert went back to
    # live (applied), pending (waits in the moderation queue), approved (applied as ``applied_as``),
    # rejected (kept in the history, never applied)
    Column("status", String, nullable=False, server_default="live"),
    Column("applied_as", Integer),
)
Index("ix_revisions_title", revisions.c.title_id, revisions.c.id)

# This module's tables: the films' and people's own (other modules' tables share ``metadata``).
FILM_TABLES: tuple[Table, ...] = (
    titles,
    title_genres,
    imdb_ratings,
    people,
    credits,
    alternate_titles,
    episodes,
    release_dates,
    box_office,
    runtimes,
    goofs,
    quote_lines,
    reviews,
    title_countries,
    title_languages,
    external_scores,
    awards,
    external_ids,
    imdb_dataset_titles,
    imdb_dataset_people,
    store_meta,
    title_sources,
    revisions,
)
