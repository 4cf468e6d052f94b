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

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from marquee.errors import InputError
from marquee.formats.vocab import genre_name, kind_name, vocab_key
from marquee.limits import MAX_FIELD_CHARS, MAX_INT, YEAR_RANGE

__all__ = [
    "LETTERBOXD_IMPORT_HEADER",
    "LIST_MARKER",
    "ImdbExport",
    "ImdbRow",
    "LetterboxdList",
    "LetterboxdOut",
    "LetterboxdRow",
    "decode_export",
    "fold_header",
    "is_marquee_letterboxd_csv",
    "neutralise_cell",
    "read_imdb_csv",
    "read_letterboxd_csv",
    "read_letterboxd_likes",
    "read_letterboxd_list",
    "stars_to_ten",
    "ten_to_stars",
    "unneutralise_cell",
    "write_letterboxd_csv",
]

# Folded header -> our field. Several spellings per field: every variant IMDb used since 2017, and the
# headers of IMDb's localized sites (Italian, German, French, Spanish, Portuguese), folded the same way.
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
_LOCALIZED_COLUMNS: dict[str, tuple[str, ...]] = {
    "const": ("id", "codice", "kennung", "identifiant", "identificador", "codigo"),
    "rating": (
        "la tua valutazione", "il tuo voto", "tuo voto", "deine bewertung", "ihre bewertung",
        "votre note", "ta note", "tu calificacion", "tu valoracion", "tu puntuacion", "sua avaliacao",
        "sua nota", "a sua avaliacao",
    ),
    "rated_on": (
        "data valutazione", "data della valutazione", "data di valutazione", "data voto",
        "bewertet am", "bewertungsdatum", "datum der bewertung", "date de notation", "date de la note",
        "note le", "fecha de calificacion", "fecha de valoracion", "data da avaliacao", "avaliado em",
    ),
    "title": ("titolo", "titel", "titre", "titulo"),
    "original_title": ("titolo originale", "originaltitel", "titre original", "titulo original"),
    "kind": (
        "tipo di titolo", "tipo titolo", "tipo", "titeltyp", "typ", "type de titre", "type",
        "tipo de titulo",
    ),
    "imdb_rating": (
        "valutazione imdb", "voto imdb", "imdb bewertung", "note imdb", "calificacion de imdb",
        "calificacion imdb", "valoracion imdb", "avaliacao do imdb", "avaliacao imdb", "nota imdb",
    ),
    "runtime": (
        "durata min", "durata minuti", "durata", "laufzeit min", "laufzeit minuten", "laufzeit",
        "duree min", "duree", "duracion min", "duracion", "duracao min", "duracao",
    ),
    "year": ("anno", "jahr", "annee", "ano"),
    "genres": ("generi", "genere", "genre", "genero", "generos"),
    "votes": (
        "numero di voti", "numero voti", "voti", "anzahl der stimmen", "anzahl stimmen", "stimmen",
        "nombre de votes", "votes", "numero de votos", "votos",
    ),
    "release_date": (
        "data di uscita", "data uscita", "erscheinungsdatum", "veroffentlichungsdatum",
        "date de sortie", "fecha de estreno", "fecha de lanzamiento", "data de lancamento",
        "data de estreia",
    ),
    "directors": ("registi", "regista", "regie", "regisseure", "regisseur", "realisateurs",
                  "realisateur", "realisation", "directores", "director", "diretores", "diretor",
                  "direcao"),
    "position": ("posizione", "position", "posicion", "posicao"),
    "created": ("creato", "data di creazione", "erstellt", "cree", "cree le", "creado", "criado"),
    "modified": ("modificato", "geandert", "modifie", "modificado"),
    "description": ("descrizione", "beschreibung", "descripcion", "descricao"),
}  # fmt: skip
for _key, _spellings in _LOCALIZED_COLUMNS.items():
    for _spelling in _spellings:
        _IMDB_COLUMNS.setdefault(_spelling.replace(" ", ""), _key)
