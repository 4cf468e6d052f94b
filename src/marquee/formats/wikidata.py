"""Wikidata film data, read from JSON lines or a SPARQL result (JSON or CSV), keyed by IMDb id.

Pure: no I/O. ``parse_wikidata(raw, source)`` takes the file's bytes and gives one ``WikidataFilm``
per IMDb id (P345), with what Wikidata says of it:

===================  ==================================================================================
section              columns / keys (case, ``_`` and ``-`` ignored; SPARQL's ``…Label`` accepted)
===================  ==================================================================================
IMDb id (required)   ``imdb``, ``imdb_id``, ``P345``
Wikidata item        ``film``, ``item``, ``wikidata_id``, ``qid`` (an entity URI or ``Q…``)
title                ``filmLabel``, ``itemLabel``, ``label``, ``title`` (used only to create a film)
countries (P495)     ``country``, ``country_of_origin``, ``countries``
languages (P364)     ``language``, ``original_language``, ``languages``
filming (P915)       ``location``, ``filming_location``, ``filming_locations``
box office (P2142)   ``box_office`` with ``currency`` (ISO code, currency item or its English label)
release (P577)       ``publication_date`` / ``release_date`` with ``place`` (P291), ``precision``
runtime (P2047)      ``duration``, ``runtime`` (minutes)
scores (P444)        ``review_score`` with ``review_by`` (P447) and ``review_count`` (P7887)
awards (P166)        ``award`` (``award_received``) with ``award_year`` (P585)
nominations (P1411)  ``nomination`` (``nominated_for``) with ``nomination_year``
other ids            ``rotten_tomatoes_id`` (P1258), ``metacritic_id`` (P1712), ``tmdb_id`` (P4947),
                     ``letterboxd_id`` (P6127)
===================  ==================================================================================

The formats, told apart by their first character: JSON lines (one object per line; a value may be
one value or a list, and a list item of box office, release dates, scores or awards may be an object
such as ``{"amount": 42400000, "currency": "USD"}``); SPARQL's JSON results (``{"head": …,
"results": {"bindings": […]}}``) or query.wikidata.org's plain JSON download (an array of flat
objects); or CSV with a header. A SPARQL result has a row per combination of values: rows of one
film are merged, each fact kept once, in the order first seen. Other columns (genre, director…) are
ignored.

What is refused (``InputError``, ``FILE:LINE: field: reason``; the whole file is refused): text that
is not UTF-8, JSON or CSV; a row without an IMDb id, or with one that is not ``tt…``; a Wikidata
item that is not ``Q…``; numbers that are not numbers (box office, runtime, counts, years); values
the record's rules refuse (a date of 30 February). What is skipped and listed in ``problems``: a
value given only as an item id with no English label (the query should ask for its label; the
most common countries, languages and currencies are known here), a box office without a known
currency, a score whose text is not a number, ``%`` or ``N/M``.

A publication date of 1 January without a ``precision`` column is read as the year only: the
query service writes a date known only to the year as ``YYYY-01-01``, so a day would be invented.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import BaseModel

from marquee.errors import InputError
from marquee.formats.jsontext import JsonProblem, loads
from marquee.formats.wikidata_items import (
    ALIASES,
    EXTERNAL_IDS,
    FIELD_OF,
)
from marquee.formats.wikidata_row import IMDB, SECTIONS, Row, WikidataFile, WikidataFilm, text_value

__all__ = ["SECTIONS", "Reader", "WikidataFile", "WikidataFilm", "parse_wikidata"]


def parse_wikidata(raw: bytes, source: str) -> WikidataFile:
    """Read a Wikidata file's bytes (see the module's doc); ``InputError`` names file, line and field."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{source}:{line}: not UTF-8 text") from None
    reader = Reader(source)
    start = text.lstrip()[:1]
    if not start:
        raise InputError(f"{source}: empty: no films")
    if start == "[" or (start == "{" and _is_sparql_json(text)):
        layout = "SPARQL JSON"
        for number, row in _json_document_rows(text, source):
            reader.add(row, number, where=f"{source}: result {number}")
    elif start == "{":
        layout = "JSON lines"
        # Split on newlines only: a JSON string may hold U+2028 and other characters splitlines() cuts at.
        for number, text_line in enumerate(text.split("\n"), 1):
            if text_line.strip():
                reader.add(_json_line(text_line, source, number), number, where=f"{source}:{number}")
    else:
        layout = "CSV"
        for number, row in _csv_rows(text, source):
            reader.add(row, number, where=f"{source}:{number}")
    if not reader.films:
        raise InputError(f"{source}: no films (no row with an IMDb id)")
    return WikidataFile(list(reader.films.values()), reader.rows, reader.problems, layout)


