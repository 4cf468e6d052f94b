"""Members' own exports in: IMDb ratings/watchlist CSVs and Letterboxd exports; and undo.

How a film named by an export is found:

* IMDb rows carry the IMDb id: the film is that id (``id``).
* Letterboxd rows carry only a name and a year. ``search_titles`` brings candidates; a
  candidate counts only if its normalised title (``formats.query.fold``) equals the name's and
  its year is the same (``exact``); then if an alternate or original title equals it (``alternate``);
  then either with the year one off (``year±1``). Several candidates in the first tier that has
  any: ``ambiguous`` (the most voted is used, the report lists them all). No fuzzy guess is
  ever used: nothing fit means ``added``.
* A film not in the store is added from what the export says about it (IMDb: title, year,
  type, genres, directors, runtime, IMDb rating; Letterboxd: name and year, with a slug id),
  so no rating is dropped.

Every import runs in one transaction and is logged in ``imports``; a dry run does all the work,
reports it, and rolls it back (only the log row stays, marked ``dry_run``). ``undo_import``
removes what an import added and restores what it changed.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection

from marquee.errors import InputError, NotFound
from marquee.formats.exports_csv import (
    ImdbRow,
    LetterboxdRow,
    decode_export,
    read_imdb_csv,
    read_letterboxd_csv,
    read_letterboxd_likes,
    read_letterboxd_list,
)
from marquee.formats.query import fold
from marquee.records import Film, PersonRef, Rating, ReleaseDate, Runtime
from marquee.records_library import FilmMatch, ImportKind, ImportReport, ImportRun, MatchHow
from marquee.services.accounts import aware, now, write_transaction
from marquee.services.library import DiaryIn, LibraryWriter, user_id_for
from marquee.slugs import film_slug
from marquee.storage import search_index
from marquee.storage.base import Store
from marquee.storage.community_schema import member_ratings, member_reviews, users
from marquee.storage.film_io import CHUNK, batched, delete_parts, refresh_index, write_films
from marquee.storage.library_schema import (
    diary_entries,
    import_changes,
    imports,
    likes,
    list_items,
    member_lists,
    watchlist,
)
from marquee.storage.schema import titles

__all__ = [
    "FilmMatcher",
    "add_missing_films",
    "exact_names_sql",
    "import_imdb_ratings",
    "import_letterboxd",
    "import_runs",
    "run_import",
    "undo_import",
]

_SKIPPED_FILES = {
    "comments.csv": "comments on others' reviews are not imported",
    "profile.csv": "the profile is not imported",
}


class _DryRun(Exception):
    """Raised at the end of a dry run's work to roll its transaction back."""


# ---- the import run ------------------------------------------------------------------------------


