"""What other film sites' pages say about themselves: their own id for the film, and their scores.

Rotten Tomatoes, Letterboxd, TMDB and Metacritic pages describe a film with JSON-LD or Open Graph like
IMDb's, but their ``aggregateRating`` is their own score (a critics' percentage, a members' average of 5),
not IMDb's users' rating: it is kept as an ``ExternalScore`` with its source, never as ``rating``. The
page's address gives the site's id (``external_ids``: ``{"rotten_tomatoes": "m/1217700-kick_ass"}``, TMDB's
as its number, as ``formats.external_ids`` writes them back as links),
and a link the site labels "IMDb" gives the film's IMDb id. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marquee.formats.html_csfd import csfd_facts
from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean
from marquee.formats.html_metacritic import metacritic_facts
from marquee.formats.html_rottentomatoes import rotten_tomatoes_scores
from marquee.formats.html_tmdb import tmdb_facts
from marquee.records import ExternalScore, Rating, Runtime

__all__ = ["Site", "site_facts", "site_of", "site_score"]


@dataclass(frozen=True)
class Site:
    """A film site: its name (a score's source), its ids' key, how its pages' addresses hold the id."""

    name: str
    key: str
    host: str
    path: re.Pattern[str]
    kind: str  # what its aggregateRating is: critics, average, metascore


SITES = (
    Site("Rotten Tomatoes", "rotten_tomatoes", "rottentomatoes.com", re.compile(r"^/((?:m|tv)/[^/?#]+)"),
         "critics"),
    Site("Letterboxd", "letterboxd", "letterboxd.com", re.compile(r"^/film/([^/?#]+)"), "average"),
    Site("TMDB", "tmdb", "themoviedb.org", re.compile(r"^/(?:movie|tv)/(\d+)"), "average"),
    Site("Metacritic", "metacritic", "metacritic.com", re.compile(r"^/((?:movie|tv)/[^/?#]+)"), "metascore"),
    Site("ČSFD", "csfd", "csfd.cz", re.compile(r"^/film/([^/?#]+)"), "audience"),
    Site("ČSFD", "csfd", "csfd.sk", re.compile(r"^/film/([^/?#]+)"), "audience"),  # its Slovak site
)  # fmt: skip
_ADDRESS = re.compile(
    r"^(?:https?:)?//(?:[\w-]+\.)*?(?P<host>[\w-]+\.[a-z]{2,})(?::\d+)?(?P<path>/[^\s]*)?$", re.I
)
_IMDB_LINK = re.compile(r"imdb\.com/title/(tt\d{7,})")
_TMDB_LINK = re.compile(r"themoviedb\.org/movie/(\d+)")


def _page_addresses(root: Element) -> list[str]:
    found = []
    for element in root.iter():
        if element.tag == "link" and "canonical" in element.attrs.get("rel", "").lower().split():
            found.append(element.attrs.get("href", ""))
        elif element.tag == "meta" and (element.attrs.get("property") or element.attrs.get("name")) in (
            "og:url",
            "twitter:url",
        ):
            found.append(element.attrs.get("content", ""))
    return [a.strip() for a in found if a.strip()]


def site_of(root: Element) -> tuple[Site, str] | None:
    """The film site a page is from, and the site's id of the film, by the page's own address."""
    for address in _page_addresses(root):
        match = _ADDRESS.match(address)
        if not match:
            continue
        for site in SITES:
            if match["host"].lower() == site.host:
                ident = site.path.match(match["path"] or "/")
                if ident:
                    return site, ident.group(1).rstrip("/")
    return None


def site_score(site: Site, rating: Rating) -> ExternalScore:
    """A site's own aggregate rating, as the score it is (a Letterboxd 3.21 of 5 is no IMDb rating)."""
    return ExternalScore(
        source=site.name, kind=site.kind, value=rating.value, scale=rating.scale, count=rating.votes
    )


def site_facts(root: Element, site: Site, ident: str) -> Facts:
    """The site's id, the IMDb id it links to, TMDB's id it links to, and scores shown as text."""
    facts = Facts(site.name, 1)
    ids = {site.key: ident}
    imdb_ids: set[str] = set()
    for element in root.iter():
        if element.tag != "a":
            continue
        href = element.attrs.get("href", "")
        text = element.text().strip().casefold()
        imdb = _IMDB_LINK.search(href)
        if imdb and text in ("imdb", "more at imdb", "view on imdb", "imdb page"):
            imdb_ids.add(imdb.group(1))
        tmdb = _TMDB_LINK.search(href)
        if tmdb and site.key != "tmdb" and text in ("tmdb", "tmdb page", "themoviedb", "the movie database"):
            ids.setdefault("tmdb", tmdb.group(1))
    if len(imdb_ids) == 1:  # one film linked as "IMDb": this film's IMDb id
        facts.put("id", imdb_ids.pop())
    elif imdb_ids:
        facts.note(f"{len(imdb_ids)} different IMDb links labelled IMDb; none taken as the film's id")
    facts.put("external_ids", ids)
    if site.key == "rotten_tomatoes":
        facts.put("scores", rotten_tomatoes_scores(root, facts))
    if site.key == "letterboxd":
        _letterboxd_runtime(root, facts)
        _letterboxd_tagline(root, facts)
    elif site.key == "csfd":
        csfd_facts(root, facts)
    elif site.key == "metacritic":
        metacritic_facts(root, facts)
    elif site.key == "tmdb":
        tmdb_facts(root, facts)
    return facts


def _letterboxd_runtime(root: Element, facts: Facts) -> None:
    """Letterboxd shows the running time in the page's footer line: "97 mins"."""
    for element in root.iter():
        if element.tag == "p" and "text-footer" in element.classes():
            match = re.search(r"(\d+)\s*mins?\b", element.text())
            if match:
                facts.put("runtimes", [Runtime(minutes=int(match.group(1)))])
            return


def _letterboxd_tagline(root: Element, facts: Facts) -> None:
    """Letterboxd shows the tagline above the synopsis: ``<h4 class="tagline">``, the first one only."""
    tagline = next((e for e in root.iter() if e.tag == "h4" and "tagline" in e.classes()), None)
    text = clean(tagline.text()) if tagline is not None else None
    if text:
        facts.put("taglines", [text])
