"""The records at Marquee's centre: a film and the parts of its page.

Every section of a film's page (see ``tests/data/pages/mask-1985.txt``) has a field
here. Records import nothing else from the package but other records modules: parsers, stores, the
web app and the CLI all speak in these types. The bounds the rules use are defined in
``records_rules`` and documented with every other bound in ``marquee.limits`` (which re-exports them).

JSON keys are the field names (snake_case). Lists keep the page's order: the
order of ``cast`` is the billing order.

The rules every path into the store shares (page import, JSON lines, API writes) are constrained
types checked by pydantic's core (``records_rules``): ids safe in a URL path and a file name, text
without control characters, counts and years within their bounds; a series does not end before it
starts (here, on ``Film``). ``describe_error`` and ``validate_stored`` are in ``records_stored``. This
module re-exports both modules' public names.
"""

from __future__ import annotations

from pydantic import (
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from marquee.records_rules import (
    ID_PATTERN,
    MAX_COUNT,
    MAX_FIELD_CHARS,
    MAX_INT,
    PERSON_YEAR_RANGE,
    YEAR_RANGE,
    Amount,
    Count,
    Date,
    Id,
    Line,
    Money,
    PartialDate,
    PersonYear,
    Prose,
    ProseText,
    Record,
    Scale,
    Text,
    Year,
    is_safe_id,
    within_scale,
)
from marquee.records_stored import describe_error, validate_stored

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


class Rating(Record):
    """An aggregate rating as a site publishes it, e.g. 7.0 of 10 from 12,168 votes."""

    value: Amount
    scale: Scale = 10
    votes: Count | None = None

    @model_validator(mode="after")
    def _value_within_scale(self) -> Rating:
        within_scale(self.value, self.scale)
        return self


class PersonRef(Record):
    """A person named on a film's page: a director, a writer."""

    name: Text
    id: Id | None = Field(default=None, description="IMDb nm… id where known")


class CastMember(Record):
    """One line of the cast: who played whom, and the name on screen if different."""

    name: Text
    character: Prose | None = None
    credited_as: Prose | None = Field(
        default=None, description="The name in the credits, e.g. 'Kelly Minter' for Kelly Jo Minter"
    )
    id: Id | None = Field(default=None, description="IMDb nm… id where known")


class CrewMember(Record):
    """Crew other than directors and writers: producer, composer, editor…"""

    name: Text
    category: Text = Field(description="IMDb's category: producer, composer, cinematographer, editor…")
    job: Prose | None = None
    id: Id | None = None


class ReleaseDate(Record):
    date: PartialDate | None = None
    country: Line | None = None
    note: Prose | None = Field(default=None, description="e.g. 'premiere', 'limited', a festival name")


class BoxOffice(Record):
    kind: Text = Field(description="gross, budget, opening weekend, cumulative worldwide gross…")
    amount: Money
    currency: Text = Field(default="USD", description="ISO 4217 code, e.g. USD, EUR, GBP")
    country: Line | None = None


class Runtime(Record):
    """A runtime for one country or cut; ``minutes`` is None when the page lost it."""

    minutes: Count | None = None
    country: Line | None = None
    note: Prose | None = Field(default=None, description="the cut, e.g. director's cut")


class Goof(Record):
    category: Line | None = Field(default=None, description="IMDb's goof category, e.g. Anachronisms")
    text: ProseText


class QuoteLine(Record):
    character: Prose | None = None
    direction: Prose | None = Field(default=None, description="stage direction, e.g. Poem")
    text: Prose = ""


class Quote(Record):
    lines: list[QuoteLine] = Field(min_length=1)


class Score(Record):
    """A reviewer's own score, e.g. 4.5 of 5."""

    value: Amount
    scale: Scale = 10

    @model_validator(mode="after")
    def _value_within_scale(self) -> Score:
        within_scale(self.value, self.scale)
        return self


class Review(Record):
    title: Prose | None = None
    body: Prose = ""
    score: Score | None = None
    author: Prose | None = None
    date: Date | None = None


class ExternalScore(Record):
    """A score from another source, kept as what it is: a critics' percentage is not an IMDb rating."""

    source: Text = Field(description="who gives it: Rotten Tomatoes, Metacritic, Letterboxd, TMDB…")
    kind: Line = Field(default="critics", description="critics, audience, metascore or average")
    value: Amount
    scale: Scale = 100
    count: Count | None = Field(default=None, description="reviews or votes behind it")

    @model_validator(mode="after")
    def _value_within_scale(self) -> ExternalScore:
        within_scale(self.value, self.scale)
        return self


class Award(Record):
    """An award won or a nomination, e.g. Academy Award for Best Makeup, 1986, won."""

    name: Text
    category: Line | None = None
    year: Year | None = None
    outcome: Line = Field(default="won", description="won or nominated")


class AlternateTitle(Record):
    """A title the film is known by in a region or language (IMDb's title.akas)."""

    title: Text
    region: Line | None = None
    language: Line | None = None
    types: list[Line] = Field(default_factory=list)
    attributes: list[Line] = Field(default_factory=list)
    is_original: bool = False


class EpisodeOf(Record):
    """Where an episode sits in its series."""

    series_id: Id
    season: Count | None = None
    episode: Count | None = None


class Film(Record):
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


class PersonCredit(Record):
    """One line of a person's filmography."""

    title_id: Id
    title: Text
    year: Year | None = None
    kind: Line | None = None
    category: Text = Field(description="actor, actress, self, director, writer, producer…")
    character: Prose | None = None
    job: Prose | None = None


class Person(Record):
    """A person: IMDb's name.basics plus their credits in the store."""

    id: Id
    name: Text
    birth_year: PersonYear | None = None
    death_year: PersonYear | None = None
    biography: Prose | None = None
    professions: list[Line] = Field(default_factory=list)
    known_for: list[Id] = Field(default_factory=list, description="tt… ids")
    credits: list[PersonCredit] = Field(default_factory=list)
