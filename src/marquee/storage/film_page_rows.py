"""Everything a film page shows that is not the viewer's, read with a few plain statements (issue 20).

Why: a film page that is not in the page cache read its film, its members' activity, its "more like
this" list and (an episode) its series and neighbours through SQLAlchemy Core, six to eight
statements; building, caching and running each cost several times what the database did. Here the
same rows come from at most three statements run as plain SQL strings on one pooled DBAPI cursor
(as ``SqlStore.get_film`` does): the film (``film_read_one.read_film``), then the activity flags and the
similar films in one ``UNION ALL``, then, for an episode only, its series' title and its neighbours in
guide order (``LAG``/``LEAD`` over the series' episodes, the order ``storage.episodes`` sorts by).
On SQLite the three are one statement, each part's rows folded into one JSON value (``one_step``):
under load every row of a statement was a wait for the GIL.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from marquee.records import Film
from marquee.storage.base import Store
from marquee.storage.engine import driver_cursor, engine_of
from marquee.storage.episodes import EpisodeRow, episode_row
from marquee.storage.film_read_one import FOLDED_FILM_SQL, film_of_folded, read_film
from marquee.storage.one_step import folded_sql, json_row, unfolded, unfolded_row
from marquee.storage.similar import SimilarRow

__all__ = [
    "FilmPageRows",
    "GuideRows",
    "NeighbourRows",
    "Statement",
    "activity_similar_sql",
    "neighbours_sql",
    "read_film_page",
]

Statement = tuple[str, tuple[str | int, ...]]  # SQL in the driver's paramstyle, and its values in order


@dataclass(frozen=True)
class NeighbourRows:
    """An episode's series title (None: not in the catalogue) and the episodes just before and after
    it in the series' guide order, whatever their season (the caller applies the season rules)."""

    series_title: str | None
    previous: EpisodeRow | None
    next: EpisodeRow | None


@dataclass(frozen=True)
class GuideRows:
    """A series' seasons with their numbers of episodes, in order (as ``storage.episodes.season_counts``),
    and the episodes of the first of them in guide order (``episode_rows``): its guide as first shown."""

    counts: list[tuple[int | None, int]]
    episodes: list[EpisodeRow]


@dataclass(frozen=True)
class FilmPageRows:
    """A film and what its page shows beside it, read from one connection."""

    film: Film
    rated: bool
    reviewed: bool
    commented: bool
    similar: list[SimilarRow]
    neighbours: NeighbourRows | None  # None: the film is no episode
    guide: GuideRows | None = None  # None: the film is no series


# The members' activity (one row, k = 0) then the similar films still in the catalogue, best first.
_ACTIVITY_SIMILAR = (
    "SELECT 0 AS k, 0 AS rank, CAST(NULL AS TEXT) AS title_id, CAST(NULL AS TEXT) AS title,"
    " CAST(NULL AS BIGINT) AS year, CAST(NULL AS TEXT) AS kind, CAST(NULL AS DOUBLE PRECISION) AS score,"
    " CAST(NULL AS TEXT) AS reason,"
    " EXISTS (SELECT 1 FROM member_ratings WHERE title_id = {p}) AS rated,"
    " EXISTS (SELECT 1 FROM member_reviews WHERE title_id = {p}) AS reviewed,"
    " EXISTS (SELECT 1 FROM comments WHERE title_id = {p}) AS commented"
    " UNION ALL"
    " SELECT 1, s.rank, t.title_id, t.primary_title, t.start_year, t.kind, s.score, s.reason,"
    " FALSE, FALSE, FALSE"
    " FROM title_similar s JOIN titles t ON t.title_id = s.similar_id WHERE s.title_id = {p}"
    " ORDER BY k, rank LIMIT {p}"
)
_EPISODE = ("title_id", "primary_title", "start_year", "season", "episode", "average", "scale", "votes")


def _columns(side: str) -> list[str]:
    """The eight ``_EPISODE`` columns of one neighbour, read by id after the window found it."""
    tables = {"season": "e", "episode": "e", "average": "r", "scale": "r", "votes": "r"}
    return [f"{side}{tables.get(name, 't')}.{name}" for name in _EPISODE]