def run_import(
    store: Store,
    kind: ImportKind,
    source: str,
    user_name: str,
    work: Callable[[LibraryWriter], None],
    *,
    dry_run: bool = False,
    prepare: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Log an import, run ``work`` with a writer in one transaction, and record its report.

    ``prepare`` runs first, outside the transaction (matching films reads the search index).
    """
    report = ImportReport(kind=kind, source=source, user=user_name, dry_run=dry_run)
    if prepare is not None:
        prepare(report)

    def transaction(conn: Connection) -> ImportReport:
        fresh = report.model_copy()  # a retried transaction starts from the same report:
        fresh.changes = {}  # only the counts are written by the work
        uid = user_id_for(conn, user_name)
        import_id = _log_import(conn, uid, kind, source, dry_run)
        fresh.import_id = import_id
        writer = LibraryWriter(conn, uid, fresh, import_id)
        work(writer)
        writer.flush()
        if dry_run:
            raise _DryRun(fresh)
        conn.execute(update(imports).where(imports.c.id == import_id).values(summary=_summary(fresh)))
        return fresh

    try:
        return write_transaction(store, transaction)
    except _DryRun as rolled_back:
        done: ImportReport = rolled_back.args[0]

    def log(conn: Connection) -> int:
        return _log_import(conn, user_id_for(conn, user_name), kind, source, True, _summary(done))

    done.import_id = write_transaction(store, log)
    return done


def _log_import(
    conn: Connection, uid: int, kind: str, source: str, dry_run: bool, summary: str = "{}"
) -> int:
    return int(
        conn.execute(
            insert(imports)
            .values(user_id=uid, kind=kind, source=source, dry_run=dry_run, created_at=now(), summary=summary)
            .returning(imports.c.id)
        ).scalar_one()
    )


def _summary(report: ImportReport) -> str:
    data = report.model_dump(mode="json", include={"rows", "matched", "changes", "added_films"})
    return json.dumps(data, sort_keys=True)


def _add_films(writer: LibraryWriter, films: list[Film]) -> None:
    """Add films the store lacks (recorded, so undo can take them away again)."""
    if not films:
        return
    ids: list[int] = []
    for chunk in batched(films, CHUNK):
        ids += write_films(writer.conn, chunk, index=False)
    refresh_index(writer.conn, ids)
    counts = writer.report.change("titles")
    counts.added += len(films)
    if writer.import_id is not None:
        writer.conn.execute(
            insert(import_changes),
            [
                {
                    "import_id": writer.import_id,
                    "table_name": "titles",
                    "row_key": json.dumps({"tconst": f.id}),
                    "previous": None,
                }
                for f in films
            ],
        )


def add_missing_films(writer: LibraryWriter, films: list[Film]) -> None:
    """Add those of these films the store lacks (recorded for undo)."""
    present = _existing(writer.conn, (f.id for f in films))
    _add_films(writer, [f for f in films if f.id not in present])


def _existing(conn: Connection, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in batched(sorted(set(ids)), CHUNK):
        found |= set(conn.execute(select(titles.c.tconst).where(titles.c.tconst.in_(chunk))).scalars())
    return found


def _count(report: ImportReport, how: MatchHow) -> None:
    report.matched[how] = report.matched.get(how, 0) + 1


# ---- IMDb ----------------------------------------------------------------------------------------


def _imdb_film(row: ImdbRow) -> Film:
    """A film as an IMDb export describes it."""
    return Film(
        id=row.const,
        title=row.title,
        original_title=row.original_title if row.original_title != row.title else None,
        kind=row.kind,
        year=row.year,
        genres=list(row.genres),
        directors=[PersonRef(name=name) for name in row.directors],
        rating=Rating(value=row.imdb_rating, votes=row.votes) if row.imdb_rating is not None else None,
        runtimes=[Runtime(minutes=row.runtime)] if row.runtime else [],
        release_dates=[ReleaseDate(date=row.release_date.isoformat())] if row.release_date else [],
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None


def import_imdb_ratings(
    store: Store, path: str | Path, user_name: str, *, dry_run: bool = False
) -> ImportReport:
    """Import an IMDb ratings export (or watchlist export) for a member."""
    path = Path(path)
    export = read_imdb_csv(decode_export(_read_bytes(path)), str(path))
    kind: ImportKind = "imdb-watchlist" if export.kind == "watchlist" else "imdb-ratings"
    with store.engine.connect() as conn:
        user_id_for(conn, user_name)  # a missing member is an error before anything is read
        present = _existing(conn, (r.const for r in export.rows))

    def prepare(report: ImportReport) -> None:
        report.rows = len(export.rows)
        seen: set[str] = set()
        for row in export.rows:
            if row.const in seen:
                continue
            seen.add(row.const)
            if row.const in present:
                _count(report, "id")
            else:
                _count(report, "added")
                match = FilmMatch(
                    name=row.title, year=row.year, how="added", film_id=row.const, source=f"{path}:{row.line}"
                )
                report.not_found.append(match)
                report.added_films.append(row.const)

    def work(writer: LibraryWriter) -> None:
        added, seen = [], set()
        for row in export.rows:
            if row.const not in present and row.const not in seen:
                added.append(_imdb_film(row))
                seen.add(row.const)
        _add_films(writer, added)
        writer.set_ratings((r.const, r.rating, r.rated_on) for r in export.rows if r.rating is not None)
        if export.kind == "watchlist":
            for row in sorted(export.rows, key=lambda r: (r.position or 0, r.line)):
                writer.add_watchlist(row.const, row.created, row.description)

    return run_import(store, kind, str(path), user_name, work, dry_run=dry_run, prepare=prepare)


# ---- matching names and years --------------------------------------------------------------------


@dataclass
class _Decision:
    how: MatchHow
    film_id: str
    matched_title: str | None = None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Named:
    """A title whose folded name equals the asked one: through its primary title or another."""

    tconst: str
    year: int | None
    kind: str
    votes: int
    display: str
    primary: bool


def exact_names_sql(dialect: str) -> str:
    """Titles having a name (primary, original or alternate) equal to ``:name`` once folded and padded.

    ``LIKE`` without wildcards is an equality the trigram indexes answer (SQLite FTS5 trigram,
    PostgreSQL pg_trgm GIN); folded names hold only ``[0-9a-z ]``, so nothing needs escaping.
    """
    key = "((s.rowid >> 12) & 268435455)" if dialect == "sqlite" else "s.title_id"
    return (
        f"SELECT t.tconst, t.start_year, t.kind, COALESCE(r.votes, 0), s.display, s.source"
        f" FROM title_search s JOIN titles t ON t.id = {key}"
        " LEFT JOIN imdb_ratings r ON r.title_id = t.id WHERE s.name LIKE :name"
    )


class FilmMatcher:
    """Finds the store's film for a (name, year), the same answer for the same question."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[tuple[str, int | None], _Decision] = {}
        self.new_films: dict[str, Film] = {}

    def find_all(self, wanted: Iterable[tuple[str, int | None]]) -> None:
        """Decide every (name, year) on one connection."""
        sql = text(exact_names_sql(self.store.dialect))
        with self.store.engine.connect() as conn:
            for name, year in wanted:
                key = (fold(name), year)
                if key not in self._cache:
                    self._cache[key] = self._decide(conn, sql, name, year, key[0])

    def find(self, name: str, year: int | None) -> _Decision:
        """The decision for this name and year (cached)."""
        self.find_all([(name, year)])
        return self._cache[(fold(name), year)]

    def _named(self, conn: Connection, sql: Any, folded: str) -> list[_Named]:
        if not folded:
            return []
        rows = conn.execute(sql, {"name": f" {folded} "}).all()
        best: dict[str, _Named] = {}
        for tconst, year, kind, votes, display, source in rows:
            if kind == "tvEpisode":  # exports name films and series; an episode shares names with them
                continue
            named = _Named(tconst, year, kind, int(votes), display, source == "primary")
            if tconst not in best or (named.primary and not best[tconst].primary):
                best[tconst] = named
        # Most voted first, then by id: the same order on both backends.
        return sorted(best.values(), key=lambda n: (-n.votes, n.tconst))

    def _decide(self, conn: Connection, sql: Any, name: str, year: int | None, folded: str) -> _Decision:
        named = self._named(conn, sql, folded)

        def same_year(n: _Named) -> bool:
            return year is None or n.year == year

        def near_year(n: _Named) -> bool:
            return year is not None and n.year is not None and abs(n.year - year) == 1

        tiers: list[tuple[MatchHow, list[_Named]]] = [
            ("exact", [n for n in named if n.primary and same_year(n)]),
            ("alternate", [n for n in named if not n.primary and same_year(n)]),
            ("year±1", [n for n in named if near_year(n)]),
        ]
        for how, fits in tiers:
            if fits:
                best = fits[0]
                via = None if best.primary else best.display
                if len(fits) > 1:
                    return _Decision("ambiguous", best.tconst, via, tuple(n.tconst for n in fits))
                return _Decision(how, best.tconst, via)
        slug = film_slug(name, year)
        if slug not in self.new_films:
            self.new_films[slug] = Film(id=slug, title=name, year=year)
        return _Decision("added", slug)


# ---- Letterboxd ----------------------------------------------------------------------------------


@dataclass
class _LetterboxdExport:
    """The files of a Letterboxd export, parsed."""

    source: str
    files: dict[str, list[LetterboxdRow]]
    liked_uris: dict[str, list[tuple[int, dt.date | None, str]]]
    lists: list[Any]
    skipped: list[str]

    @property
    def rows(self) -> int:
        return (
            sum(len(r) for r in self.files.values())
            + sum(len(x) for x in self.liked_uris.values())
            + sum(len(lst.items) for lst in self.lists)
        )


def _export_files(location: Path) -> dict[str, bytes]:
    """Relative name -> bytes of every CSV in an export folder or zip (a single top folder is dropped)."""
    if location.is_dir():
        found = {p.relative_to(location).as_posix(): p for p in location.rglob("*.csv")}
        return {name: _read_bytes(path) for name, path in found.items()}
    try:
        with zipfile.ZipFile(location) as archive:
            members = {i.filename: archive.read(i) for i in archive.infolist() if i.filename.endswith(".csv")}
    except FileNotFoundError:
        raise InputError(f"{location}: no such file or folder") from None
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(f"{location}: not a Letterboxd export folder or zip ({err})") from None
    tops = {PurePosixPath(n).parts[0] for n in members}
    if len(tops) == 1 and all(len(PurePosixPath(n).parts) > 1 for n in members):
        members = {PurePosixPath(*PurePosixPath(n).parts[1:]).as_posix(): b for n, b in members.items()}
    return members


_FILM_FILES = ("diary.csv", "ratings.csv", "reviews.csv", "watched.csv", "watchlist.csv", "likes/films.csv")


def _read_letterboxd(location: Path) -> _LetterboxdExport:
    files = _export_files(location)
    if not files:
        raise InputError(f"{location}: no CSV files: not a Letterboxd export")
    known = set(_FILM_FILES) | {"likes/lists.csv", "likes/reviews.csv"}
    if not known & set(files) and not any(n.startswith("lists/") for n in files):
        raise InputError(f"{location}: none of {', '.join(_FILM_FILES)}: not a Letterboxd export")
    export = _LetterboxdExport(str(location), {}, {}, [], [])
    for name in sorted(files):
        where = f"{location}/{name}"
        text = decode_export(files[name])
        if name in _FILM_FILES:
            export.files[name] = read_letterboxd_csv(text, where)
        elif name in ("likes/lists.csv", "likes/reviews.csv"):
            export.liked_uris[name] = read_letterboxd_likes(text, where)
        elif name.startswith("lists/"):
            export.lists.append(read_letterboxd_list(text, where))
        elif name.split("/")[0] in ("deleted", "orphaned"):
            count = len(read_letterboxd_csv(text, where)) if text.count("\n") > 1 else 0
            if count:
                export.skipped.append(f"{where}: {count} deleted or orphaned entries are not imported")
        else:
            export.skipped.append(f"{where}: {_SKIPPED_FILES.get(name, 'not a file Marquee imports')}")
    return export


def _match_all(
    matcher: FilmMatcher, export: _LetterboxdExport, report: ImportReport
) -> dict[tuple[str, int | None], str]:
    """Match every film the export names; fill the report's match lists. (fold(name), year) -> film id."""
    rows = [r for rows in export.files.values() for r in rows] + [
        i for lst in export.lists for i in lst.items
    ]
    matcher.find_all((r.name, r.year) for r in rows)
    out: dict[tuple[str, int | None], str] = {}
    for row in rows:
        key = (fold(row.name), row.year)
        if key in out:
            continue
        decision = matcher.find(row.name, row.year)
        out[key] = decision.film_id
        _count(report, decision.how)
        match = FilmMatch(
            name=row.name,
            year=row.year,
            how=decision.how,
            film_id=decision.film_id,
            matched_title=decision.matched_title,
            candidates=list(decision.candidates),
            source=row.where,
        )
        if decision.how == "ambiguous":
            report.ambiguous.append(match)
        elif decision.how in ("alternate", "year±1"):
            report.fuzzy.append(match)
        elif decision.how == "added":
            report.not_found.append(match)
    return out


def _letterboxd_work(
    export: _LetterboxdExport, films: dict[tuple[str, int | None], str], new_films: list[Film]
) -> Callable[[LibraryWriter], None]:
    def film(row: LetterboxdRow) -> str:
        return films[(fold(row.name), row.year)]

    def work(writer: LibraryWriter) -> None:
        add_missing_films(writer, new_films)
        get = export.files.get
        rating_rows = get("ratings.csv", [])
        if not rating_rows:  # no ratings file: a film's latest rated viewing gives its rating
            rating_rows = sorted(
                (r for r in get("diary.csv", []) if r.rating), key=lambda r: r.date or dt.date.min
            )
        writer.set_ratings((film(r), r.rating, r.date) for r in rating_rows if r.rating is not None)
        _write_reviews_and_diary(writer, get("diary.csv", []), get("reviews.csv", []), film)
        for row in get("watched.csv", []):  # films marked watched: a viewing without a date, unless logged
            if writer.has_viewing(film(row)):
                writer.report.change("diary_entries").unchanged += 1
            else:
                writer.add_diary(DiaryIn(film(row), None, False, row.uri, row.date))
        for row in get("watchlist.csv", []):
            writer.add_watchlist(film(row), row.date)
        for row in get("likes/films.csv", []):
            writer.add_like("film", film(row), row.date)
        for name, kind in (("likes/lists.csv", "list"), ("likes/reviews.csv", "review")):
            for _line, day, uri in export.liked_uris.get(name, []):
                writer.add_like(kind, uri, day)
        for lst in export.lists:
            items = [
                (film(i), i.description) for i in sorted(lst.items, key=lambda i: (i.position or 0, i.line))
            ]
            slug = lst.uri.rsplit("/", 1)[-1] if lst.uri else None
            writer.set_list(
                lst.name.strip(),
                items,
                description=lst.description,
                tags=lst.tags,
                created_on=lst.date,
                source_uri=lst.uri,
                slug=f"letterboxd-{slug}" if slug else None,
            )

    return work


def _write_reviews_and_diary(
    writer: LibraryWriter,
    diary_rows: list[LetterboxdRow],
    review_rows: list[LetterboxdRow],
    film: Callable[[LetterboxdRow], str],
) -> None:
    """Reviews become the member's review of the film (the latest one) and the text of their viewing."""
    latest: dict[str, LetterboxdRow] = {}
    for row in sorted(review_rows, key=lambda r: (r.date or dt.date.min, r.line)):
        latest[film(row)] = row
    review_ids: dict[str, int] = {}
    for tconst, row in sorted(latest.items()):
        score = None if row.rating is None else (float(row.rating), 10)
        review_ids[tconst] = writer.set_review(tconst, row.name, row.review or "", score, _midnight(row.date))
    by_uri = {r.uri: r for r in review_rows if r.uri}
    uris = set()
    for row in diary_rows:
        review = by_uri.get(row.uri)
        uris.add(row.uri)
        writer.add_diary(_diary_in(row, film(row), review, review_ids, latest))
    for row in review_rows:  # a review logged with a date but missing from diary.csv is a viewing too
        if row.uri not in uris and row.watched_on is not None:
            writer.add_diary(_diary_in(row, film(row), row, review_ids, latest))


def _diary_in(
    row: LetterboxdRow,
    tconst: str,
    review: LetterboxdRow | None,
    review_ids: dict[str, int],
    latest: dict[str, LetterboxdRow],
) -> DiaryIn:
    linked = review_ids.get(tconst) if review is not None and latest.get(tconst) is review else None
    return DiaryIn(
        tconst=tconst,
        watched_on=row.watched_on or row.date,
        rewatch=row.rewatch,
        source_uri=row.uri,
        logged_on=row.date,
        rating=row.rating,
        review=review.review if review is not None else None,
        tags=row.tags,
        review_id=linked,
    )


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def import_letterboxd(
    store: Store, zip_or_dir: str | Path, user_name: str, *, dry_run: bool = False
) -> ImportReport:
    """Import a Letterboxd export (zip or unpacked folder) for a member."""
    location = Path(zip_or_dir)
    export = _read_letterboxd(location)
    with store.engine.connect() as conn:
        user_id_for(conn, user_name)
    matcher = FilmMatcher(store)
    films: dict[tuple[str, int | None], str] = {}

    def prepare(report: ImportReport) -> None:
        report.rows = export.rows
        report.skipped += export.skipped
        films.update(_match_all(matcher, export, report))
        report.added_films = sorted(matcher.new_films)

    def work(writer: LibraryWriter) -> None:
        _letterboxd_work(export, films, list(matcher.new_films.values()))(writer)

    return run_import(store, "letterboxd", str(location), user_name, work, dry_run=dry_run, prepare=prepare)


# ---- undo ----------------------------------------------------------------------------------------


def _restore(conn: Connection, table: str, key: dict[str, Any], previous: Any, report: ImportReport) -> None:
    """Put one changed row back as it was before the import (delete it if it did not exist)."""
    counts = report.change(table)
    if table == "member_ratings":
        where = (member_ratings.c.user_id == key["user_id"], member_ratings.c.tconst == key["tconst"])
        if previous is None:
            counts.removed += conn.execute(delete(member_ratings).where(*where)).rowcount
        else:
            conn.execute(
                update(member_ratings)
                .where(*where)
                .values(score=previous["score"], updated_at=dt.datetime.fromisoformat(previous["updated_at"]))
            )
            counts.updated += 1
    elif table == "member_reviews":
        where = (member_reviews.c.user_id == key["user_id"], member_reviews.c.tconst == key["tconst"])
        if previous is None:
            ids = list(conn.execute(select(member_reviews.c.id).where(*where)).scalars())
            conn.execute(
                update(diary_entries).where(diary_entries.c.review_id.in_(ids)).values(review_id=None)
            )
            counts.removed += conn.execute(delete(member_reviews).where(*where)).rowcount
        else:
            conn.execute(update(member_reviews).where(*where).values(**previous))
            counts.updated += 1
    elif table == "diary_entries":
        conn.execute(
            update(diary_entries).where(diary_entries.c.id == key["id"]).values(**_diary_values(previous))
        )
        counts.updated += 1
    elif table == "list_items":
        conn.execute(delete(list_items).where(list_items.c.list_id == key["list_id"]))
        if previous:
            conn.execute(
                insert(list_items),
                [
                    {"list_id": key["list_id"], "position": n, "tconst": t, "note": note, "import_id": None}
                    for n, (t, note) in enumerate(previous, 1)
                ],
            )
        counts.updated += 1


def _diary_values(previous: dict[str, Any]) -> dict[str, Any]:
    values = dict(previous)
    if values.get("logged_on"):
        values["logged_on"] = dt.date.fromisoformat(values["logged_on"])
    return values


def _unreferenced(conn: Connection, film_ids: list[str]) -> list[str]:
    """Those of these films no member's data names any more."""
    named: set[str] = set()
    for chunk in batched(sorted(set(film_ids)), CHUNK):
        for column in (
            member_ratings.c.tconst,
            member_reviews.c.tconst,
            diary_entries.c.tconst,
            watchlist.c.tconst,
            list_items.c.tconst,
        ):
            named |= set(conn.execute(select(column).where(column.in_(chunk)).distinct()).scalars())
        liked = select(likes.c.target).where(likes.c.kind == "film", likes.c.target.in_(chunk))
        named |= set(conn.execute(liked).scalars())
    return [f for f in film_ids if f not in named]


def _remove_films(conn: Connection, film_ids: list[str], report: ImportReport) -> None:
    """Delete films an import added, unless some member's data names them now."""
    counts = report.change("titles")
    free = _unreferenced(conn, film_ids)
    counts.unchanged += len(film_ids) - len(free)
    title_ids: list[int] = []
    for chunk in batched(free, CHUNK):
        title_ids += conn.execute(select(titles.c.id).where(titles.c.tconst.in_(chunk))).scalars()
    for chunk_ids in batched(title_ids, CHUNK):
        delete_parts(conn, chunk_ids)
        conn.execute(delete(titles).where(titles.c.id.in_(chunk_ids)))
        search_index.refresh_titles(conn, chunk_ids)  # drops the deleted titles from the index
    counts.removed += len(title_ids)


def undo_import(store: Store, import_id: int) -> ImportReport:
    """Undo an import as a whole: its rows go, the rows it changed get their previous values back."""

    def work(conn: Connection) -> ImportReport:
        run = conn.execute(
            select(imports, users.c.name.label("user_name"))
            .join(users, users.c.id == imports.c.user_id)
            .where(imports.c.id == import_id)
        ).first()
        if run is None:
            raise NotFound(f"no import with id {import_id}")
        if run.dry_run:
            raise InputError(f"import {import_id} was a dry run: there is nothing to undo")
        if run.undone_at is not None:
            raise InputError(f"import {import_id} was already undone at {aware(run.undone_at).isoformat()}")
        report = ImportReport(
            import_id=import_id, kind=run.kind, source=run.source, user=run.user_name, undone=True
        )
        changes = conn.execute(
            select(import_changes)
            .where(import_changes.c.import_id == import_id)
            .order_by(import_changes.c.id.desc())
        ).all()
        films: list[str] = []
        new_ratings: list[str] = []
        for change in changes:
            key = json.loads(change.row_key)
            previous = None if change.previous is None else json.loads(change.previous)
            if change.table_name == "titles":
                films.append(key["tconst"])
            elif change.table_name == "member_ratings" and previous is None:
                new_ratings.append(key["tconst"])  # deleted together below: one statement per chunk
            else:
                _restore(conn, change.table_name, key, previous, report)
        for chunk in batched(new_ratings, CHUNK):
            report.change("member_ratings").removed += conn.execute(
                delete(member_ratings).where(
                    member_ratings.c.user_id == run.user_id, member_ratings.c.tconst.in_(chunk)
                )
            ).rowcount
        for table in (list_items, diary_entries, watchlist, likes, member_lists):
            removed = conn.execute(delete(table).where(table.c.import_id == import_id)).rowcount
            report.change(table.name).removed += removed
        _remove_films(conn, films, report)
        conn.execute(update(imports).where(imports.c.id == import_id).values(undone_at=now()))
        return report

    return write_transaction(store, work)


def import_runs(store: Store, user_name: str | None = None) -> list[ImportRun]:
    """The import log, newest first (of one member, if named)."""
    query = select(imports, users.c.name.label("user_name")).join(users, users.c.id == imports.c.user_id)
    with store.engine.connect() as conn:
        if user_name is not None:
            query = query.where(imports.c.user_id == user_id_for(conn, user_name))
        rows = conn.execute(query.order_by(imports.c.id.desc())).all()
    return [
        ImportRun(
            id=r.id,
            user=r.user_name,
            kind=r.kind,
            source=r.source,
            dry_run=bool(r.dry_run),
            created_at=aware(r.created_at),
            undone_at=aware(r.undone_at) if r.undone_at else None,
            summary=json.loads(r.summary or "{}"),
        )
        for r in rows
    ]
