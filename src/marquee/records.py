"""The records at Marquee's centre: a film and the parts of its page.

Every section of a film's page (see ``tests/data/pages/mask-1985.txt``) has a field
here. Records import nothing else from the package: parsers, stores, the web app
and the CLI all speak in these types.

JSON keys are the field names (snake_case). Lists keep the page's order: the
order of ``cast`` is the billing order.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
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
]

# A partial ISO date: "1985", "1985-03" or "1985-03-08" (release dates are often
# known only to the year or month).
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Rating(_Record):
    """An aggregate rating as a site publishes it, e.g. 7.0 of 10 from 12,168 votes."""

    value: float = Field(ge=0)
    scale: int = Field(default=10, gt=0)
    votes: int | None = Field(default=None, ge=0)


class PersonRef(_Record):
    """A person named on a film's page: a director, a writer."""

    name: Text
    id: str | None = Field(default=None, description="IMDb nm… id where known")


class CastMember(_Record):
    """One line of the cast: who played whom, and the name on screen if different."""

    name: Text
    character: str | None = None
    credited_as: str | None = Field(
        default=None, description="The name in the credits, e.g. 'Kelly Minter' for Kelly Jo Minter"
    )
    id: str | None = Field(default=None, description="IMDb nm… id where known")


class CrewMember(_Record):
    """Crew other than directors and writers: producer, composer, editor…"""

    name: Text
    category: Text = Field(description="IMDb's category: producer, composer, cinematographer, editor…")
    job: str | None = None
    id: str | None = None


class ReleaseDate(_Record):
    date: PartialDate | None = None
    country: str | None = None
    note: str | None = Field(default=None, description="e.g. 'premiere', 'limited', a festival name")


class BoxOffice(_Record):
    kind: Text = Field(description="gross, budget, opening weekend, cumulative worldwide gross…")
    amount: int = Field(ge=0)
    currency: Text = Field(default="USD", description="ISO 4217 code, e.g. USD, EUR, GBP")
    country: str | None = None


class Runtime(_Record):
    """A runtime for one country or cut; ``minutes`` is None when the page lost it."""

    minutes: int | None = Field(default=None, ge=0)
    country: str | None = None
    note: str | None = Field(default=None, description="the cut, e.g. director's cut")


class Goof(_Record):
    category: str | None = Field(default=None, description="IMDb's goof category, e.g. Anachronisms")
    text: Text


class QuoteLine(_Record):
    character: str | None = None
    direction: str | None = Field(default=None, description="stage direction, e.g. Poem")
    text: str = ""


class Quote(_Record):
    lines: list[QuoteLine] = Field(min_length=1)


class Score(_Record):
    """A reviewer's own score, e.g. 4.5 of 5."""

    value: float = Field(ge=0)
    scale: int = Field(default=10, gt=0)


class Review(_Record):
    title: str | None = None
    body: str = ""
    score: Score | None = None
    author: str | None = None
    date: dt.date | None = None


class AlternateTitle(_Record):
    """A title the film is known by in a region or language (IMDb's title.akas)."""

    title: Text
    region: str | None = None
    language: str | None = None
    types: list[str] = Field(default_factory=list)
    attributes: list[str] = Field(default_factory=list)
    is_original: bool = False


class EpisodeOf(_Record):
    """Where an episode sits in its series."""

    series_id: Text
    season: int | None = None
    episode: int | None = None


class Film(_Record):
    """Everything a film's page shows. ``id`` is the IMDb tt… id, or a slug."""

    id: Text
    title: Text
    original_title: str | None = None
    kind: str = Field(default="movie", description="IMDb titleType: movie, tvSeries, tvEpisode, short…")
    year: int | None = None
    end_year: int | None = Field(default=None, description="last year of a series")
    is_adult: bool = False
    published: dt.date | None = Field(default=None, description="the page's dated heading")
    outline: str | None = Field(default=None, description="one-line summary")
    plot: str | None = Field(default=None, description="the storyline")
    genres: list[str] = Field(default_factory=list)
    rating: Rating | None = None
    directors: list[PersonRef] = Field(default_factory=list)
    writers: list[PersonRef] = Field(default_factory=list)
    stars: list[str] = Field(default_factory=list)
    cast: list[CastMember] = Field(default_factory=list)
    crew: list[CrewMember] = Field(default_factory=list)
    taglines: list[str] = Field(default_factory=list)
    release_dates: list[ReleaseDate] = Field(default_factory=list)
    filming_locations: list[str] = Field(default_factory=list)
    box_office: list[BoxOffice] = Field(default_factory=list)
    runtimes: list[Runtime] = Field(default_factory=list)
    trivia: list[str] = Field(default_factory=list)
    goofs: list[Goof] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    alternate_titles: list[AlternateTitle] = Field(default_factory=list)
    episode_of: EpisodeOf | None = None
    comments_open: bool = True


class PersonCredit(_Record):
    """One line of a person's filmography."""

    title_id: Text
    title: Text
    year: int | None = None
    kind: str | None = None
    category: Text = Field(description="actor, actress, self, director, writer, producer…")
    character: str | None = None
    job: str | None = None


class Person(_Record):
    """A person: IMDb's name.basics plus their credits in the store."""

    id: Text
    name: Text
    birth_year: int | None = None
    death_year: int | None = None
    professions: list[str] = Field(default_factory=list)
    known_for: list[str] = Field(default_factory=list, description="tt… ids")
    credits: list[PersonCredit] = Field(default_factory=list)