def _joins(side: str, column: str) -> str:
    return (
        f" LEFT JOIN titles {side}t ON {side}t.title_key = x.{column}"
        f" LEFT JOIN episodes {side}e ON {side}e.title_key = x.{column}"
        f" LEFT JOIN imdb_ratings {side}r ON {side}r.title_key = x.{column}"
    )


# The series' title, then the episode's neighbours over the guide's order (``storage.episodes._ordered``)
# among the episodes of its own season; only the first (last) episode of a numbered season looks further,
# for the last (first) episode of the numbered season just before (after) it. (A window over the three
# seasons around it read and sorted three times the rows: 0.10 -> 0.08 ms a page at 100k titles.)
# The window gives only the neighbours' keys; their columns come from three key lookups each.
_ORDER = (
    "e.season IS NULL",
    "e.season",
    "e.episode IS NULL",
    "e.episode",
    "t.start_year IS NULL",
    "t.title_id",
)
_SERIES_TITLE = "(SELECT primary_title FROM titles WHERE title_id = {p})"
_NEIGHBOUR_COLUMNS = [_SERIES_TITLE, *_columns("p"), *_columns("n")]
_NEIGHBOURS_FROM = (
    " FROM (SELECT 1 AS one) o LEFT JOIN (SELECT {before} AS before_id, {after} AS after_id FROM"
    " (SELECT t.title_id AS this, LAG(t.title_key) OVER w AS before_id, LEAD(t.title_key) OVER w AS after_id"
    " FROM episodes e JOIN titles t ON t.title_key = e.title_key WHERE e.series_id = {p} AND {season}"
    f" WINDOW w AS (ORDER BY {', '.join(_ORDER)})) s WHERE s.this = {{p}}) x ON 1 = 1"
    + _joins("p", "before_id")
    + _joins("n", "after_id")
)
_NEIGHBOURS = "SELECT " + ", ".join(_NEIGHBOUR_COLUMNS) + _NEIGHBOURS_FROM


def _season_end(last: bool) -> str:
    """The key of the last (first) episode, in guide order, of the numbered season just before (after)
    a season: a scalar subquery, run only for a season's first (last) episode."""
    aggregate, compare, order = ("MAX", "<", " DESC") if last else ("MIN", ">", "")
    return (
        "(SELECT t.title_key FROM episodes e JOIN titles t ON t.title_key = e.title_key"
        " WHERE e.series_id = {p} AND e.season ="
        f" (SELECT {aggregate}(season) FROM episodes WHERE series_id = {{p}} AND season {compare} {{p}})"
        f" ORDER BY {', '.join(term + order for term in _ORDER)} LIMIT 1)"
    )


# Unnumbered episodes have neighbours among themselves only; numbered ones cross a season's end.
_NO_SEASON = {"season": "e.season IS NULL", "before": "s.before_id", "after": "s.after_id"}
_A_SEASON = {
    "season": "e.season = {p}",
    "before": f"COALESCE(s.before_id, {_season_end(last=True)})",
    "after": f"COALESCE(s.after_id, {_season_end(last=False)})",
}
_PLACEHOLDER = {"qmark": "?", "pyformat": "%s", "format": "%s"}
# A series' guide as ``storage.episodes`` reads it (``season_counts``, then ``episode_rows`` of one season).
_SEASON_COUNTS = (
    "SELECT e.season, COUNT(*) FROM episodes e JOIN titles t ON t.title_key = e.title_key"
    " WHERE e.series_id = {p} GROUP BY e.season ORDER BY e.season IS NULL, e.season"
)
_SEASON_EPISODES = (
    "SELECT t.title_id, t.primary_title, t.start_year, e.season, e.episode, r.average, r.scale, r.votes"
    " FROM episodes e JOIN titles t ON t.title_key = e.title_key"
    " LEFT JOIN imdb_ratings r ON r.title_key = e.title_key WHERE e.series_id = {p} AND "
)
_SEASON_EPISODES_ORDER = f" ORDER BY {', '.join(_ORDER)}"
_SEASON_OF = {True: _SEASON_EPISODES + "e.season = {p}" + _SEASON_EPISODES_ORDER}
_SEASON_OF[False] = _SEASON_EPISODES + "e.season IS NULL" + _SEASON_EPISODES_ORDER


