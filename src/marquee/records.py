"""The records at Marquee's centre: a film and the parts of its page.

Every section of a film's page (see ``tests/data/pages/mask-1985.txt``) has a field
here. Records import nothing else from the package: parsers, stores, the web app and the CLI
all speak in these types. The bounds the rules use are defined here and documented with every
other bound in ``marquee.limits`` (which re-exports them).

JSON keys are the field names (snake_case). Lists keep the page's order: the
order of ``cast`` is the billing order.

The rules every path into the store shares (page import, JSON lines, API writes) live here, as
constrained types checked by pydantic's core:

- ids (films, people, series) are safe in a URL path and a file name: ``IDS`` below, i.e. IMDb's
  ``tt…``/``nm…`` ids and slugs such as ``mask-1985`` (lowercase ASCII letters, digits, ``-``;
  at most 100 characters);
- text holds no control characters (names, titles and vocabulary none at all; prose may hold
  newlines and tabs) and at most ``MAX_FIELD_CHARS`` characters;
- counts are ≥ 0 and fit the store's 32-bit columns (``MAX_COUNT``), amounts fit 64 bits;
  ratings and scores are finite, ≥ 0 and within their scale; years lie in ``YEAR_RANGE``
  (people: ``PERSON_YEAR_RANGE``) and a series does not end before it starts.

``describe_error`` words a validation error as ``field.path: reason``; ``validate_stored`` reads
a record from stored data that an older version let through, dropping what the rules refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "ID_PATTERN",
    "MAX_COUNT",
    "MAX_FIELD_CHARS",
    "MAX_INT",
    "PERSON_YEAR_RANGE",
    "YEAR_RANGE",
    "AlternateTitle",
    "BoxOffice",
    "CastMember",
    "CrewMember",
    "EpisodeOf",
    "Film",
    "Goof",
    "Person",
    "PersonCredit",
    "PersonRef",
    "Quote",
    "QuoteLine",
    "Rating",
    "ReleaseDate",
    "Review",
    "Runtime",
    "Score",
    "describe_error",
    "is_safe_id",
    "validate_stored",
]

# --- the bounds (README, "Limits"; listed with the others in ``marquee.limits``) ------------------

MAX_FIELD_CHARS = 200_000
"""One text field: a storyline, a review, a trivia item, a title."""
MAX_INT = 2**63 - 1
"""Amounts (box office) are stored as 64-bit integers; no number read may exceed this."""
MAX_COUNT = 2**31 - 1
"""Counts stored as 32-bit integers: votes, minutes, season and episode numbers, rating scales."""
YEAR_RANGE = (1870, 2200)
"""Years a title or a release may carry (IMDb's oldest title is of 1874; "100 Years" is set for 2115)."""
PERSON_YEAR_RANGE = (1, 2200)
"""Years of a person's birth or death (IMDb's writers include authors of antiquity)."""

# --- the constrained types ---------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"
"""A film's or a person's id: ``tt0089560``, ``nm0000128``, ``mask-1985``, ``name-1f2e3d4c5b6a``."""
_ID = re.compile(ID_PATTERN)
# No C0/C1 control characters (nor DEL) at all: names, titles, vocabulary.
_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
# Prose may hold newlines, tabs and carriage returns, and no other control character.
_PROSE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
_PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# A one-line text (may be empty), a non-empty one, and prose (newlines allowed).
Line = Annotated[str, StringConstraints(max_length=MAX_FIELD_CHARS, pattern=_LINE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_FIELD_CHARS, pattern=_LINE_PATTERN)]
Prose = Annotated[str, StringConstraints(max_length=MAX_FIELD_CHARS, pattern=_PROSE_PATTERN)]
ProseText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_FIELD_CHARS, pattern=_PROSE_PATTERN)
]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]  # votes, minutes, season/episode: 32-bit columns
Money = Annotated[int, Field(ge=0, le=MAX_INT)]
Scale = Annotated[int, Field(gt=0, le=MAX_COUNT)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Year = Annotated[int, Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])]
PersonYear = Annotated[int, Field(ge=PERSON_YEAR_RANGE[0], le=PERSON_YEAR_RANGE[1])]


