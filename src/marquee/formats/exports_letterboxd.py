"""Members' Letterboxd exports (ratings, watchlist, likes, lists), read; its import CSV, written. No I/O.

Letterboxd's CSVs carry no IMDb id: a film is its ``Name`` and ``Year``. Stars (0.5–5 in halves)
become Marquee's 1–10 by doubling. A list file is two CSV tables (the list, then its items)
under a ``Letterboxd list export vN`` line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from marquee.errors import InputError
from marquee.formats.export_cells import (
    cell_place,
    check_width,
    check_year,
    csv_records,
    csv_rows,
    fold_header,
    is_blank_record,
    neutralise_cell,
    read_date,
    read_int,
    read_names,
    unneutralise_cell,
)
from marquee.limits import MAX_INT

LIST_MARKER = re.compile(r"^letterboxd list export", re.IGNORECASE)


@dataclass(frozen=True)
class LetterboxdRow:
    """A row of a Letterboxd CSV naming a film: diary, ratings, reviews, watched, watchlist, likes, lists.

    ``imdb_id``, ``tmdb_id`` and ``directors`` come from columns Letterboxd's own export lacks but its
    import format, third-party tools and Marquee's export carry (``imdbID``, ``tmdbID``, ``Directors``).
    """

    source: str
    line: int
    name: str
    year: int | None
    uri: str = ""
    date: dt.date | None = None
    rating: int | None = None  # on 1–10 (stars doubled)
    rewatch: bool = False
    tags: tuple[str, ...] = ()
    watched_on: dt.date | None = None
    review: str | None = None
    position: int | None = None
    description: str | None = None
    imdb_id: str | None = None
    tmdb_id: str | None = None
    directors: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """``file:line`` of this row."""
        return f"{self.source}:{self.line}"


@dataclass(frozen=True)
class LetterboxdList:
    """A Letterboxd list: its name, date, tags, URI, description, and its films in order."""

    source: str
    name: str
    date: dt.date | None
    uri: str
    description: str | None
    tags: tuple[str, ...]
    items: list[LetterboxdRow]


def stars_to_ten(value: str, source: str, line: int, column: str = "Rating") -> int | None:
    """``"3.5"`` stars -> 7; empty -> None; anything not 0.5–5 in halves is an InputError."""
    text = value.strip()
    if not text:
        return None
    try:
        stars = float(text)
    except ValueError:
        stars = math.nan
    doubled = stars * 2
    if not math.isfinite(doubled) or doubled != int(doubled) or not 1 <= doubled <= 10:
        raise InputError(
            f"{cell_place(source, line, column)}: must be 0.5 to 5 stars in halves, not {text[:40]!r}"
        )
    return int(doubled)


def ten_to_stars(score: int) -> str:
    """7 -> ``"3.5"``, 8 -> ``"4"``: Letterboxd's star value of a 1–10 score."""
    stars = score / 2
    return str(int(stars)) if stars == int(stars) else str(stars)


def _tags(value: str) -> tuple[str, ...]:
    return tuple(read_names(value))


_LB_ALIASES = {
    "title": "name",
    "filmtitle": "name",
    "filmname": "name",
    "releaseyear": "year",
    "filmyear": "year",
    "imdb": "imdbid",
    "imdbid": "imdbid",
    "imdbtitleid": "imdbid",
    "const": "imdbid",
    "tmdb": "tmdbid",
    "tmdbid": "tmdbid",
    "director": "directors",
    "directors": "directors",
    "letterboxduri": "letterboxduri",
    "letterboxdurl": "letterboxduri",
    "watcheddate": "watcheddate",
    "dateadded": "date",
}


