"""The film page's context: the Film plus what the template should not work out itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marquee.formats.external_ids import SITE_NAMES, external_url
from marquee.formats.jsonld import JsonDict, award_text, movie_jsonld, script_json
from marquee.records import ExternalScore, Film
from marquee.services.demo import PlotCredit, plot_attribution
from marquee.services.discover import SimilarTitle
from marquee.services.episodes import EpisodeGuide, EpisodePlace, is_series

__all__ = [
    "AkaLine",
    "FilmContext",
    "GoofGroup",
    "NamedLink",
    "film_context",
    "score_text",
    "title_jsonld",
]


@dataclass(frozen=True)
class NamedLink:
    """A name and the id of the person page it links to (None: no page)."""

    name: str
    id: str | None


@dataclass(frozen=True)
class AkaLine:
    """An alternate title as the page lists it: ``note`` is ``"US, en; working title"`` (region,
    language; attributes), or None when it has none of them."""

    title: str
    note: str | None
    is_original: bool


@dataclass(frozen=True)
class GoofGroup:
    """Goofs of one category, in page order (``category`` None: not categorised)."""

    category: str | None
    items: list[str]


@dataclass(frozen=True)
class FilmContext:
    """Everything the film template shows."""

    film: Film
    # The principal credits, one line each: directors, writers, stars, then other crew by category.
    credit_lines: list[tuple[str, list[NamedLink]]]
    goof_groups: list[GoofGroup]
    akas: list[AkaLine]
    # Per section (``_SECTION_FIELDS``) that has one, where its data came from (``member:12``, …).
    section_sources: dict[str, str]
    jsonld: str
    title_year: str
    scores: list[str]
    awards: list[str]
    links: list[tuple[str, str]]
    # The credit a storyline from Wikipedia (CC BY-SA) must show beside it; None for any other plot.
    plot_credit: PlotCredit | None = None
    # A series' seasons and the episodes of the season shown; an episode's series and neighbours.
    guide: EpisodeGuide | None = None
    place: EpisodePlace | None = None
    # "More like this" (issue 21): the stored neighbours, gathered before rendering.
    similar: Sequence[SimilarTitle] = ()


def _stars(film: Film) -> list[NamedLink]:
    """The Stars line names people; link each to the cast member of that name when the cast has an id."""
    ids = {member.name: member.id for member in film.cast if member.id}
    return [NamedLink(name, ids.get(name)) for name in film.stars]


def _credit_lines(film: Film) -> list[tuple[str, list[NamedLink]]]:
    """Directors, writers and stars (each line only when it has names), then other crew by category."""
    lines = []
    for one, many, refs in (("Director", "Directors", film.directors), ("Writer", "Writers", film.writers)):
        if refs:
            lines.append((many if len(refs) > 1 else one, [NamedLink(ref.name, ref.id) for ref in refs]))
    if film.stars:
        lines.append(("Stars", _stars(film)))
    return lines + _crew_groups(film)


def _akas(film: Film) -> list[AkaLine]:
    """Alternate titles with their region and language, then their attributes, as one note."""
    lines = []
    for alt in film.alternate_titles:
        where = ", ".join(part for part in (alt.region, alt.language) if part)
        note = None
        if where or alt.attributes:
            note = where + ("; " if where and alt.attributes else "") + ", ".join(alt.attributes)
        lines.append(AkaLine(alt.title, note, alt.is_original))
    return lines


# The film page's sections with a source line, and the fields whose source each shows (the first one set).
_SECTION_FIELDS = {
    "storyline": ("plot", "outline"),
    "taglines": ("taglines",),
    "trivia": ("trivia",),
    "goofs": ("goofs",),
    "quotes": ("quotes",),
    "release_dates": ("release_dates",),
    "filming_locations": ("filming_locations",),
    "box_office": ("box_office",),
    "runtimes": ("runtimes",),
}


def _section_sources(film: Film) -> dict[str, str]:
    """Each section's source, where one of its fields has one."""
    found = {}
    for section, fields in _SECTION_FIELDS.items():
        source = next((film.sources[name] for name in fields if film.sources.get(name)), None)
        if source:
            found[section] = source
    return found


def _goof_groups(film: Film) -> list[GoofGroup]:
    """Group goofs by category, categories in order of first appearance."""
    groups: dict[str | None, list[str]] = {}
    for goof in film.goofs:
        groups.setdefault(goof.category, []).append(goof.text)
    return [GoofGroup(category, items) for category, items in groups.items()]


def _crew_groups(film: Film) -> list[tuple[str, list[NamedLink]]]:
    """Other crew by category (producer, composer…), in page order."""
    groups: dict[str, list[NamedLink]] = {}
    for member in film.crew:
        label = member.category.replace("_", " ").capitalize()
        name = f"{member.name} ({member.job})" if member.job else member.name
        groups.setdefault(label, []).append(NamedLink(name, member.id))
    return list(groups.items())


