"""Members' IMDb exports (ratings, watchlist and list CSVs), read. Pure: no I/O.

IMDb's headers changed over the years and differ on its localized sites, so columns are found by name,
compared folded (``"Num. Votes"`` == ``"num votes"``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from marquee.errors import InputError
from marquee.formats.export_cells import (
    cell_place,
    check_year,
    csv_rows,
    fold_header,
    read_date,
    read_float,
    read_int,
    read_names,
    read_partial_date,
)
from marquee.formats.vocab import genre_name, kind_name
from marquee.limits import MAX_INT

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
_TCONST = re.compile(r"^tt\d{7,}$")


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
        for name in read_names(value):
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
        raise InputError(f"{cell_place(source, line, 'Const')}: not an IMDb title id: {const[:40]!r}")
    rating = read_int(cell("rating"), source, line, "Your Rating", low=-MAX_INT)
    if rating is not None and not 1 <= rating <= 10:
        raise InputError(f"{cell_place(source, line, 'Your Rating')}: must be 1 to 10, not {rating}")
    year = read_int(cell("year"), source, line, "Year")
    if year is not None:
        check_year(year, source, line, "Year", cell("year").strip())
    original = cell("original_title").strip()
    return ImdbRow(
        line=line,
        const=const,
        title=cell("title").strip() or const,
        rating=rating,
        rated_on=read_date(cell("rated_on"), source, line, "Date Rated"),
        original_title=original or None,
        kind=vocab.kind(cell("kind"), line),
        imdb_rating=read_float(cell("imdb_rating"), source, line, "IMDb Rating"),
        votes=read_int(cell("votes"), source, line, "Num Votes"),
        runtime=read_int(cell("runtime"), source, line, "Runtime (mins)"),
        year=year,
        genres=vocab.genres(cell("genres"), line),
        release_date=read_partial_date(cell("release_date"), source, line, "Release Date"),
        directors=tuple(read_names(cell("directors"))),
        position=read_int(cell("position"), source, line, "Position"),
        created=read_date(cell("created"), source, line, "Created"),
        description=cell("description").strip() or None,
    )


def read_imdb_csv(text: str, source: str = "<imdb>") -> ImdbExport:
    """Read an IMDb ratings or watchlist export (any header variant since 2017, columns by name, in
    English or as IMDb's Italian, German, French, Spanish or Portuguese sites write them)."""
    header, rows = csv_rows(text, source)
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
                raise InputError(f"{cell_place(source, row.line, 'Your Rating')}: empty")
    return ImdbExport(
        kind="watchlist" if is_watchlist else "ratings",
        header=tuple(header),
        rows=parsed,
        unmapped=vocab.unmapped,
    )
