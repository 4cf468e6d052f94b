"""The records of a member's library: watchlist, diary, lists, likes, and what an import did.

Ratings are on Marquee's 1–10 scale everywhere (Letterboxd's 0.5–5 stars are doubled on the
way in and halved on the way out). Films are named by their public id (``tt…`` or a slug);
members by name. Imports nothing else from the package (like ``records``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ARCHIVE_FORMAT",
    "ArchiveRating",
    "ArchiveReview",
    "DiaryEntry",
    "FilmLibraryState",
    "FilmMatch",
    "ImportKind",
    "ImportReport",
    "ImportRun",
    "LikeEntry",
    "ListEditIn",
    "ListEntryIn",
    "ListIn",
    "ListItem",
    "ListMembership",
    "ListOrderIn",
    "MatchHow",
    "MemberArchive",
    "MemberList",
    "MemberStats",
    "RatingEntry",
    "ReviewEntry",
    "SiteStats",
    "StatItem",
    "TableChanges",
    "ViewingIn",
    "WatchlistEntry",
    "YearStat",
]

ARCHIVE_FORMAT = "marquee-member-archive/1"
ImportKind = Literal["imdb-ratings", "imdb-watchlist", "letterboxd", "archive"]
# How a row of an export was tied to a film of the store:
#   id         by its IMDb id (IMDb exports, archives)
#   exact      normalised title and year equal
#   alternate  an alternate (or original) title and the year equal
#   year±1     title or alternate title equal, year one off (festival vs release year)
#   normalised title equal once a leading article, a series prefix ("Star Wars: Episode VI - ") or a
#              subtitle is set aside, year equal or one off (and directors agreeing where both give them)
#   ambiguous  several films fit equally; the most voted was used (the report lists the others)
#   added      nothing fit: the film was added from what the export says about it
MatchHow = Literal["id", "exact", "alternate", "year±1", "normalised", "ambiguous", "added"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WatchlistEntry(_Record):
    """A film a member means to see."""

    film_id: str
    title: str | None = None
    year: int | None = None
    added_on: dt.date | None = None
    note: str | None = None


class DiaryEntry(_Record):
    """One viewing: when, whether again, the rating given then, the review written then, tags."""

    id: int | None = Field(
        default=None, exclude=True, description="the entry's row (site only, not exported)"
    )
    film_id: str
    title: str | None = None
    year: int | None = None
    watched_on: dt.date | None = Field(default=None, description="None: watched, date unknown")
    logged_on: dt.date | None = None
    rewatch: bool = False
    rating: int | None = Field(default=None, ge=1, le=10)
    review: str | None = Field(default=None, description="the text written with this viewing")
    review_id: int | None = Field(default=None, description="the member review it became (site only)")
    review_linked: bool = Field(default=False, description="this viewing's review is the member's review")
    tags: list[str] = Field(default_factory=list)
    source_uri: str = Field(default="", description="Letterboxd's URI of the entry, if imported")


class ListItem(_Record):
    """A film at a position in a list (1-based)."""

    position: int = Field(ge=1)
    film_id: str
    title: str | None = None
    year: int | None = None
    note: str | None = None


class MemberList(_Record):
    """A member's named, ordered list of films."""

    id: int | None = None
    name: str
    slug: str | None = None
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    created_on: dt.date | None = None
    source_uri: str = ""
    items: list[ListItem] = Field(default_factory=list)


class LikeEntry(_Record):
    """Something a member liked: a film (by id), or a list or review elsewhere (by URI)."""

    kind: Literal["film", "list", "review"]
    target: str
    liked_on: dt.date | None = None


class ListMembership(_Record):
    """One of a member's lists, and whether a given film is on it (the film page's "add to a list")."""

    id: int
    name: str
    contains: bool = False


class FilmLibraryState(_Record):
    """What a signed-in member's library holds about one film: the film page's library panel."""

    film_id: str
    in_watchlist: bool = False
    liked: bool = False
    viewings: int = 0
    last_watched: dt.date | None = None
    lists: list[ListMembership] = Field(default_factory=list)


class RatingEntry(_Record):
    """A film a member rated (1–10) and when (the member's ratings page)."""

    film_id: str
    title: str | None = None
    year: int | None = None
    score: int = Field(ge=1, le=10)
    rated_at: dt.datetime | None = None


class ReviewEntry(_Record):
    """A member's review as their reviews page lists it (the text is on the review's own page)."""

    id: int
    film_id: str
    film_title: str | None = None
    year: int | None = None
    title: str
    score: float | None = None
    scale: int | None = None
    spoiler: bool = False
    status: str = "visible"
    created_at: dt.datetime | None = None


# ---- statistics ----------------------------------------------------------------------------------


class StatItem(_Record):
    """One bar of a statistic: what (a genre, a person, a film, a member), how many, and its page's id."""

    label: str
    value: int
    id: str | None = Field(default=None, description="film id, person id or member name, when it has a page")
    average: float | None = Field(default=None, description="most rated: the members' average score")


class YearStat(_Record):
    """A year of a member's diary: viewings logged and hours watched (from the films' runtimes)."""

    year: int
    films: int
    hours: float


class MemberStats(_Record):
    """A member's profile statistics, from their diary and ratings."""

    user: str
    counts: dict[str, int] = Field(default_factory=dict)
    years: list[YearStat] = Field(default_factory=list)
    genres: list[StatItem] = Field(default_factory=list)
    directors: list[StatItem] = Field(default_factory=list)
    actors: list[StatItem] = Field(default_factory=list)
    ratings: dict[int, int] = Field(default_factory=dict, description="films per score 1–10")