def _lb_columns(header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = fold_header(name)
        columns.setdefault(_LB_ALIASES.get(folded, folded), index)
    return columns


def _imdb_id(value: str, source: str, line: int) -> str | None:
    text = value.strip()
    if not text:
        return None
    match = re.search(r"tt\d{7,}", text)  # "tt0086190", or an IMDb URL
    if match is None or len(text) > 200:
        raise InputError(f"{cell_place(source, line, 'imdbID')}: not an IMDb title id: {text[:40]!r}")
    return match.group()


def _lb_row(
    source: str, line: int, cells: list[str], columns: dict[str, int], *, marquee: bool = False
) -> LetterboxdRow:
    def cell(key: str) -> str:
        index = columns.get(key)
        value = cells[index] if index is not None and index < len(cells) else ""
        return unneutralise_cell(value) if marquee else value

    name = cell("name").strip()
    if not name:
        raise InputError(f"{cell_place(source, line, 'Name')}: empty")
    year = read_int(cell("year"), source, line, "Year")
    if year is not None:
        check_year(year, source, line, "Year", cell("year").strip())
    rewatch = cell("rewatch").strip().lower()
    review = cell("review")
    rating = stars_to_ten(cell("rating"), source, line)
    ten = cell("rating10").strip()
    if ten:
        rating = read_int(ten, source, line, "Rating10", low=-MAX_INT)
        if rating is not None and not 1 <= rating <= 10:
            raise InputError(f"{cell_place(source, line, 'Rating10')}: must be 1 to 10, not {ten[:40]!r}")
    tmdb = cell("tmdbid").strip()
    if tmdb and not tmdb.isdigit():
        raise InputError(f"{cell_place(source, line, 'tmdbID')}: not a TMDB id: {tmdb[:40]!r}")
    return LetterboxdRow(
        source=source,
        line=line,
        name=name,
        year=year,
        uri=(cell("letterboxduri") or cell("url")).strip(),
        date=read_date(cell("date"), source, line, "Date"),
        rating=rating,
        rewatch=rewatch in ("yes", "true", "1"),
        tags=_tags(cell("tags")),
        watched_on=read_date(cell("watcheddate"), source, line, "Watched Date"),
        review=review if review.strip() else None,
        position=read_int(cell("position"), source, line, "Position"),
        description=cell("description").strip() or None,
        imdb_id=_imdb_id(cell("imdbid"), source, line),
        tmdb_id=tmdb or None,
        directors=tuple(read_names(cell("directors"))),
    )


def is_marquee_letterboxd_csv(header: Sequence[str]) -> bool:
    """True for the header ``write_letterboxd_csv`` writes (its cells are neutralised)."""
    return tuple(h.strip().lstrip("\ufeff") for h in header) == LETTERBOXD_IMPORT_HEADER


def read_letterboxd_csv(
    text: str, source: str = "<letterboxd>", *, nameless: list[str] | None = None
) -> list[LetterboxdRow]:
    """Rows of diary.csv, ratings.csv, reviews.csv, watched.csv, watchlist.csv or likes/films.csv,
    or of a CSV in Letterboxd's import format (``Title``, ``imdbID``…; Marquee's export undone).

    With ``nameless`` (a list), rows without a film name are not an error: their ``file:line`` is
    appended to it (Letterboxd's ``orphaned/`` files hold entries whose film it no longer has).
    """
    header, rows = csv_rows(text, source)
    columns = _lb_columns(header)
    if "name" not in columns:
        raise InputError(f"{source}:1: Name: no such column; is this a Letterboxd export file?")
    marquee = is_marquee_letterboxd_csv(header)
    out: list[LetterboxdRow] = []
    for line, cells in rows:
        if nameless is not None and not cells[columns["name"]].strip():
            nameless.append(f"{source}:{line}")
            continue
        out.append(_lb_row(source, line, cells, columns, marquee=marquee))
    return out


def read_letterboxd_likes(text: str, source: str = "<likes>") -> list[tuple[int, dt.date | None, str]]:
    """(line, date, URI) of likes/lists.csv or likes/reviews.csv (``Date,Content``)."""
    header, rows = csv_rows(text, source)
    columns = _lb_columns(header)
    if "content" not in columns:
        raise InputError(f"{source}:1: Content: no such column")
    out = []
    for line, cells in rows:
        date = read_date(cells[columns["date"]] if "date" in columns else "", source, line, "Date")
        out.append((line, date, cells[columns["content"]].strip()))
    return out


def _is_items_header(columns: dict[str, int]) -> bool:
    return "name" in columns and ("position" in columns or "year" in columns)


def read_letterboxd_list(text: str, source: str = "<list>") -> LetterboxdList:
    """A list file: a ``Letterboxd list export vN`` line, the list's own header and row, a blank line,
    then its items' header and rows (by position).

    Read leniently as to layout (blank lines before, between or inside the parts, CRLF, no marker
    line, no list row, no items), strictly as to values.
    """
    records = [(n, c) for n, c in csv_records(text.lstrip("\ufeff"), source) if not is_blank_record(c)]
    if records and len(records[0][1]) == 1 and LIST_MARKER.match(records[0][1][0].strip()):
        records = records[1:]
    if not records:
        raise InputError(f"{source}:1: the file is empty: not a Letterboxd list export")
    head: dict[str, int] | None = None
    head_width = 0
    own: tuple[int, list[str]] | None = None
    items_columns: dict[str, int] | None = None
    width = 0
    items: list[LetterboxdRow] = []
    for line, cells in records:
        if items_columns is not None:
            check_width(source, line, cells, width)
            items.append(_lb_row(source, line, cells, items_columns))
            continue
        columns = _lb_columns(cells)
        if _is_items_header(columns):
            items_columns, width = columns, len(cells)
        elif head is None and "name" in columns:
            head, head_width = columns, len(cells)
        elif head is not None and own is None:
            check_width(source, line, cells, head_width)
            own = (line, cells)
        else:
            raise InputError(f"{source}:{line}: not a Letterboxd list export (no Name column above this row)")

    if own is None and items_columns is None:
        raise InputError(f"{source}:1: not a Letterboxd list export (neither the list's row nor its films)")

    def own_cell(key: str) -> str:
        index = None if head is None else head.get(key)
        return own[1][index] if own is not None and index is not None and index < len(own[1]) else ""

    stem = source.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".csv")
    return LetterboxdList(
        source=source,
        name=own_cell("name").strip() or stem or source,
        date=read_date(own_cell("date"), source, own[0], "Date") if own is not None else None,
        uri=own_cell("url").strip(),
        description=own_cell("description") or None,
        tags=_tags(own_cell("tags")),
        items=items,
    )