def _check_partial_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    if not YEAR_RANGE[0] <= parts[0] <= YEAR_RANGE[1]:
        raise PydanticCustomError(
            "year_range",
            "year {year} is outside {low}–{high}",
            {"year": parts[0], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
        )
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise PydanticCustomError("date_invalid", "month {month} does not exist", {"month": parts[1]})
    if len(parts) > 2:
        try:
            dt.date(*parts)
        except ValueError:
            raise PydanticCustomError(
                "date_invalid", "{date} is not a day of the calendar", {"date": value}
            ) from None
    return value


def _check_date(value: dt.date) -> dt.date:
    if not YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1]:
        raise PydanticCustomError(
            "year_range",
            "year {year} is outside {low}–{high}",
            {"year": value.year, "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
        )
    return value


# A partial ISO date: "1985", "1985-03" or "1985-03-08" (release dates are often
# known only to the year or month).
PartialDate = Annotated[
    str, StringConstraints(pattern=_PARTIAL_DATE_PATTERN), AfterValidator(_check_partial_date)
]
Date = Annotated[dt.date, AfterValidator(_check_date)]


def is_safe_id(value: str) -> bool:
    """Whether ``value`` is a valid film or person id (safe in a URL path and a file name)."""
    return _ID.fullmatch(value) is not None


def _within_scale(value: float, scale: int) -> None:
    if value > scale:
        raise PydanticCustomError(
            "above_scale",
            "value {value} is above the scale of {scale}",
            {"value": value, "scale": scale},
        )


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True, allow_inf_nan=False)


class Rating(_Record):
    """An aggregate rating as a site publishes it, e.g. 7.0 of 10 from 12,168 votes."""

    value: Amount
    scale: Scale = 10
    votes: Count | None = None

    @model_validator(mode="after")
    def _value_within_scale(self) -> Rating:
        _within_scale(self.value, self.scale)
        return self


class PersonRef(_Record):
    """A person named on a film's page: a director, a writer."""

    name: Text
    id: Id | None = Field(default=None, description="IMDb nm… id where known")


class CastMember(_Record):
    """One line of the cast: who played whom, and the name on screen if different."""

    name: Text
    character: Prose | None = None
    credited_as: Prose | None = Field(
        default=None, description="The name in the credits, e.g. 'Kelly Minter' for Kelly Jo Minter"
    )
    id: Id | None = Field(default=None, description="IMDb nm… id where known")


class CrewMember(_Record):
    """Crew other than directors and writers: producer, composer, editor…"""

    name: Text
    category: Text = Field(description="IMDb's category: producer, composer, cinematographer, editor…")
    job: Prose | None = None
    id: Id | None = None


class ReleaseDate(_Record):
    date: PartialDate | None = None
    country: Line | None = None
    note: Prose | None = Field(default=None, description="e.g. 'premiere', 'limited', a festival name")


class BoxOffice(_Record):
    kind: Text = Field(description="gross, budget, opening weekend, cumulative worldwide gross…")
    amount: Money
    currency: Text = Field(default="USD", description="ISO 4217 code, e.g. USD, EUR, GBP")
    country: Line | None = None


class Runtime(_Record):
    """A runtime for one country or cut; ``minutes`` is None when the page lost it."""

    minutes: Count | None = None
    country: Line | None = None
    note: Prose | None = Field(default=None, description="the cut, e.g. director's cut")


class Goof(_Record):
    category: Line | None = Field(default=None, description="IMDb's goof category, e.g. Anachronisms")
    text: ProseText


class QuoteLine(_Record):
    character: Prose | None = None
    direction: Prose | None = Field(default=None, description="stage direction, e.g. Poem")
    text: Prose = ""


class Quote(_Record):
    lines: list[QuoteLine] = Field(min_length=1)


class Score(_Record):
    """A reviewer's own score, e.g. 4.5 of 5."""

    value: Amount
    scale: Scale = 10

    @model_validator(mode="after")
    def _value_within_scale(self) -> Score:
        _within_scale(self.value, self.scale)
        return self


class Review(_Record):
    title: Prose | None = None
    body: Prose = ""
    score: Score | None = None
    author: Prose | None = None
    date: Date | None = None


class ExternalScore(_Record):
    """A score from another source, kept as what it is: a critics' percentage is not an IMDb rating."""

    source: Text = Field(description="who gives it: Rotten Tomatoes, Metacritic, Letterboxd, TMDB…")
    kind: Line = Field(default="critics", description="critics, audience, metascore or average")
    value: Amount
    scale: Scale = 100
    count: Count | None = Field(default=None, description="reviews or votes behind it")

    @model_validator(mode="after")
    def _value_within_scale(self) -> ExternalScore:
        _within_scale(self.value, self.scale)
        return self


