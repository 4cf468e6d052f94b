"""What the public JSON API (``/api/v1``) returns: response models, for the OpenAPI document.

These describe the API's answers, not what is stored. Routes build their JSON bodies directly
(orjson, cached); these models are what the OpenAPI document promises, and the tests check the
answers against that document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from marquee.records import CastMember, CrewMember, Film, Person, PersonCredit, Rating

__all__ = [
    "ChartEntryOut",
    "ChartOut",
    "CreditsOut",
    "MemberRatingOut",
    "PersonCreditsOut",
    "PersonHitOut",
    "PersonOut",
    "PersonPage",
    "Problem",
    "ProblemItem",
    "RatingsOut",
    "SuggestOut",
    "TitleHitOut",
    "TitleOut",
    "TitlePage",
]


def _only_id_required(schema: dict[str, Any]) -> None:
    """``?fields=`` may leave any field out but ``id``: say so in the schema."""
    schema["required"] = ["id"]


class ProblemItem(BaseModel):
    """One offending parameter or field of a request."""

    model_config = ConfigDict(populate_by_name=True)

    location: str = Field(alias="in", description="where it was: query, path, header or body")
    name: str = Field(description="the parameter or field, e.g. `fields` or `body.score`")
    detail: str = Field(description="what is wrong with it")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(description="a URI naming the kind of problem; its page explains it")
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong with this request, in words")
    instance: str = Field(description="the path of the request that failed")
    errors: list[ProblemItem] = Field(default_factory=list, description="the offending parameters")


class MemberRatingOut(BaseModel):
    """Marquee members' ratings of a film (never mixed with IMDb's ``rating``)."""

    average: float | None = Field(description="mean of members' scores 1–10; null without votes")
    votes: int = Field(ge=0)
    histogram: dict[str, int] = Field(description='how many members gave each score: {"1": n, …, "10": n}')


class TitleOut(Film):
    """A film's full record: every section of its page, plus members' rating.

    With ``?fields=a,b`` only those fields (and ``id``) are present.
    """

    model_config = ConfigDict(json_schema_extra=_only_id_required)

    member_rating: MemberRatingOut | None = None


class PersonOut(Person):
    """A person with their filmography. With ``?fields=a,b`` only those fields (and ``id``) are present."""

    model_config = ConfigDict(json_schema_extra=_only_id_required)


class CreditsOut(BaseModel):
    """A film's credits: cast in billing order; directors, writers and other crew in page order."""

    id: str
    cast: list[CastMember]
    crew: list[CrewMember] = Field(description="directors (category director), writers (writer), then others")
    stars: list[str] = Field(description="the names on the page's Stars line")


class PersonCreditsOut(BaseModel):
    """A person's credits, split as TMDB does: acting (actor, actress, self) and crew."""

    id: str
    cast: list[PersonCredit]
    crew: list[PersonCredit]


class TitleHitOut(BaseModel):
    """A title in a list: search results, browse, charts."""

    id: str
    title: str
    year: int | None = None
    kind: str | None = None
    rating: float | None = Field(default=None, description="IMDb's average")
    votes: int | None = Field(default=None, description="IMDb's vote count")
    matched: str | None = Field(default=None, description="the alternate title that matched, if any")


class PersonHitOut(BaseModel):
    """A person in search results."""

    id: str
    name: str
    birth_year: int | None = None
    professions: list[str] = Field(default_factory=list)
    known_for_titles: list[str] = Field(default_factory=list)


class _Paged(BaseModel):
    next: str | None = Field(description="URL of the next page; null on the last page")
    next_cursor: str | None = Field(description="the opaque cursor of the next page (also in `next`)")


class TitlePage(_Paged):
    """One page of titles, in a stable order."""

    results: list[TitleHitOut]
    total: int | None = Field(default=None, description="how many match in all, where known")


class PersonPage(_Paged):
    """One page of people."""

    results: list[PersonHitOut]


class SuggestOut(BaseModel):
    """Titles whose name starts with the typed prefix, best first (for a search box)."""

    results: list[TitleHitOut]


class ChartEntryOut(BaseModel):
    rank: int = Field(ge=1)
    weighted: float = Field(description="what the chart is ordered by: weighted rating, or votes")
    title: TitleHitOut


class ChartOut(_Paged):
    """A chart page: entries by rank, and how the chart was computed."""

    results: list[ChartEntryOut]
    m: int | None = Field(default=None, description="votes a title needs to count fully (top rated)")
    c: float | None = Field(default=None, description="mean rating across the chart's pool")
    formula: str | None = None


class RatingsOut(BaseModel):
    """A film's ratings: IMDb's aggregate and Marquee members', kept apart."""

    id: str
    imdb: Rating | None
    member: MemberRatingOut
