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

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from marquee.errors import InputError, NotFound
from marquee.formats.exports_csv import (
    LIST_MARKER,
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
from marquee.services.export_files import ExportFile, is_zip, read_bounded, read_folder, read_zip
from marquee.services.library import DiaryIn, LibraryWriter, user_id_for
from marquee.slugs import film_slug
from marquee.storage import member_rows
from marquee.storage.base import Store
from marquee.storage.film_io import CHUNK, batched, refresh_index, write_films
from marquee.storage.member_rows import Conn

__all__ = [
    "FilmMatcher",
    "Wanted",
    "add_missing_films",
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

    def transaction(conn: Conn) -> ImportReport:
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
        member_rows.set_import_summary(conn, import_id, _summary(fresh))
        return fresh

    try:
        return write_transaction(store, transaction)
    except _DryRun as rolled_back:
        done: ImportReport = rolled_back.args[0]

    def log(conn: Conn) -> int:
        return _log_import(conn, user_id_for(conn, user_name), kind, source, True, _summary(done))

    done.import_id = write_transaction(store, log)
    return done


def _log_import(conn: Conn, uid: int, kind: str, source: str, dry_run: bool, summary: str = "{}") -> int:
    return member_rows.log_import(conn, uid, kind, source, dry_run, now(), summary)


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
        member_rows.record_added_films(writer.conn, writer.import_id, [f.id for f in films])


def add_missing_films(writer: LibraryWriter, films: list[Film]) -> None:
    """Add those of these films the store lacks (recorded for undo)."""
    present = _existing(writer.conn, (f.id for f in films))
    _add_films(writer, [f for f in films if f.id not in present])


def _existing(conn: Conn, ids: Iterable[str]) -> set[str]:
    return member_rows.existing_films(conn, ids)


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
        release_dates=[ReleaseDate(date=row.release_date)] if row.release_date else [],
    )


def import_imdb_ratings(
    store: Store, path: str | Path, user_name: str, *, dry_run: bool = False
) -> ImportReport:
    """Import an IMDb ratings export (or watchlist export) for a member."""
    path = Path(path)
    export = read_imdb_csv(decode_export(read_bounded(path), str(path)), str(path))
    kind: ImportKind = "imdb-watchlist" if export.kind == "watchlist" else "imdb-ratings"
    with member_rows.reading(store) as conn:
        user_id_for(conn, user_name)  # a missing member is an error before anything is read
        present = _existing(conn, (r.const for r in export.rows))

    def prepare(report: ImportReport) -> None:
        report.rows = len(export.rows)
        report.notes += [
            f"{where}: {column} {value!r} (no known English name)"
            for (column, value), where in export.unmapped.items()
        ]
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


@dataclass(frozen=True)
class Wanted:
    """What an export says about a film: its name and year, and where it gives them, ids and directors."""

    name: str
    year: int | None
    imdb_id: str | None = None
    directors: tuple[str, ...] = ()

    def key(self) -> tuple[str, int | None, str, tuple[str, ...]]:
        """The cache key: the same film asked the same way gets the same answer."""
        return (
            fold(self.name),
            self.year,
            self.imdb_id or "",
            tuple(sorted(fold(d) for d in self.directors)),
        )


_ARTICLES = ("the ", "a ", "an ")
# Where a series prefix or a subtitle starts: "Star Wars: Episode VI - Return of the Jedi".
_SEPARATOR = re.compile(r"\s*:\s+|\s+[-–—]+\s+|\s*[:–—]\s*")
# Subtitles too common to name one film: "Part 1", "Vol. 2", "Chapter Two".
_GENERIC = re.compile(r"^(part|vol|volume|chapter|episode|book|season|the movie|movie|film)( \w+)?$")


def _core(folded: str) -> str:
    """A folded title without its leading English article: "the matrix" -> "matrix"."""
    for article in _ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            return folded[len(article) :]
    return folded


def _subtitles(display: str) -> list[str]:
    """Cores of the parts after each separator, long and specific enough to name a film alone."""
    parts = [p for p in _SEPARATOR.split(display) if p.strip()]
    out = []
    for start in range(1, len(parts)):
        core = _core(fold(" ".join(parts[start:])))
        if len(core.split()) >= 2 and not _GENERIC.match(core):
            out.append(core)
    return out


def _same_film_name(asked: str, display: str) -> bool:
    """Names equal once articles, a series prefix or a subtitle are set aside (never two subtitles)."""
    a, d = _core(fold(asked)), _core(fold(display))
    return bool(a) and (a == d or a in _subtitles(display) or d in _subtitles(asked))


def _directors_of(conn: Conn, tconsts: list[str]) -> dict[str, set[str]]:
    """Folded directors' names of these films (films without any are left out)."""
    return {
        tconst: {fold(name) for name in names}
        for tconst, names in member_rows.film_directors(conn, tconsts).items()
    }


class FilmMatcher:
    """Finds the store's film for what an export names, the same answer for the same question.

    In order: the export's IMDb id; the name and year exactly (primary title, then alternate
    titles); the year one off; then *normalised* names (a leading "The"/"A"/"An", a series prefix
    such as "Star Wars: Episode VI - ", a subtitle) with the year equal or one off. Where the export
    and the store both name directors, a film whose directors share none with the export's does
    not fit. Nothing fit: a film is added (under the export's IMDb id if it gives one).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[tuple[str, int | None, str, tuple[str, ...]], _Decision] = {}
        self.new_films: dict[str, Film] = {}

    def find_all(self, wanted: Iterable[Wanted | tuple[str, int | None]]) -> None:
        """Decide every film asked for, on one connection."""
        with member_rows.reading(self.store) as conn:
            for item in wanted:
                ask = item if isinstance(item, Wanted) else Wanted(*item)
                key = ask.key()
                if key not in self._cache:
                    self._cache[key] = self._decide(conn, ask)

    def find(self, name: str | Wanted, year: int | None = None) -> _Decision:
        """The decision for this film (cached)."""
        ask = name if isinstance(name, Wanted) else Wanted(name, year)
        self.find_all([ask])
        return self._cache[ask.key()]

    def _named(self, conn: Conn, patterns: Iterable[str]) -> list[_Named]:
        best: dict[str, _Named] = {}
        for pattern in dict.fromkeys(patterns):
            if not pattern.strip(" %"):
                continue
            for tconst, year, kind, votes, display, source in member_rows.titles_named(conn, pattern):
                if kind == "tvEpisode":  # exports name films and series; an episode shares names with them
                    continue
                named = _Named(tconst, year, kind, int(votes), display, source == "primary")
                if tconst not in best or (named.primary and not best[tconst].primary):
                    best[tconst] = named
        # Most voted first, then by id: the same order on both backends.
        return sorted(best.values(), key=lambda n: (-n.votes, n.tconst))

    def _decide(self, conn: Conn, ask: Wanted) -> _Decision:
        name, year, folded = ask.name, ask.year, fold(ask.name)
        if ask.imdb_id and _existing(conn, [ask.imdb_id]):
            return _Decision("id", ask.imdb_id)
        named = self._named(conn, [f" {folded} "]) if folded else []
        named = self._fitting(conn, ask, named)

        def same_year(n: _Named) -> bool:
            return year is None or n.year == year

        def near_year(n: _Named) -> bool:
            return year is not None and n.year is not None and abs(n.year - year) == 1

        tiers: list[tuple[MatchHow, list[_Named]]] = [
            ("exact", [n for n in named if n.primary and same_year(n)]),
            ("alternate", [n for n in named if not n.primary and same_year(n)]),
            ("year±1", [n for n in named if near_year(n)]),
        ]
        decision = self._first_tier(tiers)
        if decision is None and year is not None and folded:
            decision = self._first_tier([("normalised", self._normalised(conn, ask))])
        if decision is not None:
            return decision
        film_id = ask.imdb_id or film_slug(name, year)
        if film_id not in self.new_films:
            self.new_films[film_id] = Film(id=film_id, title=name, year=year)
        return _Decision("added", film_id)

    @staticmethod
    def _first_tier(tiers: list[tuple[MatchHow, list[_Named]]]) -> _Decision | None:
        for how, fits in tiers:
            if fits:
                best = fits[0]
                via = None if best.primary and how != "normalised" else best.display
                if len(fits) > 1:
                    return _Decision("ambiguous", best.tconst, via, tuple(n.tconst for n in fits))
                return _Decision(how, best.tconst, via)
        return None

    def _fitting(self, conn: Conn, ask: Wanted, named: list[_Named]) -> list[_Named]:
        """Drop candidates the export's IMDb id or directors rule out."""
        if ask.imdb_id:  # another IMDb id is another film; a stub (slug id) may still be it
            named = [n for n in named if not n.tconst.startswith("tt")]
        if ask.directors and named:
            wanted = {fold(d) for d in ask.directors}
            known = _directors_of(conn, [n.tconst for n in named])
            named = [n for n in named if n.tconst not in known or known[n.tconst] & wanted]
        return named

    def _normalised(self, conn: Conn, ask: Wanted) -> list[_Named]:
        """Films whose name matches once articles, series prefixes and subtitles are set aside."""
        assert ask.year is not None
        core = _core(fold(ask.name))
        cores = [core, *_subtitles(ask.name)]
        patterns = [f" {article}{c} " for c in cores for article in ("", *_ARTICLES)]
        if len(core.split()) >= 2:
            patterns.append(f"% {core} ")  # the store's name may carry a prefix the export's lacks
        named = self._fitting(conn, ask, self._named(conn, patterns))
        return [
            n
            for n in named
            if n.year is not None and abs(n.year - ask.year) <= 1 and _same_film_name(ask.name, n.display)
        ]


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

    def get(self, name: str) -> list[LetterboxdRow]:
        """Rows of one kind of file: the export's own, then those of its ``orphaned/`` copy."""
        return self.files.get(name, []) + self.files.get(f"orphaned/{name}", [])


_FILM_FILES = ("diary.csv", "ratings.csv", "reviews.csv", "watched.csv", "watchlist.csv", "likes/films.csv")
_LIKE_FILES = ("likes/lists.csv", "likes/reviews.csv")
_FOLDERS = ("deleted", "orphaned", "likes", "lists")
_SINGLE = "import.csv"  # a lone CSV in Letterboxd's import format (Marquee's own export among them)


def _drop_top_folder(files: list[ExportFile]) -> list[ExportFile]:
    """Files under one folder (``letterboxd-ann-2024-…/diary.csv``) named as if it were the root."""
    parts = [PurePosixPath(f.name).parts for f in files]
    tops = {p[0] for p in parts}
    if len(tops) != 1 or any(len(p) < 2 for p in parts) or next(iter(tops)) in _FOLDERS:
        return files
    return [
        ExportFile(PurePosixPath(*PurePosixPath(f.name).parts[1:]).as_posix(), f.where, f.data) for f in files
    ]


def _export_files(location: Path) -> list[ExportFile]:
    """Every CSV of an export folder or zip, or the one CSV given (named ``import.csv``)."""
    if location.is_dir():
        return _drop_top_folder(read_folder(location))
    if not location.exists():
        raise InputError(f"{location}: no such file or folder")
    if is_zip(location):
        return _drop_top_folder(read_zip(location))
    data = read_bounded(location)
    head = data[:4096]
    if b"," not in head and b"\x00," not in head and b",\x00" not in head:
        raise InputError(f"{location}: not a Letterboxd export (a zip, its folder, or a CSV file)")
    name = location.name if location.name in _FILM_FILES else _SINGLE
    return [ExportFile(name, str(location), data)]


def _deleted_rows(file: ExportFile) -> str:
    """How many entries a ``deleted/`` file holds, read leniently: it is reported, never imported."""
    try:
        text = decode_export(file.data, file.where)
        if LIST_MARKER.match(text.lstrip("\ufeff\r\n \t")):
            return "a list the member deleted"
        records = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except (InputError, csv.Error):
        return "a file that could not be read"
    count = max(len(records) - 1, 0)
    return f"{count} {'entry' if count == 1 else 'entries'} the member deleted"


def _read_letterboxd(location: Path) -> _LetterboxdExport:
    files = _export_files(location)
    if not files:
        raise InputError(f"{location}: no CSV files: not a Letterboxd export")
    names = {f.name for f in files}
    known = set(_FILM_FILES) | set(_LIKE_FILES) | {_SINGLE}
    if not known & names and not any(n.startswith(("lists/", "orphaned/")) for n in names):
        raise InputError(f"{location}: none of {', '.join(_FILM_FILES)}: not a Letterboxd export")
    export = _LetterboxdExport(str(location), {}, {}, [], [])
    for file in sorted(files, key=lambda f: f.name):
        name, where = file.name, file.where
        top = name.split("/")[0] if "/" in name else ""
        if top == "deleted":  # what the member deleted on Letterboxd stays deleted
            export.skipped.append(f"{where}: {_deleted_rows(file)}: not imported")
            continue
        text = decode_export(file.data, where)
        if not text.strip():
            export.skipped.append(f"{where}: empty file")
            continue
        inner = name.removeprefix("orphaned/")
        if name in _FILM_FILES or name == _SINGLE:
            export.files[name] = read_letterboxd_csv(text, where)
        elif top == "orphaned" and inner in _FILM_FILES:
            # Entries whose film Letterboxd no longer has: the member's own data, imported where named.
            nameless: list[str] = []
            export.files[name] = read_letterboxd_csv(text, where, nameless=nameless)
            export.skipped += [f"{w}: an orphaned entry without a film name: not imported" for w in nameless]
        elif name in _LIKE_FILES:
            export.liked_uris[name] = read_letterboxd_likes(text, where)
        elif top == "lists" or (top == "orphaned" and inner.startswith("lists/")):
            export.lists.append(read_letterboxd_list(text, where))
        else:
            export.skipped.append(f"{where}: {_SKIPPED_FILES.get(name, 'not a file Marquee imports')}")
    return export


def _wanted(row: LetterboxdRow) -> Wanted:
    return Wanted(row.name, row.year, row.imdb_id, row.directors)


def _match_all(
    matcher: FilmMatcher, export: _LetterboxdExport, report: ImportReport
) -> dict[tuple[str, int | None, str, tuple[str, ...]], str]:
    """Match every film the export names; fill the report's match lists. Wanted.key() -> film id."""
    rows = [r for rows in export.files.values() for r in rows] + [
        i for lst in export.lists for i in lst.items
    ]
    matcher.find_all(_wanted(r) for r in rows)
    out: dict[tuple[str, int | None, str, tuple[str, ...]], str] = {}
    for row in rows:
        ask = _wanted(row)
        key = ask.key()
        if key in out:
            continue
        decision = matcher.find(ask)
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
        elif decision.how in ("alternate", "year±1", "normalised"):
            report.fuzzy.append(match)
        elif decision.how == "added":
            report.not_found.append(match)
    return out


def _latest_ratings(
    rows: Iterable[LetterboxdRow], film: Callable[[LetterboxdRow], str]
) -> list[tuple[str, int, dt.date | None]]:
    """One rating per film: the last of the rows that give one (rows come oldest first)."""
    latest: dict[str, tuple[int, dt.date | None]] = {}
    for row in rows:
        if row.rating is not None:
            latest[film(row)] = (row.rating, row.date or row.watched_on)
    return [(tconst, score, day) for tconst, (score, day) in latest.items()]


def _write_single_csv(
    writer: LibraryWriter, rows: list[LetterboxdRow], film: Callable[[LetterboxdRow], str]
) -> None:
    """A CSV in Letterboxd's import format: a row with a date is a viewing, one without a rating or review."""
    ordered = sorted(rows, key=lambda r: (r.watched_on or r.date or dt.date.min, r.line))
    writer.set_ratings(_latest_ratings(ordered, film))
    for row in ordered:
        day = row.watched_on or row.date
        if day is not None:
            writer.add_diary(
                DiaryIn(film(row), day, row.rewatch, row.uri, None, row.rating, row.review, row.tags)
            )
        elif row.review is not None:
            score = None if row.rating is None else (float(row.rating), 10)
            writer.set_review(film(row), row.name, row.review, score, None)


def _letterboxd_work(
    export: _LetterboxdExport,
    films: dict[tuple[str, int | None, str, tuple[str, ...]], str],
    new_films: list[Film],
) -> Callable[[LibraryWriter], None]:
    def film(row: LetterboxdRow) -> str:
        return films[_wanted(row).key()]

    def work(writer: LibraryWriter) -> None:
        add_missing_films(writer, new_films)
        get = export.get
        _write_single_csv(writer, export.files.get(_SINGLE, []), film)
        rating_rows = get("ratings.csv")
        if not rating_rows:  # no ratings file: a film's latest rated viewing gives its rating
            rating_rows = sorted(
                (r for r in get("diary.csv") if r.rating), key=lambda r: r.date or dt.date.min
            )
        writer.set_ratings(_latest_ratings(rating_rows, film))
        _write_reviews_and_diary(writer, get("diary.csv"), get("reviews.csv"), film)
        for row in get("watched.csv"):  # films marked watched: a viewing without a date, unless logged
            if writer.has_viewing(film(row)):
                writer.report.change("diary_entries").unchanged += 1
            else:
                writer.add_diary(DiaryIn(film(row), None, False, row.uri, row.date))
        for row in get("watchlist.csv"):
            writer.add_watchlist(film(row), row.date)
        for row in get("likes/films.csv"):
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
    """Import a Letterboxd export (zip, unpacked folder, or one CSV in its import format) for a member.

    ``deleted/`` (what the member deleted on Letterboxd) is reported and not imported; ``orphaned/``
    (the member's entries for films Letterboxd no longer lists) is imported like the rest, its rows
    without a film name reported and skipped; files Marquee does not import are reported.
    """
    location = Path(zip_or_dir)
    export = _read_letterboxd(location)
    with member_rows.reading(store) as conn:
        user_id_for(conn, user_name)
    matcher = FilmMatcher(store)
    films: dict[tuple[str, int | None, str, tuple[str, ...]], str] = {}

    def prepare(report: ImportReport) -> None:
        report.rows = export.rows
        report.skipped += export.skipped
        films.update(_match_all(matcher, export, report))
        report.added_films = sorted(matcher.new_films)

    def work(writer: LibraryWriter) -> None:
        _letterboxd_work(export, films, list(matcher.new_films.values()))(writer)

    return run_import(store, "letterboxd", str(location), user_name, work, dry_run=dry_run, prepare=prepare)


# ---- undo ----------------------------------------------------------------------------------------


def _restore(conn: Conn, table: str, key: dict[str, Any], previous: Any, report: ImportReport) -> None:
    """Put one changed row back as it was before the import (delete it if it did not exist)."""
    counts = report.change(table)
    removed, updated = member_rows.restore(conn, table, key, previous)
    counts.removed += removed
    counts.updated += updated


def _remove_films(conn: Conn, film_ids: list[str], report: ImportReport) -> None:
    """Delete films an import added, unless some member's data names them now."""
    counts = report.change("titles")
    kept, removed = member_rows.remove_unreferenced_films(conn, film_ids)
    counts.unchanged += kept
    counts.removed += removed


def undo_import(store: Store, import_id: int) -> ImportReport:
    """Undo an import as a whole: its rows go, the rows it changed get their previous values back."""

    def work(conn: Conn) -> ImportReport:
        run = member_rows.import_run(conn, import_id)
        if run is None:
            raise NotFound(f"no import with id {import_id}")
        if run.dry_run:
            raise InputError(f"import {import_id} was a dry run: there is nothing to undo")
        if run.undone_at is not None:
            raise InputError(f"import {import_id} was already undone at {aware(run.undone_at).isoformat()}")
        report = ImportReport(
            import_id=import_id, kind=run.kind, source=run.source, user=run.user_name, undone=True
        )
        changes = member_rows.import_change_rows(conn, import_id)
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
        if new_ratings:
            report.change("member_ratings").removed += member_rows.delete_new_ratings(
                conn, run.user_id, new_ratings
            )
        for table, removed in member_rows.delete_import_rows(conn, import_id).items():
            report.change(table).removed += removed
        _remove_films(conn, films, report)
        member_rows.mark_undone(conn, import_id, now())
        return report

    return write_transaction(store, work)


def import_runs(store: Store, user_name: str | None = None) -> list[ImportRun]:
    """The import log, newest first (of one member, if named)."""
    with member_rows.reading(store) as conn:
        user_id = None if user_name is None else user_id_for(conn, user_name)
        rows = member_rows.import_runs(conn, user_id)
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