class Award(_Record):
    """An award won or a nomination, e.g. Academy Award for Best Makeup, 1986, won."""

    name: Text
    category: Line | None = None
    year: Year | None = None
    outcome: Line = Field(default="won", description="won or nominated")


class AlternateTitle(_Record):
    """A title the film is known by in a region or language (IMDb's title.akas)."""

    title: Text
    region: Line | None = None
    language: Line | None = None
    types: list[Line] = Field(default_factory=list)
    attributes: list[Line] = Field(default_factory=list)
    is_original: bool = False


class EpisodeOf(_Record):
    """Where an episode sits in its series."""

    series_id: Id
    season: Count | None = None
    episode: Count | None = None


class Film(_Record):
    """Everything a film's page shows. ``id`` is the IMDb tt… id, or a slug."""

    id: Id
    title: Text
    original_title: Line | None = None
    kind: Line = Field(default="movie", description="IMDb titleType: movie, tvSeries, tvEpisode, short…")
    year: Year | None = None
    end_year: Year | None = Field(default=None, description="last year of a series")
    is_adult: bool = False
    published: Date | None = Field(default=None, description="the page's dated heading")
    outline: Prose | None = Field(default=None, description="one-line summary")
    plot: Prose | None = Field(default=None, description="the storyline")
    genres: list[Line] = Field(default_factory=list)
    rating: Rating | None = None
    directors: list[PersonRef] = Field(default_factory=list)
    writers: list[PersonRef] = Field(default_factory=list)
    stars: list[Line] = Field(default_factory=list)
    cast: list[CastMember] = Field(default_factory=list)
    crew: list[CrewMember] = Field(default_factory=list)
    taglines: list[Prose] = Field(default_factory=list)
    release_dates: list[ReleaseDate] = Field(default_factory=list)
    filming_locations: list[Prose] = Field(default_factory=list)
    box_office: list[BoxOffice] = Field(default_factory=list)
    runtimes: list[Runtime] = Field(default_factory=list)
    trivia: list[Prose] = Field(default_factory=list)
    goofs: list[Goof] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    alternate_titles: list[AlternateTitle] = Field(default_factory=list)
    episode_of: EpisodeOf | None = None
    countries: list[Line] = Field(default_factory=list, description="countries of origin, English names")
    languages: list[Line] = Field(default_factory=list, description="spoken languages, English names")
    scores: list[ExternalScore] = Field(default_factory=list, description="critics' and other sites' scores")
    awards: list[Award] = Field(default_factory=list)
    external_ids: dict[Line, Line] = Field(
        default_factory=dict, description="ids on other sites: wikidata, tmdb, letterboxd, rotten_tomatoes…"
    )
    sources: dict[Line, Line] = Field(
        default_factory=dict,
        description="section → where its value came from: imdb-datasets:DATE, page:FILE, wikidata:Q…, "
        "member:REVISION",
    )
    comments_open: bool = True

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Film:
        if self.end_year is not None and self.year is not None and self.end_year < self.year:
            raise PydanticCustomError(
                "end_before_start",
                "end_year: {end_year} is before year {year}",
                {"end_year": self.end_year, "year": self.year},
            )
        return self


class PersonCredit(_Record):
    """One line of a person's filmography."""

    title_id: Id
    title: Text
    year: Year | None = None
    kind: Line | None = None
    category: Text = Field(description="actor, actress, self, director, writer, producer…")
    character: Prose | None = None
    job: Prose | None = None


class Person(_Record):
    """A person: IMDb's name.basics plus their credits in the store."""

    id: Id
    name: Text
    birth_year: PersonYear | None = None
    death_year: PersonYear | None = None
    biography: Prose | None = None
    professions: list[Line] = Field(default_factory=list)
    known_for: list[Id] = Field(default_factory=list, description="tt… ids")
    credits: list[PersonCredit] = Field(default_factory=list)


# --- messages ----------------------------------------------------------------------------------------

_PATTERN_REASONS = {
    ID_PATTERN: "not a safe id (IMDb's tt…/nm… or a slug of a-z, 0-9 and '-', at most 100 characters)",
    _LINE_PATTERN: "holds a control character (none is allowed here, not even a newline or tab)",
    _PROSE_PATTERN: "holds a control character (only newlines and tabs are allowed)",
    _PARTIAL_DATE_PATTERN: "not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
}


