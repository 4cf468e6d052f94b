"""A film named by its title and year (Letterboxd's rows carry no IMDb id) matched to one in the store.

Candidates come from ``search_titles``; one counts if its folded title equals the name and its year
is the same (``exact``), then by an alternate or original title (``alternate``), then either with the
year one off (``year±1``); several in the first tier that has any is ``ambiguous``. Never a fuzzy guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from marquee.formats.query import fold
from marquee.records import Film
from marquee.records_library import MatchHow
from marquee.slugs import film_slug
from marquee.storage import member_rows
from marquee.storage.base import Store
from marquee.storage.member_rows import Conn, existing_films


@dataclass
class _Decision:
    how: MatchHow
    film_id: str
    matched_title: str | None = None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Named:
    """A title whose folded name equals the asked one: through its primary title or another."""

    tconst: str
    year: int | None
    kind: str
    votes: int
    display: str
    primary: bool


@dataclass(frozen=True)
class Wanted:
    """What an export says about a film: its name and year, and where it gives them, ids and directors."""

    name: str
    year: int | None
    imdb_id: str | None = None
    directors: tuple[str, ...] = ()

    def key(self) -> tuple[str, int | None, str, tuple[str, ...]]:
        """The cache key: the same film asked the same way gets the same answer."""
        return (
            fold(self.name),
            self.year,
            self.imdb_id or "",
            tuple(sorted(fold(d) for d in self.directors)),
        )


_ARTICLES = ("the ", "a ", "an ")
# Where a series prefix or a subtitle starts: "Star Wars: Episode VI - Return of the Jedi".
_SEPARATOR = re.compile(r"\s*:\s+|\s+[-–—]+\s+|\s*[:–—]\s*")
# Subtitles too common to name one film: "Part 1", "Vol. 2", "Chapter Two".
_GENERIC = re.compile(r"^(part|vol|volume|chapter|episode|book|season|the movie|movie|film)( \w+)?$")


def _core(folded: str) -> str:
    """A folded title without its leading English article: "the matrix" -> "matrix"."""
    for article in _ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            return folded[len(article) :]
    return folded


def _subtitles(display: str) -> list[str]:
    """Cores of the parts after each separator, long and specific enough to name a film alone."""
    parts = [p for p in _SEPARATOR.split(display) if p.strip()]
    out = []
    for start in range(1, len(parts)):
        core = _core(fold(" ".join(parts[start:])))
        if len(core.split()) >= 2 and not _GENERIC.match(core):
            out.append(core)
    return out


def _same_film_name(asked: str, display: str) -> bool:
    """Names equal once articles, a series prefix or a subtitle are set aside (never two subtitles)."""
    a, d = _core(fold(asked)), _core(fold(display))
    return bool(a) and (a == d or a in _subtitles(display) or d in _subtitles(asked))


def _directors_of(conn: Conn, tconsts: list[str]) -> dict[str, set[str]]:
    """Folded directors' names of these films (films without any are left out)."""
    return {
        tconst: {fold(name) for name in names}
        for tconst, names in member_rows.film_directors(conn, tconsts).items()
    }