@cache
def _sql(template: str, paramstyle: str) -> str:
    """A template with the driver's placeholder (``?`` or ``%s``) for ``{p}``: values are never in the SQL.
    Built once per template and paramstyle (formatting the long templates cost ~5 µs a page)."""
    return template.format(p=_PLACEHOLDER[paramstyle])


@cache
def _neighbours_template(numbered: bool, template: str = _NEIGHBOURS) -> str:
    """``_NEIGHBOURS`` for an episode of a numbered season, or for one without a season."""
    parts = _A_SEASON if numbered else _NO_SEASON
    return (
        template.replace("{season}", parts["season"])
        .replace("{before}", parts["before"])
        .replace("{after}", parts["after"])
    )


def _episode_row(values: tuple[Any, ...]) -> EpisodeRow | None:
    """Eight columns as ``storage.episodes`` returns them, None when there is no such episode."""
    return None if values[0] is None else episode_row(values)


def _neighbours_values(series_id: Any, season: Any, title_id: Any) -> tuple[Any, ...]:
    """The values of ``_neighbours_template(season is not None)``, in order."""
    if season is None:
        return (series_id, series_id, title_id)
    ends = (series_id, series_id, season)
    return (series_id, *ends, *ends, series_id, season, title_id)


def neighbours_sql(paramstyle: str, series_id: str, season: int | None, title_id: str) -> Statement:
    """The series' title and the episode's neighbours in guide order (across a numbered season's ends
    to the numbered seasons around it; among the unnumbered episodes when ``season`` is None): SQL in
    the driver's paramstyle, and its values."""
    sql = _sql(_neighbours_template(season is not None), paramstyle)
    return sql, _neighbours_values(series_id, season, title_id)


def activity_similar_sql(paramstyle: str, title_id: str, similar: int) -> Statement:
    """The members' activity flags of ``title_id`` (one row), then up to ``similar`` similar films."""
    return _sql(_ACTIVITY_SIMILAR, paramstyle), (title_id, title_id, title_id, title_id, similar + 1)


# SQLite: the activity and similar rows folded into one (``one_step``); the score is the one REAL.
_ACTIVITY_COLUMNS = (
    *("k", "rank", "title_id", "title", "year", "kind", "score", "reason"),
    *("rated", "reviewed", "commented"),
)
_ACTIVITY_REALS = (_ACTIVITY_COLUMNS.index("score"),)


@cache
def _folded_activity_similar() -> str:
    return folded_sql(_sql(_ACTIVITY_SIMILAR, "qmark"), _ACTIVITY_COLUMNS, _ACTIVITY_REALS)


# SQLite: an episode's neighbours as one JSON array, after its stored series id and season (the
# statement's values are the episode's own columns: ``me_e`` and ``me_t`` in ``_folded_page``).
_NEIGHBOUR_REALS = tuple(2 + i for i, column in enumerate(_NEIGHBOUR_COLUMNS) if column.endswith(".average"))


@cache
def _folded_neighbours(numbered: bool) -> str:
    row = json_row(["me_e.series_id", "me_e.season", *_NEIGHBOUR_COLUMNS], _NEIGHBOUR_REALS)
    template = _neighbours_template(numbered, "SELECT " + row + _NEIGHBOURS_FROM)
    values = _neighbours_values("me_e.series_id", "me_e.season" if numbered else None, "me_t.title_id")
    pieces = template.split("{p}")
    assert len(pieces) == len(values) + 1, "one column for each of the statement's values"
    return "".join(piece + value for piece, value in zip(pieces, values, strict=False)) + pieces[-1]


@cache
def _folded_page() -> str:
    """SQLite: the film's rows, its activity and similar rows and (an episode) its neighbours, each
    folded into one value, in one statement; its values: the title_id, ``activity_similar_sql``'s,
    the title_id again."""
    episode = (
        "(SELECT CASE WHEN me_e.title_key IS NULL THEN NULL"
        f" WHEN me_e.season IS NULL THEN ({_folded_neighbours(False)})"
        f" ELSE ({_folded_neighbours(True)}) END"
        " FROM titles me_t LEFT JOIN episodes me_e ON me_e.title_key = me_t.title_key"
        " WHERE me_t.title_id = ?)"
    )
    return f"SELECT ({FOLDED_FILM_SQL}), ({_folded_activity_similar()}), {episode}"


