"""Exports out: a member's data (Letterboxd import CSV, Marquee JSON archive) and films (JSON-LD, NFO).

* ``export_letterboxd``: Letterboxd's import CSV: one row per viewing (date, rating then,
  rewatch, tags, review), then one per film rated or reviewed but never logged; IMDb ids where
  the film has one, so Letterboxd matches it exactly.
* ``export_archive`` / ``import_archive``: everything the member made (``ratings``, ``reviews``,
  ``diary``, ``watchlist``, ``lists``, ``likes``) in one JSON document, sorted, with each film's
  id, title and year; importing it into any store (films missing are added from title and year)
  and exporting again gives the same document.
* ``export_jsonld``: every film as schema.org JSON-LD, one per line; ``export_nfo``: a Kodi /
  Jellyfin ``movie.nfo`` per film, in a folder named after it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from pathlib import Path
from typing import Any, TextIO

import orjson
from pydantic import ValidationError

from marquee.errors import InputError
from marquee.formats.exports_csv import LetterboxdOut, decode_export, write_letterboxd_csv
from marquee.formats.jsonld import movie_jsonld
from marquee.formats.nfo import film_nfo, nfo_filename
from marquee.limits import MAX_FIELD_CHARS, MAX_NESTING, YEAR_RANGE
from marquee.records import Film
from marquee.records_library import (
    ArchiveRating,
    ArchiveReview,
    DiaryEntry,
    ImportReport,
    MemberArchive,
    MemberList,
)
from marquee.services.accounts import aware
from marquee.services.export_files import read_bounded
from marquee.services.library import (
    DiaryIn,
    LibraryWriter,
    diary,
    member_likes,
    member_lists_of,
    user_id_for,
    watchlist_of,
)
from marquee.services.member_import import add_missing_films, run_import
from marquee.storage import member_rows
from marquee.storage.base import Store

__all__ = [
    "build_archive",
    "export_archive",
    "export_jsonld",
    "export_letterboxd",
    "export_nfo",
    "import_archive",
    "letterboxd_rows",
]


def _utc(value: dt.datetime) -> dt.datetime:
    """Stored timestamps in UTC: SQLite gives them naive, PostgreSQL in the session's zone."""
    return aware(value).astimezone(dt.UTC)


# ---- the archive ---------------------------------------------------------------------------------


def build_archive(store: Store, user_name: str) -> MemberArchive:
    """Everything the member made, sorted so that the same state gives the same archive."""
    with member_rows.reading(store) as conn:
        uid = user_id_for(conn, user_name)
        rating_rows = member_rows.ratings_of(conn, uid)
        review_rows = member_rows.reviews_of(conn, uid)
        names = member_rows.film_names(
            conn, {r.title_id for r in rating_rows} | {r.title_id for r in review_rows}
        )
    ratings = [
        ArchiveRating(
            film_id=r.title_id,
            title=names.get(r.title_id, (None, None))[0],
            year=names.get(r.title_id, (None, None))[1],
            score=int(r.score),
            rated_at=_utc(r.updated_at),
        )
        for r in rating_rows
    ]
    reviews = [
        ArchiveReview(
            film_id=r.title_id,
            title=r.title,
            body=r.body,
            score=r.score_value,
            scale=r.score_scale,
            spoiler=bool(r.spoiler),
            created_at=_utc(r.created_at),
        )
        for r in review_rows
    ]
    entries = [e.model_copy(update={"review_id": None}) for e in diary(store, user_name)]
    entries.sort(key=lambda e: (e.watched_on or dt.date.min, e.film_id, e.rewatch, e.source_uri))
    lists = [m.model_copy(update={"id": None}) for m in member_lists_of(store, user_name)]
    lists.sort(key=lambda m: (m.slug or "", m.name))
    return MemberArchive(
        user=user_name,
        ratings=sorted(ratings, key=lambda r: r.film_id),
        reviews=sorted(reviews, key=lambda r: r.film_id),
        diary=entries,
        watchlist=sorted(
            watchlist_of(store, user_name), key=lambda w: (w.added_on or dt.date.min, w.film_id)
        ),
        lists=lists,
        likes=member_likes(store, user_name),
    )


def export_archive(store: Store, user_name: str, out: TextIO) -> MemberArchive:
    """Write the member's archive as indented JSON to ``out``; returns it."""
    archive = build_archive(store, user_name)
    out.write(archive.model_dump_json(indent=2))
    out.write("\n")
    return archive


