"""Members' exports from IMDb and Letterboxd, read; and Letterboxd's import CSV, written. Pure: no I/O.

IMDb's ratings and watchlist CSVs changed their headers over the years (``Your Rating`` /
``You rated``, an ``Original Title`` column since 2023, ``Title Type`` values ``movie`` or
``Movie``…), so columns are found by name, compared folded (``"Num. Votes"`` == ``"num votes"``).
Older IMDb files are Latin-1 and some start with a byte-order mark: ``decode_export`` handles both.

Letterboxd's CSVs carry no IMDb id: a film is its ``Name`` and ``Year``. Stars (0.5–5 in halves)
become Marquee's 1–10 by doubling. A list file is two CSV tables (the list, then its items)
under a ``Letterboxd list export vN`` line.

Bad rows raise ``InputError`` naming ``file:line: field``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from marquee.errors import InputError

__all__ = [
    "ImdbExport",
    "ImdbRow",
    "LetterboxdList",
    "LetterboxdOut",
    "LetterboxdRow",
    "decode_export",
    "fold_header",
    "imdb_kind",
    "read_imdb_csv",
    "read_letterboxd_csv",
    "read_letterboxd_likes",
    "read_letterboxd_list",
    "stars_to_ten",
    "ten_to_stars",
    "write_letterboxd_csv",
]

# Folded header -> our field. Several spellings per field: every variant IMDb used since 2017.
_IMDB_COLUMNS: dict[str, str] = {
    "const": "const",
    "yourrating": "rating",
    "yourated": "rating",
    "daterated": "rated_on",
    "title": "title",
    "originaltitle": "original_title",
    "url": "url",
    "titletype": "kind",
    "imdbrating": "imdb_rating",
    "runtimemins": "runtime",
    "runtime": "runtime",
    "year": "year",
    "genres": "genres",
    "numvotes": "votes",
    "releasedate": "release_date",
    "releasedatemonthdayyear": "release_date",
    "directors": "directors",
    "position": "position",
    "created": "created",
    "modified": "modified",
    "description": "description",
}
# IMDb's display names for title types (newer exports) -> IMDb titleType (the datasets' names).
_KINDS = {
    "movie": "movie",
    "featurefilm": "movie",
    "documentary": "movie",
    "tvseries": "tvSeries",
    "tvminiseries": "tvMiniSeries",
    "miniseries": "tvMiniSeries",
    "tvepisode": "tvEpisode",
    "tvmovie": "tvMovie",
    "tvspecial": "tvSpecial",
    "tvshort": "tvShort",
    "short": "short",
    "video": "video",
    "videogame": "videoGame",
    "musicvideo": "musicVideo",
    "podcastseries": "podcastSeries",
    "podcastepisode": "podcastEpisode",
}
_DATE_FORMATS = ("%Y-%m-%d", "%a %b %d %H:%M:%S %Y", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_TCONST = re.compile(r"^tt\d{7,}$")
_LIST_MARKER = re.compile(r"^letterboxd list export", re.IGNORECASE)


def decode_export(data: bytes) -> str:
    """Text of an export: UTF-8 (byte-order mark dropped), else Windows-1252 as IMDb's older files."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def fold_header(name: str) -> str:
    """``"Runtime (mins)"`` -> ``"runtimemins"``: how column names are compared."""
    return _NON_ALNUM.sub("", name.replace("\ufeff", "").lower())


def imdb_kind(value: str) -> str:
    """``"TV Series"`` or ``"tvSeries"`` -> ``"tvSeries"``; unknown types are kept as written."""
    return _KINDS.get(fold_header(value), value.strip() or "movie")


def _where(source: str, line: int, column: str) -> str:
    return f"{source}:{line}: {column}"


def _date(value: str, source: str, line: int, column: str) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)  # the usual case, and far quicker than strptime
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"{_where(source, line, column)}: not a date: {text!r}")


def _int(value: str, source: str, line: int, column: str) -> int | None:
    text = value.strip().replace(",", "")
    if not text:
        return None
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError:
        raise InputError(f"{_where(source, line, column)}: not a number: {value.strip()!r}") from None


def _float(value: str, source: str, line: int, column: str) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{_where(source, line, column)}: not a number: {text!r}") from None


def _names(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _rows(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV text; line numbers are where each record starts."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source}:1: the file is empty") from None
    except csv.Error as err:
        raise InputError(f"{source}:1: not CSV ({err})") from None
    rows: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"{source}:{reader.line_num}: not CSV ({err})") from None
    return header, rows