# --- the three layouts to rows ---------------------------------------------------------------------


def _is_sparql_json(text: str) -> bool:
    head = text.lstrip()[:200]
    return '"head"' in head or '"results"' in head


def _json_document_rows(text: str, source: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows of SPARQL's JSON results, or of query.wikidata.org's plain JSON array."""
    try:
        document = loads(text)
    except JsonProblem as exc:
        raise InputError(f"{source}:{exc.line}: {exc.reason}") from None
    if isinstance(document, dict):
        results = document.get("results")
        bindings = results.get("bindings") if isinstance(results, dict) else None
        if not isinstance(bindings, list):
            raise InputError(f"{source}: not a SPARQL result: no results.bindings list")
        rows = []
        for number, binding in enumerate(bindings, 1):
            if not isinstance(binding, dict):
                raise InputError(f"{source}: result {number}: not an object")
            rows.append((number, {key: _binding_value(value) for key, value in binding.items()}))
        return rows
    if not isinstance(document, list) or not all(isinstance(row, dict) for row in document):
        raise InputError(f"{source}: not a SPARQL result: an array of objects was expected")
    return list(enumerate(document, 1))


def _binding_value(value: Any) -> Any:
    """A SPARQL JSON binding (``{"type": "uri", "value": …}``) as its value."""
    return value.get("value") if isinstance(value, dict) else value


def _json_line(line: str, source: str, number: int) -> dict[str, Any]:
    try:
        value = loads(line)
    except JsonProblem as exc:
        raise InputError(f"{source}:{number}: {exc.reason}") from None
    if not isinstance(value, dict):
        raise InputError(f"{source}:{number}: not a JSON object (one film per line)")
    return value


def _csv_rows(text: str, source: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        if not any(FIELD_OF.get(_normal(name)) == "imdb" for name in header):
            raise InputError(
                f"{source}:1: not JSON, and not CSV with an IMDb id column (imdb, imdb_id or P345)"
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise InputError(f"{source}:{reader.line_num}: {len(cells)} cells for {len(header)} columns")
            rows.append((reader.line_num, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise InputError(f"{source}:{reader.line_num}: not valid CSV ({exc})") from None
    return rows


def _normal(key: str) -> str:
    return key.strip().lower().replace("_", "").replace("-", "").replace(" ", "")


# --- rows to films ---------------------------------------------------------------------------------


class Reader:
    """Merges rows into films by IMDb id."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.films: dict[str, WikidataFilm] = {}
        self.rows = 0
        self.problems: list[str] = []
        self._seen: dict[tuple[str, str], set[str]] = {}

    def add(self, row: dict[str, Any], line: int, *, where: str) -> None:
        self.rows += 1
        values: dict[str, Any] = {}
        rank: dict[str, int] = {}  # which alias gave the value: a label beats the item it names
        for key, value in row.items():
            normal = _normal(str(key))
            name = FIELD_OF.get(normal)
            if name is None:
                site = EXTERNAL_IDS.get(normal)
                if site is not None and value not in (None, ""):
                    values.setdefault("ids", {})[site] = value
                continue
            order = ALIASES[name].index(normal)
            if (
                value is not None
                and value != ""
                and value != []
                and order < rank.get(name, len(ALIASES[name]))
            ):
                values[name], rank[name] = value, order
        imdb = text_value(values.get("imdb"), "imdb", where)
        if not imdb:
            raise InputError(f"{where}: imdb: no IMDb id (P345): every row needs one")
        if not IMDB.match(imdb):
            raise InputError(f"{where}: imdb: not an IMDb title id (tt…) (got {imdb[:40]!r})")
        film = self.films.get(imdb)
        if film is None:
            film = self.films[imdb] = WikidataFilm(imdb_id=imdb, line=line)
        Row(self, film, values, where).read()

    def put(self, film: WikidataFilm, section: str, item: Any) -> None:
        """Add ``item`` to a section unless it is there already."""
        key = item.model_dump_json() if isinstance(item, BaseModel) else str(item)
        seen = self._seen.setdefault((film.imdb_id, section), set())
        if key not in seen:
            seen.add(key)
            film.section(section).append(item)
