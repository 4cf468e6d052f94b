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
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from marquee.errors import InputError
from marquee.formats.jsontext import JsonProblem, loads
from marquee.records import Award, BoxOffice, ExternalScore, ReleaseDate, Runtime, describe_error

__all__ = ["SECTIONS", "WikidataFile", "WikidataFilm", "parse_wikidata"]

SECTIONS = (
    "countries",
    "languages",
    "filming_locations",
    "box_office",
    "release_dates",
    "runtimes",
    "scores",
    "awards",
)
"""The film's sections Wikidata can fill, in the record's names."""

_ENTITY = re.compile(r"^(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9]\d{0,11})$")
_IMDB = re.compile(r"^tt\d{5,12}$")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^[+]?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:]+(?:\.\d+)?Z?)?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_FRACTION = re.compile(r"^(\d+(?:\.\d+)?)\s*/\s*(\d+)$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

# Labels of the most common values, for files that give item ids only (Wikidata, CC0).
_LABELS = {
    # countries (P495)
    "Q30": "United States",
    "Q145": "United Kingdom",
    "Q142": "France",
    "Q183": "Germany",
    "Q38": "Italy",
    "Q17": "Japan",
    "Q668": "India",
    "Q29": "Spain",
    "Q16": "Canada",
    "Q408": "Australia",
    "Q159": "Russia",
    "Q148": "People's Republic of China",
    "Q884": "South Korea",
    "Q155": "Brazil",
    "Q96": "Mexico",
    "Q34": "Sweden",
    "Q35": "Denmark",
    "Q20": "Norway",
    "Q33": "Finland",
    "Q55": "Netherlands",
    "Q31": "Belgium",
    "Q39": "Switzerland",
    "Q40": "Austria",
    "Q36": "Poland",
    "Q28": "Hungary",
    "Q213": "Czech Republic",
    "Q41": "Greece",
    "Q43": "Turkey",
    "Q794": "Iran",
    "Q8646": "Hong Kong",
    "Q865": "Taiwan",
    "Q414": "Argentina",
    "Q15180": "Soviet Union",
    "Q27": "Ireland",
    "Q664": "New Zealand",
    "Q258": "South Africa",
    "Q79": "Egypt",
    "Q801": "Israel",
    "Q45": "Portugal",
    "Q218": "Romania",
    "Q713750": "West Germany",
    "Q212": "Ukraine",
    "Q928": "Philippines",
    "Q869": "Thailand",
    "Q252": "Indonesia",
    "Q403": "Serbia",
    "Q33946": "Czechoslovakia",
    "Q36704": "Yugoslavia",
    # languages (P364)
    "Q1860": "English",
    "Q150": "French",
    "Q188": "German",
    "Q652": "Italian",
    "Q1321": "Spanish",
    "Q5287": "Japanese",
    "Q7737": "Russian",
    "Q7850": "Chinese",
    "Q9192": "Mandarin Chinese",
    "Q9186": "Cantonese",
    "Q9176": "Korean",
    "Q1568": "Hindi",
    "Q5146": "Portuguese",
    "Q9027": "Swedish",
    "Q9035": "Danish",
    "Q9043": "Norwegian",
    "Q1412": "Finnish",
    "Q7411": "Dutch",
    "Q9288": "Hebrew",
    "Q13955": "Arabic",
    "Q9168": "Persian",
    "Q256": "Turkish",
    "Q9056": "Czech",
    "Q809": "Polish",
    "Q9067": "Hungarian",
    "Q8798": "Ukrainian",
    "Q5885": "Tamil",
    "Q8097": "Telugu",
    "Q36236": "Malayalam",
    "Q9610": "Bengali",
    "Q9217": "Thai",
    "Q7913": "Romanian",
    "Q397": "Latin",
    "Q9129": "Greek",
    "Q9240": "Indonesian",
    "Q34057": "Tagalog",
}
# Currencies of box office amounts (P2142's unit): item ids and English labels to ISO 4217.
_CURRENCIES = {
    "Q4917": "USD",
    "Q4916": "EUR",
    "Q25224": "GBP",
    "Q8146": "JPY",
    "Q1104069": "CAD",
    "Q259502": "AUD",
    "Q80524": "INR",
    "Q39099": "CNY",
    "Q202040": "KRW",
    "Q25344": "CHF",
    "Q122922": "SEK",
    "Q132643": "NOK",
    "Q25417": "DKK",
    "Q173117": "BRL",
    "Q41044": "RUB",
    "Q31015": "HKD",
    "united states dollar": "USD",
    "us dollar": "USD",
    "euro": "EUR",
    "pound sterling": "GBP",
    "japanese yen": "JPY",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "indian rupee": "INR",
    "renminbi": "CNY",
    "south korean won": "KRW",
    "swiss franc": "CHF",
    "swedish krona": "SEK",
    "norwegian krone": "NOK",
    "danish krone": "DKK",
    "brazilian real": "BRL",
    "russian ruble": "RUB",
    "hong kong dollar": "HKD",
}
# Reviewers (P447) by item id, and the kind of score each gives.
_REVIEWERS = {"Q105584": "Rotten Tomatoes", "Q150248": "Metacritic"}
_EXTERNAL_IDS = {
    "rottentomatoesid": "rotten_tomatoes",
    "p1258": "rotten_tomatoes",
    "metacriticid": "metacritic",
    "p1712": "metacritic",
    "tmdbid": "tmdb",
    "tmdbmovieid": "tmdb",
    "p4947": "tmdb",
    "letterboxdid": "letterboxd",
    "letterboxdfilmid": "letterboxd",
    "p6127": "letterboxd",
}

# Canonical field → the keys it is known by (normalised: lowercase, no "_" or "-").
_ALIASES: dict[str, tuple[str, ...]] = {
    "imdb": ("imdb", "imdbid", "p345"),
    "item": ("film", "item", "wikidataid", "wikidata", "qid"),
    "title": ("filmlabel", "itemlabel", "label", "title"),
    "countries": ("countrylabel", "country", "countryoforigin", "countryoforiginlabel", "countries", "p495"),
    "languages": (
        "languagelabel",
        "language",
        "originallanguage",
        "originallanguagelabel",
        "languages",
        "p364",
    ),
    "filming_locations": (
        "locationlabel",
        "location",
        "filminglocation",
        "filminglocationlabel",
        "filminglocations",
        "p915",
    ),
    "box_office": ("boxoffice", "p2142"),
    "currency": ("currencylabel", "currency", "boxofficecurrency", "boxofficecurrencylabel", "unit"),
    "release_dates": ("publicationdate", "releasedate", "releasedates", "p577"),
    "place": (
        "placelabel",
        "place",
        "publicationplace",
        "publicationplacelabel",
        "releasecountry",
        "p291",
    ),
    "precision": ("precision", "dateprecision", "publicationdateprecision"),
    "runtimes": ("duration", "runtime", "p2047"),
    "scores": ("reviewscore", "score", "scores", "p444"),
    "by": ("reviewbylabel", "reviewby", "reviewerlabel", "reviewer", "p447"),
    "count": ("reviewcount", "numberofreviews", "p7887"),
    "awards": ("awardlabel", "award", "awards", "awardreceived", "awardreceivedlabel", "p166"),
    "award_year": ("awardyear",),
    "nominations": (
        "nominationlabel",
        "nomination",
        "nominations",
        "nominatedfor",
        "nominatedforlabel",
        "p1411",
    ),
    "nomination_year": ("nominationyear",),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


@dataclass
class WikidataFilm:
    """What Wikidata says of one film (lists without repeats, in the order first seen)."""

    imdb_id: str
    line: int
    qid: str | None = None
    title: str | None = None
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    filming_locations: list[str] = field(default_factory=list)
    box_office: list[BoxOffice] = field(default_factory=list)
    release_dates: list[ReleaseDate] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    scores: list[ExternalScore] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)

    def section(self, name: str) -> list[Any]:
        """One of ``SECTIONS`` by name."""
        value: list[Any] = getattr(self, name)
        return value


@dataclass
class WikidataFile:
    """A whole file: its films by IMDb id (in the order first seen), rows read and what was skipped."""

    films: list[WikidataFilm]
    rows: int
    problems: list[str]
    layout: str


def parse_wikidata(raw: bytes, source: str) -> WikidataFile:
    """Read a Wikidata file's bytes (see the module's doc); ``InputError`` names file, line and field."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{source}:{line}: not UTF-8 text") from None
    reader = _Reader(source)
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
        if not any(_FIELD_OF.get(_normal(name)) == "imdb" for name in header):
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


class _Reader:
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
            name = _FIELD_OF.get(normal)
            if name is None:
                site = _EXTERNAL_IDS.get(normal)
                if site is not None and value not in (None, ""):
                    values.setdefault("ids", {})[site] = value
                continue
            order = _ALIASES[name].index(normal)
            if (
                value is not None
                and value != ""
                and value != []
                and order < rank.get(name, len(_ALIASES[name]))
            ):
                values[name], rank[name] = value, order
        imdb = _text(values.get("imdb"), "imdb", where)
        if not imdb:
            raise InputError(f"{where}: imdb: no IMDb id (P345): every row needs one")
        if not _IMDB.match(imdb):
            raise InputError(f"{where}: imdb: not an IMDb title id (tt…) (got {imdb[:40]!r})")
        film = self.films.get(imdb)
        if film is None:
            film = self.films[imdb] = WikidataFilm(imdb_id=imdb, line=line)
        _Row(self, film, values, where).read()

    def put(self, film: WikidataFilm, section: str, item: Any) -> None:
        """Add ``item`` to a section unless it is there already."""
        key = item.model_dump_json() if isinstance(item, BaseModel) else str(item)
        seen = self._seen.setdefault((film.imdb_id, section), set())
        if key not in seen:
            seen.add(key)
            film.section(section).append(item)


class _Row:
    """One row (or JSON line) read into its film."""

    def __init__(self, reader: _Reader, film: WikidataFilm, values: dict[str, Any], where: str) -> None:
        self.reader, self.film, self.values, self.where = reader, film, values, where

    def problem(self, message: str) -> None:
        self.reader.problems.append(f"{self.where}: {message}")

    def read(self) -> None:
        v, film = self.values, self.film
        item = _text(v.get("item"), "item", self.where)
        if item:
            qid = _qid(item)
            if qid is None:
                raise InputError(f"{self.where}: item: not a Wikidata item (Q…) (got {item[:40]!r})")
            if film.qid is None:
                film.qid = qid
        title = _text(v.get("title"), "title", self.where)
        if title and film.title is None and _qid(title) is None:
            film.title = title
        for section in ("countries", "languages", "filming_locations"):
            for value in _many(v.get(section)):
                name = self.label(value, section)
                if name:
                    self.reader.put(film, section, name)
        for value in _many(v.get("box_office")):
            self.box_office(value)
        for value in _many(v.get("release_dates")):
            self.release(value)
        for value in _many(v.get("runtimes")):
            minutes = _number(_scalar(value, "minutes"), "runtimes", self.where)
            self.reader.put(film, "runtimes", self.valid(Runtime, "runtimes", minutes=round(minutes)))
        for value in _many(v.get("scores")):
            self.score(value)
        for section, outcome in (("awards", "won"), ("nominations", "nominated")):
            for value in _many(v.get(section)):
                self.award(
                    value,
                    outcome,
                    v.get(f"{section[:-1]}_year" if section == "awards" else "nomination_year"),
                )
        for site, value in (v.get("ids") or {}).items():
            text = _text(value, site, self.where)
            if text:
                film.external_ids.setdefault(site, text)

    def label(self, value: Any, section: str) -> str | None:
        """A value's English label; an item id is looked up, and skipped (a problem) if unknown."""
        text = _text(_scalar(value, "name"), section, self.where)
        if not text:
            return None
        qid = _qid(text)
        if qid is None:
            return text
        known = _LABELS.get(qid)
        if known is None:
            self.problem(f"{section}: {qid} has no English label here (ask the query for its label); skipped")
        return known

    def valid(self, model: type[BaseModel], section: str, **data: Any) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as err:
            raise InputError(f"{self.where}: {section}: {describe_error(err)}") from None

    def box_office(self, value: Any) -> None:
        currency_value = value.get("currency") if isinstance(value, dict) else self.values.get("currency")
        amount = _number(_scalar(value, "amount"), "box_office", self.where)
        currency = _currency(_text(currency_value, "currency", self.where))
        if currency is None:
            shown = f" {currency_value!r}" if currency_value else ""
            self.problem(f"box_office: {amount:,.0f} without a known currency{shown}; skipped")
            return
        box = self.valid(BoxOffice, "box_office", kind="box office", amount=round(amount), currency=currency)
        self.reader.put(self.film, "box_office", box)

    def release(self, value: Any) -> None:
        date_text = _text(_scalar(value, "date"), "release_dates", self.where)
        place = value.get("country") if isinstance(value, dict) else self.values.get("place")
        precision = value.get("precision") if isinstance(value, dict) else self.values.get("precision")
        match = _DATE.match(date_text or "")
        if match is None:
            raise InputError(f"{self.where}: release_dates: not a date (got {str(date_text)[:40]!r})")
        year, month, day = match.groups()
        level = int(_number(precision, "precision", self.where)) if precision not in (None, "") else None
        if level is None and month == "01" and day == "01":
            level = 9  # the query service writes a year as YYYY-01-01
        if level is not None and level < 9:  # a decade or a century: no year to give
            self.problem(f"release_dates: {date_text} is known only to the decade or century; skipped")
            return
        parts = [year, month, day][: {9: 1, 10: 2}.get(level or 11, 3)]
        date = "-".join(p for p in parts if p)
        country = self.label(place, "place") if place not in (None, "") else None
        self.reader.put(
            self.film, "release_dates", self.valid(ReleaseDate, "release_dates", date=date, country=country)
        )

    def score(self, value: Any) -> None:
        text = _text(_scalar(value, "score"), "scores", self.where) or ""
        by = value.get("by") if isinstance(value, dict) else self.values.get("by")
        count = value.get("count") if isinstance(value, dict) else self.values.get("count")
        source = _text(by, "review_by", self.where) or ""
        qid = _qid(source)
        if qid is not None:
            source = _REVIEWERS.get(qid, "")
        if not source:
            self.problem(f"scores: {text!r} without a known reviewer (P447); skipped")
            return
        parsed = _score(text.strip(), source)
        if parsed is None:
            self.problem(f"scores: {text[:40]!r} by {source} is not a number, N% or N/M; skipped")
            return
        kind, number, scale = parsed
        reviews = round(_number(count, "review_count", self.where)) if count not in (None, "") else None
        try:
            score = ExternalScore(source=source, kind=kind, value=number, scale=scale, count=reviews)
        except ValidationError as err:
            self.problem(f"scores: {text[:40]!r} by {source}: {describe_error(err)}; skipped")
            return
        self.reader.put(self.film, "scores", score)

    def award(self, value: Any, outcome: str, year_value: Any) -> None:
        name = self.label(value, "awards")
        if not name:
            return
        if isinstance(value, dict):
            year_value = value.get("year")
        year = None
        if year_value not in (None, ""):
            match = _DATE.match(str(year_value).strip())
            if match is None:
                raise InputError(
                    f"{self.where}: awards: year: not a year or date (got {str(year_value)[:40]!r})"
                )
            year = int(match.group(1))
        award = self.valid(Award, "awards", name=name, year=year, outcome=outcome)
        self.reader.put(self.film, "awards", award)


def _many(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _scalar(value: Any, key: str) -> Any:
    """A list item's value: itself, or its ``key`` when it is an object (without one: the object, refused)."""
    return value.get(key, value) if isinstance(value, dict) else value


def _text(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"{where}: {name}: not a text value (got {type(value).__name__})")
    return str(value).strip() or None


def _qid(text: str) -> str | None:
    match = _ENTITY.match(text.strip())
    return match.group(1) if match else None


def _number(value: Any, name: str, where: str) -> float:
    """A number ≥ 0 from a JSON number or its text (``+42400000``, ``1.2E7``)."""
    if isinstance(value, bool):
        raise InputError(f"{where}: {name}: not a number (got {value!r})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(f"{where}: {name}: not a number (got {str(value)[:40]!r})") from None
    if not number.is_finite() or number < 0 or number > 2**63 - 1:
        raise InputError(f"{where}: {name}: must be a number from 0 to 2^63 - 1 (got {str(value)[:40]!r})")
    return float(number)


def _currency(text: str | None) -> str | None:
    if not text:
        return None
    if _CURRENCY_CODE.match(text):
        return text
    qid = _qid(text)
    return _CURRENCIES.get(qid) if qid else _CURRENCIES.get(text.lower())


def _score(text: str, source: str) -> tuple[str, float, int] | None:
    """``(kind, value, scale)`` of a review score's text, or None if it is not a number, % or N/M."""
    if match := _PERCENT.match(text):
        return "critics", float(match.group(1)), 100
    if match := _FRACTION.match(text):
        value, scale = float(match.group(1)), int(match.group(2))
        if scale <= 0:
            return None
        kind = "metascore" if source == "Metacritic" else "average"
        return kind, value, scale
    if _NUMBER.match(text) and source == "Metacritic":
        return "metascore", float(text), 100
    return None