def _neighbour_rows(row: Sequence[Any]) -> NeighbourRows:
    """The series' title and the two neighbours from ``_NEIGHBOURS``' one row."""
    size = len(_EPISODE)
    return NeighbourRows(
        series_title=None if row[0] is None else str(row[0]),
        previous=_episode_row(tuple(row[1 : 1 + size])),
        next=_episode_row(tuple(row[1 + size :])),
    )


def _sqlite_page(
    cursor: Any, title_id: str, similar: int
) -> tuple[Film | None, Sequence[Sequence[Any]], NeighbourRows | None]:
    """``_read``'s film, activity and similar rows, and neighbours, in one statement and one step of
    sqlite3. The neighbours are those of the episode's stored place: when the film's rules refused
    it (``records.validate_stored``), the caller reads them for the place the film holds."""
    _sql_text, params = activity_similar_sql("qmark", title_id, similar)
    cursor.execute(_folded_page(), (title_id, *params, title_id))
    film_text, activity_text, episode_text = cursor.fetchone()
    film = film_of_folded(film_text)
    rows = unfolded(activity_text, _ACTIVITY_REALS)
    rows.sort(key=lambda row: (row[0], row[1]))  # as the statement orders them, whatever the fold did
    episode = unfolded_row(episode_text, _NEIGHBOUR_REALS)
    place = None if film is None else film.episode_of
    if episode is None or place is None or (place.series_id, place.season) != (episode[0], episode[1]):
        return film, rows, None
    return film, rows, _neighbour_rows(episode[2:])


def _neighbours(
    cursor: Any, paramstyle: str, series_id: str, season: int | None, title_id: str
) -> NeighbourRows:
    cursor.execute(*neighbours_sql(paramstyle, series_id, season, title_id))
    return _neighbour_rows(cursor.fetchone())


def _guide(cursor: Any, paramstyle: str, series_id: str) -> GuideRows:
    cursor.execute(_sql(_SEASON_COUNTS, paramstyle), (series_id,))
    counts = [(None if season is None else int(season), int(n)) for season, n in cursor.fetchall()]
    if not counts:
        return GuideRows([], [])
    first = counts[0][0]
    params = (series_id,) if first is None else (series_id, first)
    cursor.execute(_sql(_SEASON_OF[first is not None], paramstyle), params)
    return GuideRows(counts, [episode_row(values) for values in cursor.fetchall()])


def _read(
    cursor: Any, paramstyle: str, title_id: str, similar: int, series_kinds: Collection[str]
) -> FilmPageRows | None:
    neighbours: NeighbourRows | None = None
    if paramstyle == "qmark":  # sqlite3: one statement
        film, found, neighbours = _sqlite_page(cursor, title_id, similar)
    else:
        film = read_film(cursor, paramstyle, title_id)
        cursor.execute(*activity_similar_sql(paramstyle, title_id, similar))
        found = cursor.fetchall()
    if film is None:
        return None
    flags = found[0][8:]
    rows = [SimilarRow(r[2], r[3], r[4], r[5], r[6], r[7]) for r in found[1:]]
    place = film.episode_of
    if place is not None and neighbours is None:
        neighbours = _neighbours(cursor, paramstyle, place.series_id, place.season, film.id)
    guide = _guide(cursor, paramstyle, film.id) if film.kind in series_kinds else None
    return FilmPageRows(film, bool(flags[0]), bool(flags[1]), bool(flags[2]), rows, neighbours, guide)


def read_film_page(
    store: Store, title_id: str, similar: int, series_kinds: Collection[str] = ()
) -> FilmPageRows | None:
    """The film with this id and what its page shows beside it (up to ``similar`` similar films; the
    guide of a film whose kind is one of ``series_kinds``), or None when there is no such film."""
    engine = engine_of(store)
    with driver_cursor(engine) as cursor:
        return _read(cursor, engine.dialect.paramstyle, title_id, similar, series_kinds)