def _archive_films(archive: MemberArchive) -> dict[str, Film]:
    """A minimal film (id, title, year) for every film the archive names."""
    films: dict[str, Film] = {}
    named: list[tuple[str, str | None, int | None]] = [(r.film_id, r.title, r.year) for r in archive.ratings]
    named += [(e.film_id, e.title, e.year) for e in archive.diary]
    named += [(w.film_id, w.title, w.year) for w in archive.watchlist]
    named += [(i.film_id, i.title, i.year) for m in archive.lists for i in m.items]
    named += [(r.film_id, None, None) for r in archive.reviews]
    named += [(like.target, None, None) for like in archive.likes if like.kind == "film"]
    for film_id, title, year in named:
        known = films.get(film_id)
        if known is None or (title and known.title == film_id):
            films[film_id] = Film(id=film_id, title=title or film_id, year=year)
    return films


# A film id as Marquee makes them (tt…, slugs): safe in a URL path and as a file name.
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")


def _check_values(path: Path, data: Any, where: tuple[str | int, ...] = ()) -> None:
    """Every string within ``MAX_FIELD_CHARS``, nesting within ``MAX_NESTING``."""
    if len(where) > MAX_NESTING:
        raise InputError(f"{path}: nested deeper than {MAX_NESTING} levels")
    if isinstance(data, str) and len(data) > MAX_FIELD_CHARS:
        dotted = ".".join(str(p) for p in where)
        raise InputError(f"{path}: {dotted}: {len(data)} characters (at most {MAX_FIELD_CHARS})")
    if isinstance(data, dict):
        for key, value in data.items():
            _check_values(path, value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_values(path, value, (*where, index))


def _check_archive(path: Path, archive: MemberArchive) -> None:
    """What the model allows but a store must not hold: unsafe film ids, scores off their scale."""
    ids = [(f"ratings.{n}", r.film_id) for n, r in enumerate(archive.ratings)]
    ids += [(f"reviews.{n}", r.film_id) for n, r in enumerate(archive.reviews)]
    ids += [(f"diary.{n}", e.film_id) for n, e in enumerate(archive.diary)]
    ids += [(f"watchlist.{n}", w.film_id) for n, w in enumerate(archive.watchlist)]
    ids += [
        (f"lists.{n}.items.{m}", i.film_id)
        for n, lst in enumerate(archive.lists)
        for m, i in enumerate(lst.items)
    ]
    ids += [(f"likes.{n}", like.target) for n, like in enumerate(archive.likes) if like.kind == "film"]
    for where, film_id in ids:
        if not _SAFE_ID.match(film_id):
            raise InputError(
                f"{path}: {where}.film_id: not a film id (letters, digits, - and _): {film_id[:40]!r}"
            )
    low, high = YEAR_RANGE
    named = [(f"ratings.{n}", r.year) for n, r in enumerate(archive.ratings)]
    named += [(f"diary.{n}", e.year) for n, e in enumerate(archive.diary)]
    named += [(f"watchlist.{n}", w.year) for n, w in enumerate(archive.watchlist)]
    for where, year in named:
        if year is not None and not low <= year <= high:
            raise InputError(f"{path}: {where}.year: out of range {low}-{high}: {year}")
    for n, review in enumerate(archive.reviews):
        if review.score is not None and (
            not math.isfinite(review.score)
            or not 0 <= review.score <= (review.scale or 10)
            or (review.scale or 10) > 100
        ):
            raise InputError(
                f"{path}: reviews.{n}.score: {review.score} is not on its scale ({review.scale})"
            )


def _read_archive(path: Path) -> MemberArchive:
    text = decode_export(read_bounded(path), str(path))
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: not JSON ({err.msg})") from None
    _check_values(path, data)
    try:
        archive = MemberArchive.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where or 'the document'}: {first['msg']}") from None
    _check_archive(path, archive)
    return archive


def import_archive(store: Store, path: str | Path, user_name: str, *, dry_run: bool = False) -> ImportReport:
    """Import a Marquee archive for a member (any member: the archive's own user name is not used)."""
    path = Path(path)
    archive = _read_archive(path)
    films = _archive_films(archive)

    def prepare(report: ImportReport) -> None:
        report.rows = (
            len(archive.ratings)
            + len(archive.reviews)
            + len(archive.diary)
            + len(archive.watchlist)
            + sum(len(m.items) for m in archive.lists)
            + len(archive.likes)
        )

    def work(writer: LibraryWriter) -> None:
        add_missing_films(writer, list(films.values()))
        writer.set_ratings((r.film_id, r.score, r.rated_at) for r in archive.ratings)
        review_ids = {}
        for review in archive.reviews:
            score = None if review.score is None or review.scale is None else (review.score, review.scale)
            review_ids[review.film_id] = writer.set_review(
                review.film_id, review.title, review.body, score, review.created_at, spoiler=review.spoiler
            )
        for entry in archive.diary:
            writer.add_diary(_diary_in(entry, review_ids))
        for item in archive.watchlist:
            writer.add_watchlist(item.film_id, item.added_on, item.note)
        for like in archive.likes:
            writer.add_like(like.kind, like.target, like.liked_on)
        for lst in archive.lists:
            _import_list(writer, lst)

    return run_import(store, "archive", str(path), user_name, work, dry_run=dry_run, prepare=prepare)