class FilmMatcher:
    """Finds the store's film for what an export names, the same answer for the same question.

    In order: the export's IMDb id; the name and year exactly (primary title, then alternate
    titles); the year one off; then *normalised* names (a leading "The"/"A"/"An", a series prefix
    such as "Star Wars: Episode VI - ", a subtitle) with the year equal or one off. Where the export
    and the store both name directors, a film whose directors share none with the export's does
    not fit. Nothing fit: a film is added (under the export's IMDb id if it gives one).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[tuple[str, int | None, str, tuple[str, ...]], _Decision] = {}
        self.new_films: dict[str, Film] = {}

    def find_all(self, wanted: Iterable[Wanted | tuple[str, int | None]]) -> None:
        """Decide every film asked for, on one connection."""
        with member_rows.reading(self.store) as conn:
            for item in wanted:
                ask = item if isinstance(item, Wanted) else Wanted(*item)
                key = ask.key()
                if key not in self._cache:
                    self._cache[key] = self._decide(conn, ask)

    def find(self, name: str | Wanted, year: int | None = None) -> _Decision:
        """The decision for this film (cached)."""
        ask = name if isinstance(name, Wanted) else Wanted(name, year)
        self.find_all([ask])
        return self._cache[ask.key()]

    def _named(self, conn: Conn, patterns: Iterable[str]) -> list[_Named]:
        best: dict[str, _Named] = {}
        asked = [pattern for pattern in dict.fromkeys(patterns) if pattern.strip(" %")]
        for rows in member_rows.titles_named(conn, asked):
            for tconst, year, kind, votes, display, source in rows:
                if kind == "tvEpisode":  # exports name films and series; an episode shares names with them
                    continue
                named = _Named(tconst, year, kind, int(votes), display, source == "primary")
                if tconst not in best or (named.primary and not best[tconst].primary):
                    best[tconst] = named
        # Most voted first, then by id: the same order on both backends.
        return sorted(best.values(), key=lambda n: (-n.votes, n.tconst))

    def _decide(self, conn: Conn, ask: Wanted) -> _Decision:
        name, year, folded = ask.name, ask.year, fold(ask.name)
        if ask.imdb_id and existing_films(conn, [ask.imdb_id]):
            return _Decision("id", ask.imdb_id)
        named = self._named(conn, [f" {folded} "]) if folded else []
        named = self._fitting(conn, ask, named)

        def same_year(n: _Named) -> bool:
            return year is None or n.year == year

        def near_year(n: _Named) -> bool:
            return year is not None and n.year is not None and abs(n.year - year) == 1

        tiers: list[tuple[MatchHow, list[_Named]]] = [
            ("exact", [n for n in named if n.primary and same_year(n)]),
            ("alternate", [n for n in named if not n.primary and same_year(n)]),
            ("year±1", [n for n in named if near_year(n)]),
        ]
        decision = self._first_tier(tiers)
        if decision is None and year is not None and folded:
            decision = self._first_tier([("normalised", self._normalised(conn, ask))])
        if decision is not None:
            return decision
        film_id = ask.imdb_id or film_slug(name, year)
        if film_id not in self.new_films:
            self.new_films[film_id] = Film(id=film_id, title=name, year=year)
        return _Decision("added", film_id)

    @staticmethod
    def _first_tier(tiers: list[tuple[MatchHow, list[_Named]]]) -> _Decision | None:
        for how, fits in tiers:
            if fits:
                best = fits[0]
                via = None if best.primary and how != "normalised" else best.display
                if len(fits) > 1:
                    return _Decision("ambiguous", best.tconst, via, tuple(n.tconst for n in fits))
                return _Decision(how, best.tconst, via)
        return None

    def _fitting(self, conn: Conn, ask: Wanted, named: list[_Named]) -> list[_Named]:
        """Drop candidates the export's IMDb id or directors rule out."""
        if ask.imdb_id:  # another IMDb id is another film; a stub (slug id) may still be it
            named = [n for n in named if not n.tconst.startswith("tt")]
        if ask.directors and named:
            wanted = {fold(d) for d in ask.directors}
            known = _directors_of(conn, [n.tconst for n in named])
            named = [n for n in named if n.tconst not in known or known[n.tconst] & wanted]
        return named

    def _normalised(self, conn: Conn, ask: Wanted) -> list[_Named]:
        """Films whose name matches once articles, series prefixes and subtitles are set aside."""
        assert ask.year is not None
        core = _core(fold(ask.name))
        cores = [core, *_subtitles(ask.name)]
        patterns = [f" {article}{c} " for c in cores for article in ("", *_ARTICLES)]
        if len(core.split()) >= 2:
            patterns.append(f"% {core} ")  # the store's name may carry a prefix the export's lacks
        named = self._fitting(conn, ask, self._named(conn, patterns))
        return [
            n
            for n in named
            if n.year is not None and abs(n.year - ask.year) <= 1 and _same_film_name(ask.name, n.display)
        ]
