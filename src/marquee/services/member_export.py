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
from pathlib import Path
from typing import TextIO

import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Connection

from marquee.errors import InputError
from marquee.formats.exports_csv import LetterboxdOut, write_letterboxd_csv
from marquee.formats.jsonld import movie_jsonld
from marquee.formats.nfo import film_nfo, nfo_filename
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
from marquee.storage.base import Store
from marquee.storage.community_schema import member_ratings, member_reviews
from marquee.storage.schema import credits, people, titles

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


def _films(conn: Connection, ids: set[str]) -> dict[str, tuple[str, int | None]]:
    """Title and year of these films."""
    out: dict[str, tuple[str, int | None]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(titles.c.tconst, titles.c.primary_title, titles.c.start_year).where(
            titles.c.tconst.in_(chunk)
        )
        out |= {r.tconst: (r.primary_title, r.start_year) for r in conn.execute(query)}
    return out


def _directors(conn: Connection, ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Directors' names of these films, in credit order."""
    out: dict[str, list[str]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        query = (
            select(titles.c.tconst, people.c.name)
            .join(credits, credits.c.title_id == titles.c.id)
            .join(people, people.c.id == credits.c.person_id)
            .where(titles.c.tconst.in_(wanted[start : start + 500]), credits.c.category == "director")
            .order_by(titles.c.tconst, credits.c.ordering)
        )
        for row in conn.execute(query):
            out.setdefault(row.tconst, []).append(row.name)
    return {k: tuple(v) for k, v in out.items()}


# ---- the archive ---------------------------------------------------------------------------------


def build_archive(store: Store, user_name: str) -> MemberArchive:
    """Everything the member made, sorted so that the same state gives the same archive."""
    with store.engine.connect() as conn:
        uid = user_id_for(conn, user_name)
        rating_rows = conn.execute(select(member_ratings).where(member_ratings.c.user_id == uid)).all()
        review_rows = conn.execute(select(member_reviews).where(member_reviews.c.user_id == uid)).all()
        names = _films(conn, {r.tconst for r in rating_rows} | {r.tconst for r in review_rows})
    ratings = [
        ArchiveRating(
            film_id=r.tconst,
            title=names.get(r.tconst, (None, None))[0],
            year=names.get(r.tconst, (None, None))[1],
            score=int(r.score),
            rated_at=_utc(r.updated_at),
        )
        for r in rating_rows
    ]
    reviews = [
        ArchiveReview(
            film_id=r.tconst,
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


def _read_archive(path: Path) -> MemberArchive:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    try:
        return MemberArchive.model_validate_json(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where}: {first['msg']}") from None


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
        tconst=entry.film_id,
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
    with store.engine.connect() as conn:
        names = _films(conn, ids)
        directors = _directors(conn, ids)

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
    """A ``movie.nfo`` for every film, each in its own folder under ``directory``; how many."""
    root = Path(directory)
    count = 0
    try:
        root.mkdir(parents=True, exist_ok=True)
        for film in store.iter_films():
            folder = root / nfo_filename(film)
            folder.mkdir(exist_ok=True)
            (folder / "movie.nfo").write_text(film_nfo(film), encoding="utf-8")
            count += 1
    except OSError as err:
        raise InputError(f"{err.filename or root}: cannot write: {err.strerror}") from None
    return count


def archive_json(archive: MemberArchive) -> str:
    """The archive as the JSON ``export_archive`` writes (for the web download)."""
    return archive.model_dump_json(indent=2) + "\n"