def _reason(error: Any) -> str:
    """One validation problem in plain words."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"must be ≥ {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be ≤ {ctx['le']}"
    if kind == "greater_than":
        return f"must be > {ctx['gt']}"
    if kind == "finite_number":
        return "must be a finite number (not NaN or Infinity)"
    if kind == "string_too_long":
        return f"longer than {ctx['max_length']:,} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return _PATTERN_REASONS.get(str(ctx.get("pattern")), str(error["msg"]))
    if kind == "string_unicode":
        return "not valid Unicode text (a lone surrogate)"
    return str(error["msg"])


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_error(err: ValidationError) -> str:
    """The first problem of a validation error as ``field.path: reason (got VALUE)`` on one line."""
    errors = err.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    message = _reason(first)
    if first["type"] in _SHOWS_INPUT and not isinstance(first.get("input"), (dict, list)):
        message += f" (got {_shown(first['input'])})"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


_SHOWS_INPUT = frozenset(
    {"greater_than_equal", "less_than_equal", "greater_than", "finite_number", "string_pattern_mismatch"}
)


# --- reading what an older version stored --------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)
_DROP = object()  # a list entry to remove


def validate_stored(model: type[_M], data: dict[str, Any]) -> tuple[_M, list[str]]:
    """``model`` from stored data, repairing what the rules refuse; the record and what was repaired.

    A store written by an older version may hold values the rules now refuse (a negative count, a
    year of 99999, a control character). Reading never fails on them: text loses its control
    characters and is cut to ``MAX_FIELD_CHARS``; any other refused value is dropped (an optional
    field becomes None, a list entry or a sub-record goes); a stored id that is not safe is kept as
    it is, so the record can still be found, shown and deleted. Every repair is listed.
    """
    try:
        return model.model_validate(data), []
    except ValidationError:
        pass
    problems: list[str] = []
    stored_id = data.get("id")
    if isinstance(stored_id, str) and not is_safe_id(stored_id) and "id" in model.model_fields:
        problems.append(f"id: {_PATTERN_REASONS[ID_PATTERN]} (got {_shown(stored_id)}); kept as stored")
        data = {**data, "id": "unsafe-id"}
    else:
        stored_id = None
    for _round in range(64):
        try:
            record = model.model_validate(data)
        except ValidationError as err:
            for error in err.errors(include_url=False):
                data = _repair(model, data, tuple(error["loc"]), error, problems)
            data = _swept(data)
            continue
        if stored_id is not None:
            record = record.model_copy(update={"id": stored_id})
        return record, problems
    raise ValueError(f"cannot read the stored record: {problems[-3:]}")  # pragma: no cover


def _repair(model: type[BaseModel], data: Any, loc: tuple[Any, ...], error: Any, problems: list[str]) -> Any:
    """``data`` with the value at ``loc`` repaired or dropped (escalating to the parent if needed)."""
    where = ".".join(str(p) for p in loc) or model.__name__
    if error["type"] == "end_before_start":
        problems.append(f"{_reason(error)}; end_year dropped")
        return {**data, "end_year": None}
    if not loc:
        raise ValueError(f"cannot read the stored record: {_reason(error)}")
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    key = loc[-1]
    value = parent[key] if isinstance(parent, list) or key in parent else None
    if isinstance(value, str) and error["type"] in ("string_pattern_mismatch", "string_too_long"):
        fixed = _LINE_BREAKS.sub(" ", _CONTROLS.sub("", value)) if "control" in _reason(error) else value
        fixed = fixed[:MAX_FIELD_CHARS]
        if fixed != value and fixed:
            problems.append(f"{where}: {_reason(error)}; repaired")
            parent[key] = fixed
            return data
    if isinstance(parent, list):
        problems.append(f"{where}: {_reason(error)} (got {_shown(value)}); dropped")
        parent[key] = _DROP
        return data
    if value is not None:
        problems.append(f"{where}: {_reason(error)} (got {_shown(value)}); dropped")
        parent[key] = None
        return data
    if len(loc) == 1:  # a required top-level field with nothing usable: the record's own placeholder
        fallback = data.get("id") if key in ("title", "name") else "?"
        problems.append(f"{where}: {_reason(error)}; read as {fallback!r}")
        data[key] = fallback
        return data
    return _repair(model, data, loc[:-1], error, problems)  # None where None is refused: drop the parent


def _swept(data: Any) -> Any:
    """``data`` without the list entries marked for removal."""
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.values() if isinstance(node, dict) else node
        for child in list(items):
            if isinstance(child, list):
                child[:] = [c for c in child if c is not _DROP]
                stack.append(child)
            elif isinstance(child, dict):
                stack.append(child)
    return data
