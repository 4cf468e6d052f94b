"""One Wikidata row (or JSON line) read into its film: the ``WikidataFilm`` record, its ``SECTIONS``, and the
values' rules (dates and their precision, numbers, currencies, review scores). Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from marquee.errors import InputError
from marquee.formats.wikidata_items import (
    CURRENCIES,
    LABELS,
    REVIEWERS,
)
from marquee.records import Award, BoxOffice, ExternalScore, ReleaseDate, Runtime, describe_error

if TYPE_CHECKING:
    from marquee.formats.wikidata import Reader


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
IMDB = re.compile(r"^tt\d{5,12}$")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^[+]?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:]+(?:\.\d+)?Z?)?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_FRACTION = re.compile(r"^(\d+(?:\.\d+)?)\s*/\s*(\d+)$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


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


class Row:
    """One row (or JSON line) read into its film."""

    def __init__(self, reader: Reader, film: WikidataFilm, values: dict[str, Any], where: str) -> None:
        self.reader, self.film, self.values, self.where = reader, film, values, where

    def problem(self, message: str) -> None:
        self.reader.problems.append(f"{self.where}: {message}")

    def read(self) -> None:
        v, film = self.values, self.film
        item = text_value(v.get("item"), "item", self.where)
        if item:
            qid = _qid(item)
            if qid is None:
                raise InputError(f"{self.where}: item: not a Wikidata item (Q…) (got {item[:40]!r})")
            if film.qid is None:
                film.qid = qid
        title = text_value(v.get("title"), "title", self.where)
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
            text = text_value(value, site, self.where)
            if text:
                film.external_ids.setdefault(site, text)

    def label(self, value: Any, section: str) -> str | None:
        """A value's English label; an item id is looked up, and skipped (a problem) if unknown."""
        text = text_value(_scalar(value, "name"), section, self.where)
        if not text:
            return None
        qid = _qid(text)
        if qid is None:
            return text
        known = LABELS.get(qid)
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
        currency = _currency(text_value(currency_value, "currency", self.where))
        if currency is None:
            shown = f" {currency_value!r}" if currency_value else ""
            self.problem(f"box_office: {amount:,.0f} without a known currency{shown}; skipped")
            return
        box = self.valid(BoxOffice, "box_office", kind="box office", amount=round(amount), currency=currency)
        self.reader.put(self.film, "box_office", box)

    def release(self, value: Any) -> None:
        date_text = text_value(_scalar(value, "date"), "release_dates", self.where)
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
        text = text_value(_scalar(value, "score"), "scores", self.where) or ""
        by = value.get("by") if isinstance(value, dict) else self.values.get("by")
        count = value.get("count") if isinstance(value, dict) else self.values.get("count")
        source = text_value(by, "review_by", self.where) or ""
        qid = _qid(source)
        if qid is not None:
            source = REVIEWERS.get(qid, "")
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


def text_value(value: Any, name: str, where: str) -> str | None:
    """A text value of the row (numbers read as text), or None; anything else is refused."""
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
    return CURRENCIES.get(qid) if qid else CURRENCIES.get(text.lower())


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