# ---- IMDb ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImdbRow:
    """One row of an IMDb ratings or watchlist export."""

    line: int
    const: str
    title: str
    rating: int | None = None
    rated_on: dt.date | None = None
    original_title: str | None = None
    kind: str = "movie"
    imdb_rating: float | None = None
    votes: int | None = None
    runtime: int | None = None
    year: int | None = None
    genres: tuple[str, ...] = ()
    release_date: dt.date | None = None
    directors: tuple[str, ...] = ()
    position: int | None = None
    created: dt.date | None = None
    description: str | None = None


@dataclass(frozen=True)
class ImdbExport:
    """A whole IMDb export: ``ratings`` (has Your Rating) or ``watchlist`` (has Position/Created)."""

    kind: Literal["ratings", "watchlist"]
    header: tuple[str, ...]
    rows: list[ImdbRow] = field(default_factory=list)


def _imdb_columns(header: Sequence[str], source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _IMDB_COLUMNS.get(fold_header(name))
        if key is not None and key not in columns:
            columns[key] = index
    if "const" not in columns:
        raise InputError(f"{source}:1: Const: no such column; is this an IMDb ratings or watchlist export?")
    return columns


def _imdb_row(line: int, cells: list[str], columns: dict[str, int], source: str) -> ImdbRow:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    const = cell("const").strip()
    if not _TCONST.match(const):
        raise InputError(f"{_where(source, line, 'Const')}: not an IMDb title id: {const!r}")
    rating = _int(cell("rating"), source, line, "Your Rating")
    if rating is not None and not 1 <= rating <= 10:
        raise InputError(f"{_where(source, line, 'Your Rating')}: must be 1 to 10, not {rating}")
    original = cell("original_title").strip()
    return ImdbRow(
        line=line,
        const=const,
        title=cell("title").strip() or const,
        rating=rating,
        rated_on=_date(cell("rated_on"), source, line, "Date Rated"),
        original_title=original or None,
        kind=imdb_kind(cell("kind")),
        imdb_rating=_float(cell("imdb_rating"), source, line, "IMDb Rating"),
        votes=_int(cell("votes"), source, line, "Num Votes"),
        runtime=_int(cell("runtime"), source, line, "Runtime (mins)"),
        year=_int(cell("year"), source, line, "Year"),
        genres=tuple(_names(cell("genres"))),
        release_date=_date(cell("release_date"), source, line, "Release Date"),
        directors=tuple(_names(cell("directors"))),
        position=_int(cell("position"), source, line, "Position"),
        created=_date(cell("created"), source, line, "Created"),
        description=cell("description").strip() or None,
    )


def read_imdb_csv(text: str, source: str = "<imdb>") -> ImdbExport:
    """Read an IMDb ratings or watchlist export (any header variant since 2017, columns by name)."""
    header, rows = _rows(text, source)
    columns = _imdb_columns(header, source)
    is_watchlist = "position" in columns and "created" in columns
    if not is_watchlist and "rating" not in columns:
        raise InputError(
            f"{source}:1: Your Rating: no such column (and no Position/Created: not a watchlist)"
        )
    parsed = [_imdb_row(line, cells, columns, source) for line, cells in rows]
    if not is_watchlist:
        for row in parsed:
            if row.rating is None:
                raise InputError(f"{_where(source, row.line, 'Your Rating')}: empty")
    return ImdbExport(kind="watchlist" if is_watchlist else "ratings", header=tuple(header), rows=parsed)


# ---- Letterboxd ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterboxdRow:
    """A row of a Letterboxd CSV naming a film: diary, ratings, reviews, watched, watchlist, likes, lists."""

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
    stars = _float(value, source, line, column)
    if stars is None:
        return None
    doubled = stars * 2
    if doubled != int(doubled) or not 1 <= doubled <= 10:
        raise InputError(f"{_where(source, line, column)}: must be 0.5 to 5 stars in halves, not {value!r}")
    return int(doubled)


def ten_to_stars(score: int) -> str:
    """7 -> ``"3.5"``, 8 -> ``"4"``: Letterboxd's star value of a 1–10 score."""
    stars = score / 2
    return str(int(stars)) if stars == int(stars) else str(stars)


def _tags(value: str) -> tuple[str, ...]:
    return tuple(_names(value))


def _lb_columns(header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(fold_header(name), index)
    return columns


def _lb_row(source: str, line: int, cells: list[str], columns: dict[str, int]) -> LetterboxdRow:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    name = cell("name").strip()
    if not name:
        raise InputError(f"{_where(source, line, 'Name')}: empty")
    rewatch = cell("rewatch").strip().lower()
    review = cell("review")
    return LetterboxdRow(
        source=source,
        line=line,
        name=name,
        year=_int(cell("year"), source, line, "Year"),
        uri=(cell("letterboxduri") or cell("url")).strip(),
        date=_date(cell("date"), source, line, "Date"),
        rating=stars_to_ten(cell("rating"), source, line),
        rewatch=rewatch in ("yes", "true", "1"),
        tags=_tags(cell("tags")),
        watched_on=_date(cell("watcheddate"), source, line, "Watched Date"),
        review=review if review.strip() else None,
        position=_int(cell("position"), source, line, "Position"),
        description=cell("description").strip() or None,
    )


def read_letterboxd_csv(text: str, source: str = "<letterboxd>") -> list[LetterboxdRow]:
    """Rows of diary.csv, ratings.csv, reviews.csv, watched.csv, watchlist.csv or likes/films.csv."""
    header, rows = _rows(text, source)
    columns = _lb_columns(header)
    if "name" not in columns:
        raise InputError(f"{source}:1: Name: no such column; is this a Letterboxd export file?")
    return [_lb_row(source, line, cells, columns) for line, cells in rows]


def read_letterboxd_likes(text: str, source: str = "<likes>") -> list[tuple[int, dt.date | None, str]]:
    """(line, date, URI) of likes/lists.csv or likes/reviews.csv (``Date,Content``)."""
    header, rows = _rows(text, source)
    columns = _lb_columns(header)
    if "content" not in columns:
        raise InputError(f"{source}:1: Content: no such column")
    out = []
    for line, cells in rows:
        date = _date(cells[columns["date"]] if "date" in columns else "", source, line, "Date")
        out.append((line, date, cells[columns["content"]].strip()))
    return out


def _records(text: str, source: str, first_line: int) -> list[tuple[int, list[str]]]:
    """Every CSV record of ``text`` (blank ones too) with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = first_line
    try:
        for cells in reader:
            out.append((start, cells))
            start = first_line + reader.line_num
    except csv.Error as err:
        raise InputError(f"{source}:{first_line + reader.line_num}: not CSV ({err})") from None
    return out


def read_letterboxd_list(text: str, source: str = "<list>") -> LetterboxdList:
    """A list file: the marker line, the list's own row, a blank line, then its items by position."""
    body = text.lstrip("\ufeff")
    first, _, rest = body.partition("\n")
    if not _LIST_MARKER.match(first.strip()):
        raise InputError(f"{source}:1: not a Letterboxd list export (no 'Letterboxd list export' line)")
    records = _records(rest, source, 2)
    # Two tables: the list's header and row, a blank record, then the items' header and rows.
    blank = next((i for i, (_, r) in enumerate(records) if i > 0 and not any(c.strip() for c in r)), None)
    if len(records) < 2 or blank is None or blank < 2:
        raise InputError(f"{source}:2: the list's own row (Date,Name,Tags,URL,Description) is missing")
    head = _lb_columns(records[0][1])
    own_line, own = records[1]

    def own_cell(key: str) -> str:
        index = head.get(key)
        return own[index] if index is not None and index < len(own) else ""

    items: list[LetterboxdRow] = []
    if len(records) > blank + 1:
        columns = _lb_columns(records[blank + 1][1])
        items = [
            _lb_row(source, line, cells, columns)
            for line, cells in records[blank + 2 :]
            if any(c.strip() for c in cells)
        ]
    return LetterboxdList(
        source=source,
        name=own_cell("name").strip() or source,
        date=_date(own_cell("date"), source, own_line, "Date"),
        uri=own_cell("url").strip(),
        description=own_cell("description") or None,
        tags=_tags(own_cell("tags")),
        items=items,
    )


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
    """Letterboxd's import CSV (https://letterboxd.com/about/importing-data/) for these rows."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LETTERBOXD_IMPORT_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.title,
                "" if row.year is None else row.year,
                row.imdb_id or "",
                ", ".join(row.directors),
                row.watched_on.isoformat() if row.watched_on else "",
                ten_to_stars(row.rating10) if row.rating10 else "",
                row.rating10 or "",
                "true" if row.rewatch else "",
                ", ".join(row.tags),
                row.review or "",
            ]
        )
    return out.getvalue()