class SiteStats(_Record):
    """The site's statistics: totals, most watched and most rated films, busiest members (counts only)."""

    counts: dict[str, int] = Field(default_factory=dict)
    most_watched: list[StatItem] = Field(default_factory=list)
    most_rated: list[StatItem] = Field(default_factory=list)
    busiest_members: list[StatItem] = Field(default_factory=list)


# ---- what a member sends through the API ---------------------------------------------------------

FILM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"
FilmIdIn = Annotated[str, Field(pattern=FILM_ID_PATTERN, description="tt… id or the film's slug")]
Note = Annotated[str, Field(max_length=2000)]


class ViewingIn(_Record):
    """A viewing to log: the film, the day (default today), rating 1–10, rewatch, a short review."""

    film_id: FilmIdIn
    watched_on: dt.date | None = None
    rating: int | None = Field(default=None, ge=1, le=10)
    rewatch: bool = False
    review: str | None = Field(default=None, max_length=20_000)


class ListIn(_Record):
    """A new list: its name, description and first films."""

    name: str = Field(min_length=1, max_length=200)
    description: Note | None = None
    film_ids: list[FilmIdIn] = Field(default_factory=list, max_length=1000)


class ListEditIn(_Record):
    """A list's new name and description."""

    name: str = Field(min_length=1, max_length=200)
    description: Note | None = None


class ListEntryIn(_Record):
    """A film to put at the end of a list, with a note."""

    film_id: FilmIdIn
    note: Note | None = None


class ListOrderIn(_Record):
    """A list's films in their new order (every film on the list, each as often as it is on it)."""

    film_ids: list[FilmIdIn] = Field(max_length=10_000)


class ArchiveRating(_Record):
    """A member's rating in an archive."""

    film_id: str
    title: str | None = None
    year: int | None = None
    score: int = Field(ge=1, le=10)
    rated_at: dt.datetime | None = None


class ArchiveReview(_Record):
    """A member's review in an archive."""

    film_id: str
    title: str
    body: str
    score: float | None = None
    scale: int | None = None
    spoiler: bool = False
    created_at: dt.datetime | None = None


class FilmMatch(_Record):
    """How one film named by an export was found (or added)."""

    name: str
    year: int | None = None
    how: MatchHow
    film_id: str
    matched_title: str | None = Field(default=None, description="the alternate title that matched")
    candidates: list[str] = Field(default_factory=list, description="ambiguous: every film that fit")
    source: str = Field(default="", description="file:line of the first row naming it")


class TableChanges(_Record):
    """Rows of one table an import added, changed, left as they were, or removed (undo)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


class ImportReport(_Record):
    """What an import did (or, in a dry run, would do), and how each film was found."""

    import_id: int | None = None
    kind: ImportKind
    source: str
    user: str
    dry_run: bool = False
    undone: bool = False
    rows: int = 0
    matched: dict[str, int] = Field(default_factory=dict, description="films per MatchHow")
    ambiguous: list[FilmMatch] = Field(default_factory=list)
    not_found: list[FilmMatch] = Field(default_factory=list, description="not in the store: added")
    fuzzy: list[FilmMatch] = Field(default_factory=list, description="matched by alternate title or year±1")
    added_films: list[str] = Field(default_factory=list)
    changes: dict[str, TableChanges] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list, description="file:line: why a row was not used")
    notes: list[str] = Field(
        default_factory=list, description="file:line: values kept as written (no known mapping)"
    )

    def change(self, table: str) -> TableChanges:
        """The counters of one table, created on first use."""
        return self.changes.setdefault(table, TableChanges())

    @property
    def changed(self) -> int:
        """How many rows were added, updated or removed in all."""
        return sum(c.added + c.updated + c.removed for c in self.changes.values())

    def summary_lines(self) -> list[str]:
        """The report as short lines of text (the CLI prints them)."""
        verb = "would change" if self.dry_run else "changed"
        head = "undo of import" if self.undone else f"{self.kind} import"
        lines = [
            f"{head} {self.import_id or '-'} from {self.source} for {self.user}: {verb} {self.changed} rows"
        ]
        if self.matched:
            lines.append("films: " + ", ".join(f"{how} {n}" for how, n in sorted(self.matched.items())))
        for table, c in sorted(self.changes.items()):
            lines.append(
                f"  {table}: +{c.added} ~{c.updated} ={c.unchanged}" + (f" -{c.removed}" if c.removed else "")
            )
        for m in self.ambiguous:
            lines.append(f"ambiguous: {m.name} ({m.year}) -> {m.film_id} among {', '.join(m.candidates)}")
        for m in self.fuzzy:
            via = f" via {m.matched_title!r}" if m.matched_title else ""
            lines.append(f"{m.how}: {m.name} ({m.year}) -> {m.film_id}{via}")
        for m in self.not_found:
            lines.append(f"not found, added: {m.name} ({m.year}) as {m.film_id}")
        lines += [f"skipped: {s}" for s in self.skipped]
        lines += [f"kept as written: {n}" for n in self.notes]
        return lines


class ImportRun(_Record):
    """One row of the import log."""

    id: int
    user: str
    kind: str
    source: str
    dry_run: bool
    created_at: dt.datetime
    undone_at: dt.datetime | None = None
    summary: dict[str, Any] = Field(default_factory=dict)


class MemberArchive(_Record):
    """Everything a member made, as one JSON document that imports back to the same state."""

    format: str = ARCHIVE_FORMAT
    user: str
    ratings: list[ArchiveRating] = Field(default_factory=list)
    reviews: list[ArchiveReview] = Field(default_factory=list)
    diary: list[DiaryEntry] = Field(default_factory=list)
    watchlist: list[WatchlistEntry] = Field(default_factory=list)
    lists: list[MemberList] = Field(default_factory=list)
    likes: list[LikeEntry] = Field(default_factory=list)