_DATE_FORMATS = ("%Y-%m-%d", "%a %b %d %H:%M:%S %Y", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_GROUPING = re.compile(r"(?<=\d)[,.\u00a0\u202f ' ](?=\d{3}(?:\D|$))")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_TCONST = re.compile(r"^tt\d{7,}$")
LIST_MARKER = re.compile(r"^letterboxd list export", re.IGNORECASE)
# OWASP's CSV injection rule: a cell starting with one of these is prefixed with a single quote.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")

# Letters and signs Windows-1252 text holds; anything else decoded from bytes that are not UTF-8 means
# the file is not Windows-1252 text either (binary, another code page): refused, not guessed.
_CP1252_SIGNS = set("’‘“”„–—…•·°²³¹½¼¾©®™€£¥§«»¡¿×÷´¨¸¯ªº¶\xa0")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HIGH_RUN = re.compile(r"[^\x00-\x7f]+")

if csv.field_size_limit() <= MAX_FIELD_CHARS:  # longer fields are refused by _rows, with their line
    csv.field_size_limit(MAX_FIELD_CHARS + 1)


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    prefix = data[:offset].decode(encoding, errors="replace")
    return prefix.count("\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of the start is NUL (text saved as UTF-16, no BOM)."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= len(odd) * 0.9 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.9 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _surely_cp1252(data: bytes) -> bool:
    """True only for text that is clearly Windows-1252 (IMDb's exports before 2020): words with accents."""
    try:
        text = data.decode("cp1252")  # strict: the five bytes Windows-1252 leaves undefined fail
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    for run in _HIGH_RUN.finditer(text):
        chars = run.group()
        if len(chars) > 3 or not all(c.isalpha() or c in _CP1252_SIGNS for c in chars):
            return False
    return True


def decode_export(data: bytes, source: str = "<export>") -> str:
    """Text of an export file: UTF-8 (BOM or not), UTF-16/32 with a BOM, UTF-16 without one, or clearly
    Windows-1252 (IMDb's older files); anything else is an InputError naming ``source:LINE``."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data) or "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding == "utf-8-sig" and _surely_cp1252(data):
            return data.decode("cp1252")
        line = _line_of(data, err.start, encoding)
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise InputError(
            f"{source}:{line}: not {name} text (byte 0x{data[err.start]:02x} cannot be decoded);"
            " save the file as UTF-8"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(f"{source}:{line}: a NUL character: this is not a text (CSV) file")
    return text.lstrip("\ufeff")


def fold_header(name: str) -> str:
    """``"Runtime (mins)"`` -> ``"runtimemins"``: how column names are compared (accents folded)."""
    return vocab_key(name.replace("\ufeff", "")).replace(" ", "")


def neutralise_cell(value: str) -> str:
    """OWASP's CSV-injection rule: a cell starting with ``= + - @``, tab or CR gets a leading ``'``.

    A cell that already starts with quotes before one of those gets one more, so that
    ``unneutralise_cell`` gives back exactly what was written ("-1", "'-1" and "''-1" all survive).
    """
    return f"'{value}" if _FORMULA.match(value) else value


def unneutralise_cell(value: str) -> str:
    """Undo ``neutralise_cell`` (for files Marquee wrote)."""
    return value[1:] if _QUOTED_FORMULA.match(value) else value


def _where(source: str, line: int, column: str) -> str:
    return f"{source}:{line}: {column}"


def _check_year(year: int, source: str, line: int, column: str, text: str) -> None:
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise InputError(f"{_where(source, line, column)}: year out of range {low}-{high}: {text!r}")


def _date(value: str, source: str, line: int, column: str) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(text)  # the usual case, and far quicker than strptime
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if day is None:
        raise InputError(f"{_where(source, line, column)}: not a date: {text!r}")
    _check_year(day.year, source, line, column, text)
    return day


def _partial_date(value: str, source: str, line: int, column: str) -> str | None:
    """A release date: ``1991-09-21``, or partial as IMDb's localized exports give it (``1991-09``,
    ``1991``); returned in ISO form (``"1991-09"``)."""
    text = value.strip()
    if not text:
        return None
    match = _PARTIAL_DATE.match(text)
    if match is None:
        day = _date(text, source, line, column)
        return day.isoformat() if day else None
    year, month, day_of = (int(g) if g else None for g in match.groups())
    assert year is not None
    _check_year(year, source, line, column, text)
    try:
        if day_of is not None:
            return dt.date(year, month or 1, day_of).isoformat()
        if month is not None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
    except ValueError:
        raise InputError(f"{_where(source, line, column)}: not a date: {text!r}") from None
    return f"{year:04d}"


def _int(value: str, source: str, line: int, column: str, *, low: int = 0) -> int | None:
    """A whole number (``1,234`` as IMDb writes votes), at least ``low``, at most 64 bits."""
    text = _GROUPING.sub("", value.strip())  # "1,234", "1.234", "1 234": digits grouped by locale
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise InputError(f"{_where(source, line, column)}: not a whole number: {value.strip()[:40]!r}")
    number = int(text)
    if not low <= number <= MAX_INT:
        raise InputError(f"{_where(source, line, column)}: out of range: {value.strip()[:40]!r}")
    return number


def _float(value: str, source: str, line: int, column: str, *, high: float = 10.0) -> float | None:
    """A finite number from 0 to ``high`` (IMDb's rating; NaN, infinities and negatives refused)."""
    text = value.strip()
    if not text:
        return None
    if _DECIMAL_COMMA.match(text):  # "8,6" as IMDb's Italian, German, French… sites write it
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{_where(source, line, column)}: not a number: {text[:40]!r}") from None
    if not math.isfinite(number) or not 0 <= number <= high:
        raise InputError(f"{_where(source, line, column)}: must be 0 to {high:g}, not {text[:40]!r}")
    return number


def _names(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _records(text: str, source: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Every CSV record of ``text`` (blank ones too) with the line it starts on; fields checked."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = first_line
    try:
        for cells in reader:
            for cell in cells:
                if len(cell) > MAX_FIELD_CHARS:
                    raise InputError(
                        f"{source}:{start}: a field of {len(cell)} characters"
                        f" (at most {MAX_FIELD_CHARS} are read)"
                    )
            out.append((start, cells))
            start = first_line + reader.line_num
    except csv.Error as err:
        line = first_line + reader.line_num - 1
        if "field larger than field limit" in str(err):
            raise InputError(f"{source}:{start}: a field longer than {MAX_FIELD_CHARS} characters") from None
        raise InputError(f"{source}:{max(line, start)}: not CSV ({err})") from None
    return out


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _check_width(source: str, line: int, cells: list[str], width: int) -> None:
    if len(cells) != width:
        more = "more" if len(cells) > width else "fewer"
        raise InputError(f"{source}:{line}: {len(cells)} fields, {more} than the header's {width}")


def _rows(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV text; line numbers are where each record starts.

    Blank lines are skipped (before the header too); every other row must have the header's width.
    """
    records = [(line, cells) for line, cells in _records(text.lstrip("\ufeff"), source) if not _blank(cells)]
    if not records:
        raise InputError(f"{source}:1: the file is empty")
    (_, header), rows = records[0], records[1:]
    for line, cells in rows:
        _check_width(source, line, cells, len(header))
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
    release_date: str | None = None  # ISO, maybe partial: "1991-09-21", "1991-09", "1991"
    directors: tuple[str, ...] = ()
    position: int | None = None
    created: dt.date | None = None
    description: str | None = None


@dataclass(frozen=True)
class ImdbExport:
    """A whole IMDb export: ``ratings`` (has Your Rating) or ``watchlist`` (has Position/Created).

    ``unmapped``: title types and genres with no known English name (kept as the export wrote them),
    each with the first ``file:line`` that has it.
    """

    kind: Literal["ratings", "watchlist"]
    header: tuple[str, ...]
    rows: list[ImdbRow] = field(default_factory=list)
    unmapped: dict[tuple[str, str], str] = field(default_factory=dict)


def _imdb_columns(header: Sequence[str], source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _IMDB_COLUMNS.get(fold_header(name))
        if key is not None and key not in columns:
            columns[key] = index
    if "const" not in columns:
        raise InputError(f"{source}:1: Const: no such column; is this an IMDb ratings or watchlist export?")
    return columns


class _Vocabulary:
    """Maps an export's title types and genres to IMDb's English ones; remembers what it could not."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.unmapped: dict[tuple[str, str], str] = {}

    def kind(self, value: str, line: int) -> str:
        text = value.strip()
        if not text:
            return "movie"
        known = kind_name(text)
        if known is None:
            self.unmapped.setdefault(("Title Type", text), f"{self.source}:{line}")
            return text
        return known

    def genres(self, value: str, line: int) -> tuple[str, ...]:
        out: list[str] = []
        for name in _names(value):
            known = genre_name(name)
            if known is None:
                self.unmapped.setdefault(("Genres", name), f"{self.source}:{line}")
            out.append(known or name)
        return tuple(dict.fromkeys(out))


def _imdb_row(
    line: int, cells: list[str], columns: dict[str, int], source: str, vocab: _Vocabulary
) -> ImdbRow:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    const = cell("const").strip()
    if not _TCONST.match(const):
        raise InputError(f"{_where(source, line, 'Const')}: not an IMDb title id: {const[:40]!r}")
    rating = _int(cell("rating"), source, line, "Your Rating", low=-MAX_INT)
    if rating is not None and not 1 <= rating <= 10:
        raise InputError(f"{_where(source, line, 'Your Rating')}: must be 1 to 10, not {rating}")
    year = _int(cell("year"), source, line, "Year")
    if year is not None:
        _check_year(year, source, line, "Year", cell("year").strip())
    original = cell("original_title").strip()
    return ImdbRow(
        line=line,
        const=const,
        title=cell("title").strip() or const,
        rating=rating,
        rated_on=_date(cell("rated_on"), source, line, "Date Rated"),
        original_title=original or None,
        kind=vocab.kind(cell("kind"), line),
        imdb_rating=_float(cell("imdb_rating"), source, line, "IMDb Rating"),
        votes=_int(cell("votes"), source, line, "Num Votes"),
        runtime=_int(cell("runtime"), source, line, "Runtime (mins)"),
        year=year,
        genres=vocab.genres(cell("genres"), line),
        release_date=_partial_date(cell("release_date"), source, line, "Release Date"),
        directors=tuple(_names(cell("directors"))),
        position=_int(cell("position"), source, line, "Position"),
        created=_date(cell("created"), source, line, "Created"),
        description=cell("description").strip() or None,
    )


def read_imdb_csv(text: str, source: str = "<imdb>") -> ImdbExport:
    """Read an IMDb ratings or watchlist export (any header variant since 2017, columns by name, in
    English or as IMDb's Italian, German, French, Spanish or Portuguese sites write them)."""
    header, rows = _rows(text, source)
    columns = _imdb_columns(header, source)
    is_watchlist = "position" in columns and "created" in columns
    if not is_watchlist and "rating" not in columns:
        raise InputError(
            f"{source}:1: Your Rating: no such column (and no Position/Created: not a watchlist)"
        )
    vocab = _Vocabulary(source)
    parsed = [_imdb_row(line, cells, columns, source, vocab) for line, cells in rows]
    if not is_watchlist:
        for row in parsed:
            if row.rating is None:
                raise InputError(f"{_where(source, row.line, 'Your Rating')}: empty")
    return ImdbExport(
        kind="watchlist" if is_watchlist else "ratings",
        header=tuple(header),
        rows=parsed,
        unmapped=vocab.unmapped,
    )


# ---- Letterboxd ----------------------------------------------------------------------------------


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
            f"{_where(source, line, column)}: must be 0.5 to 5 stars in halves, not {text[:40]!r}"
        )
    return int(doubled)


def ten_to_stars(score: int) -> str:
    """7 -> ``"3.5"``, 8 -> ``"4"``: Letterboxd's star value of a 1–10 score."""
    stars = score / 2
    return str(int(stars)) if stars == int(stars) else str(stars)


def _tags(value: str) -> tuple[str, ...]:
    return tuple(_names(value))


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
        raise InputError(f"{_where(source, line, 'imdbID')}: not an IMDb title id: {text[:40]!r}")
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
        raise InputError(f"{_where(source, line, 'Name')}: empty")
    year = _int(cell("year"), source, line, "Year")
    if year is not None:
        _check_year(year, source, line, "Year", cell("year").strip())
    rewatch = cell("rewatch").strip().lower()
    review = cell("review")
    rating = stars_to_ten(cell("rating"), source, line)
    ten = cell("rating10").strip()
    if ten:
        rating = _int(ten, source, line, "Rating10", low=-MAX_INT)
        if rating is not None and not 1 <= rating <= 10:
            raise InputError(f"{_where(source, line, 'Rating10')}: must be 1 to 10, not {ten[:40]!r}")
    tmdb = cell("tmdbid").strip()
    if tmdb and not tmdb.isdigit():
        raise InputError(f"{_where(source, line, 'tmdbID')}: not a TMDB id: {tmdb[:40]!r}")
    return LetterboxdRow(
        source=source,
        line=line,
        name=name,
        year=year,
        uri=(cell("letterboxduri") or cell("url")).strip(),
        date=_date(cell("date"), source, line, "Date"),
        rating=rating,
        rewatch=rewatch in ("yes", "true", "1"),
        tags=_tags(cell("tags")),
        watched_on=_date(cell("watcheddate"), source, line, "Watched Date"),
        review=review if review.strip() else None,
        position=_int(cell("position"), source, line, "Position"),
        description=cell("description").strip() or None,
        imdb_id=_imdb_id(cell("imdbid"), source, line),
        tmdb_id=tmdb or None,
        directors=tuple(_names(cell("directors"))),
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
    header, rows = _rows(text, source)
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
    header, rows = _rows(text, source)
    columns = _lb_columns(header)
    if "content" not in columns:
        raise InputError(f"{source}:1: Content: no such column")
    out = []
    for line, cells in rows:
        date = _date(cells[columns["date"]] if "date" in columns else "", source, line, "Date")
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
    records = [(n, c) for n, c in _records(text.lstrip("\ufeff"), source) if not _blank(c)]
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
            _check_width(source, line, cells, width)
            items.append(_lb_row(source, line, cells, items_columns))
            continue
        columns = _lb_columns(cells)
        if _is_items_header(columns):
            items_columns, width = columns, len(cells)
        elif head is None and "name" in columns:
            head, head_width = columns, len(cells)
        elif head is not None and own is None:
            _check_width(source, line, cells, head_width)
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
        date=_date(own_cell("date"), source, own[0], "Date") if own is not None else None,
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