# ---- writing Letterboxd's import format ----------------------------------------------------------


# ---- writing Letterboxd's import format ----------------------------------------------------------


@dataclass(frozen=True)
class LetterboxdOut:
    """One row of Letterboxd's import CSV: a film, and optionally a viewing, rating, tags, review."""

    title: str
    year: int | None = None
    imdb_id: str | None = None
    directors: tuple[str, ...] = ()
    watched_on: dt.date | None = None
    rating10: int | None = None
    rewatch: bool = False
    tags: tuple[str, ...] = ()
    review: str | None = None


LETTERBOXD_IMPORT_HEADER = (
    "Title",
    "Year",
    "imdbID",
    "Directors",
    "WatchedDate",
    "Rating",
    "Rating10",
    "Rewatch",
    "Tags",
    "Review",
)


def write_letterboxd_csv(rows: Iterable[LetterboxdOut]) -> str:
    """Letterboxd's import CSV (https://letterboxd.com/about/importing-data/) for these rows.

    Every cell is neutralised against spreadsheet formula injection (``neutralise_cell``);
    ``read_letterboxd_csv`` undoes it for files with this header.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LETTERBOXD_IMPORT_HEADER)
    for row in rows:
        cells = [
            row.title,
            "" if row.year is None else str(row.year),
            row.imdb_id or "",
            ", ".join(row.directors),
            row.watched_on.isoformat() if row.watched_on else "",
            ten_to_stars(row.rating10) if row.rating10 else "",
            str(row.rating10) if row.rating10 else "",
            "true" if row.rewatch else "",
            ", ".join(row.tags),
            row.review or "",
        ]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return out.getvalue()