# What each kind of external score is, in words (a kind not listed is shown as it is stored).
_SCORE_KINDS = {
    "critics": "critics",
    "audience": "audience",
    "metascore": "Metascore",
    "average": "average rating",
}


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def score_text(score: ExternalScore) -> str:
    """``Rotten Tomatoes critics 82% (51 reviews)``: who gives the score, what it is, its value and base."""
    kind = _SCORE_KINDS.get(score.kind, score.kind)
    if score.scale == 100 and score.kind in ("critics", "audience"):
        value = f"{_number(score.value)}%"
    else:
        value = f"{_number(score.value)}/{score.scale}"
    text = " ".join(part for part in (score.source, kind, value) if part)
    if score.count is not None:
        noun = "reviews" if score.kind in ("critics", "metascore") else "ratings"
        if score.count == 1:
            noun = noun[:-1]
        text += f" ({score.count:,} {noun})"
    return text


def _links(film: Film) -> list[tuple[str, str]]:
    """``(site name, URL)`` of the film's pages on other sites whose ids have a known URL (not IMDb's)."""
    links = []
    for site, value in film.external_ids.items():
        url = external_url(site, value)
        if url and site != "imdb":
            links.append((SITE_NAMES[site], url))
    return links


# Movie properties schema.org's TVSeries does not have.
_NOT_SERIES = ("duration",)


def _season_url(base_url: str, series_id: str, season: int | None) -> str:
    return f"{base_url}/title/{series_id}" + (f"?season={season}" if season is not None else "")


def title_jsonld(
    film: Film, *, guide: EpisodeGuide | None = None, place: EpisodePlace | None = None, base_url: str = ""
) -> JsonDict:
    """schema.org JSON-LD: a Movie, a TVSeries (with its seasons) or a TVEpisode (with its series)."""
    node = movie_jsonld(film, base_url=base_url)
    if is_series(film):
        node["@type"] = "TVSeries"
        for key in _NOT_SERIES:
            node.pop(key, None)
        if guide is not None and guide.seasons:
            node["numberOfSeasons"] = guide.number_of_seasons
            node["numberOfEpisodes"] = guide.number_of_episodes
            seasons: list[JsonDict] = []
            for season in guide.seasons:
                if season.season is None:
                    continue
                item: JsonDict = {
                    "@type": "TVSeason",
                    "seasonNumber": season.season,
                    "numberOfEpisodes": season.episodes,
                    "url": _season_url(base_url, film.id, season.season),
                }
                if season.season == guide.season:
                    item["episode"] = [
                        {"@type": "TVEpisode", "name": ep.title, "url": f"{base_url}/title/{ep.id}"}
                        | ({"episodeNumber": ep.episode} if ep.episode is not None else {})
                        for ep in guide.episodes
                    ]
                seasons.append(item)
            if seasons:
                node["containsSeason"] = seasons
    elif film.kind == "tvEpisode" or place is not None:
        node["@type"] = "TVEpisode"
        if place is not None:
            series: JsonDict = {"@type": "TVSeries", "url": f"{base_url}/title/{place.series_id}"}
            if place.series_title:
                series["name"] = place.series_title
            node["partOfSeries"] = series
            if place.season is not None:
                node["partOfSeason"] = {
                    "@type": "TVSeason",
                    "seasonNumber": place.season,
                    "url": _season_url(base_url, place.series_id, place.season),
                }
            if place.episode is not None:
                node["episodeNumber"] = place.episode
    return node


def film_context(
    film: Film,
    *,
    base_url: str = "",
    guide: EpisodeGuide | None = None,
    place: EpisodePlace | None = None,
    similar: Sequence[SimilarTitle] = (),
) -> FilmContext:
    """Gather the film page's context (``guide``, ``place``: a series' episodes, an episode's series;
    ``similar``: its "more like this" films, read by the caller)."""
    title_year = f"{film.title} ({film.year})" if film.year is not None else film.title
    return FilmContext(
        film=film,
        credit_lines=_credit_lines(film),
        goof_groups=_goof_groups(film),
        akas=_akas(film),
        section_sources=_section_sources(film),
        jsonld=script_json(title_jsonld(film, guide=guide, place=place, base_url=base_url)),
        title_year=title_year,
        scores=[score_text(score) for score in film.scores],
        awards=[f"{award_text(a)}, {a.outcome}" if a.outcome else award_text(a) for a in film.awards],
        links=_links(film),
        plot_credit=plot_attribution(film),
        guide=guide,
        place=place,
        similar=tuple(similar),
    )
