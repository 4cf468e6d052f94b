"""A member's Letterboxd export in (a zip, a folder or one CSV): read, matched to films, written.

Ratings, watchlist, likes, lists, reviews and diary entries go into the member's library; a film no
candidate fits is added (name and year, a slug id) so no rating is dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from marquee.errors import InputError
from marquee.formats.exports_csv import (
    LIST_MARKER,
    LetterboxdRow,
    decode_export,
    read_letterboxd_csv,
    read_letterboxd_likes,
    read_letterboxd_list,
)
from marquee.records import Film
from marquee.records_library import FilmMatch, ImportReport
from marquee.services.export_files import ExportFile, is_zip, read_bounded, read_folder, read_zip
from marquee.services.film_matcher import FilmMatcher, Wanted
from marquee.services.library import DiaryIn, LibraryWriter, user_id_for
from marquee.services.member_import_run import SKIPPED_FILES, add_missing_films, count_match, run_import
from marquee.storage import member_rows
from marquee.storage.base import Store


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
            export.skipped.append(f"{where}: {SKIPPED_FILES.get(name, 'not a file Marquee imports')}")
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
        count_match(report, decision.how)
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
        title_id=tconst,
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