def _diary_in(entry: DiaryEntry, review_ids: dict[str, int]) -> DiaryIn:
    return DiaryIn(
        title_id=entry.film_id,
        watched_on=entry.watched_on,
        rewatch=entry.rewatch,
        source_uri=entry.source_uri,
        logged_on=entry.logged_on,
        rating=entry.rating,
        review=entry.review,
        tags=tuple(entry.tags),
        review_id=review_ids.get(entry.film_id) if entry.review_linked else None,
    )


def _import_list(writer: LibraryWriter, lst: MemberList) -> None:
    items = [(i.film_id, i.note) for i in sorted(lst.items, key=lambda i: i.position)]
    writer.set_list(
        lst.name,
        items,
        description=lst.description,
        tags=lst.tags,
        created_on=lst.created_on,
        source_uri=lst.source_uri,
        slug=lst.slug,
    )


# ---- Letterboxd ----------------------------------------------------------------------------------


def letterboxd_rows(store: Store, user_name: str) -> list[LetterboxdOut]:
    """The member's viewings, then films rated or reviewed but never logged, as Letterboxd rows."""
    archive = build_archive(store, user_name)
    reviews = {r.film_id: r for r in archive.reviews}
    ratings = {r.film_id: r.score for r in archive.ratings}
    ids = {e.film_id for e in archive.diary} | set(ratings) | set(reviews)
    with member_rows.reading(store) as conn:
        names = member_rows.film_names(conn, ids)
        directors = member_rows.film_directors(conn, ids)

    def out(film_id: str, **fields: object) -> LetterboxdOut:
        title, year = names.get(film_id, (film_id, None))
        imdb = film_id if film_id.startswith("tt") else None
        return LetterboxdOut(
            title=title,
            year=year,
            imdb_id=imdb,
            directors=directors.get(film_id, ()),
            **fields,  # type: ignore[arg-type]
        )

    rows: list[LetterboxdOut] = []
    logged: set[str] = set()
    for entry in archive.diary:
        logged.add(entry.film_id)
        review = entry.review
        if review is None and entry.review_linked and entry.film_id in reviews:
            review = reviews[entry.film_id].body
        rating = entry.rating if entry.watched_on else entry.rating or ratings.get(entry.film_id)
        rows.append(
            out(
                entry.film_id,
                watched_on=entry.watched_on,
                rating10=rating,
                rewatch=entry.rewatch,
                tags=tuple(entry.tags),
                review=review,
            )
        )
    for film_id in sorted((set(ratings) | set(reviews)) - logged):
        written = reviews.get(film_id)
        rows.append(out(film_id, rating10=ratings.get(film_id), review=written.body if written else None))
    return rows


def export_letterboxd(store: Store, user_name: str, out: TextIO) -> int:
    """Write the member's Letterboxd import CSV to ``out``; returns how many rows."""
    rows = letterboxd_rows(store, user_name)
    out.write(write_letterboxd_csv(rows))
    return len(rows)


# ---- films ---------------------------------------------------------------------------------------


def export_jsonld(store: Store, out: TextIO, *, base_url: str = "") -> int:
    """Every film as one schema.org ``Movie`` JSON-LD object per line, ordered by id; how many."""
    count = 0
    for film in store.iter_films():
        out.write(orjson.dumps(movie_jsonld(film, base_url=base_url)).decode("utf-8"))
        out.write("\n")
        count += 1
    return count


def export_nfo(store: Store, directory: str | Path) -> int:
    """A ``movie.nfo`` for every film, each in its own folder under ``directory``; how many.

    Nothing is written outside ``directory``: folder names come from ``nfo_filename`` (no separators,
    no ``..``), are checked to sit right under it, and neither a folder nor a ``movie.nfo`` that is a
    symbolic link (which could point elsewhere) is written through.
    """
    root = Path(directory)
    count = 0
    try:
        root.mkdir(parents=True, exist_ok=True)
        real_root = root.resolve()
        for film in store.iter_films():
            name = nfo_filename(film)
            folder = root / name
            if folder.parent != root or Path(name).name != name or folder.is_symlink():
                raise InputError(f"{folder}: not a safe folder for film {film.id!r}: nothing written there")
            folder.mkdir(exist_ok=True)
            if folder.resolve().parent != real_root:
                raise InputError(f"{folder}: resolves outside {root}: nothing written there")
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(folder / "movie.nfo", flags, 0o644), "w", encoding="utf-8") as out:
                out.write(film_nfo(film))
            count += 1
    except OSError as err:
        raise InputError(f"{err.filename or root}: cannot write: {err.strerror}") from None
    return count


def archive_json(archive: MemberArchive) -> str:
    """The archive as the JSON ``export_archive`` writes (for the web download)."""
    return archive.model_dump_json(indent=2) + "\n"
