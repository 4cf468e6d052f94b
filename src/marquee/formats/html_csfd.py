"""ČSFD's film page (csfd.cz; csfd.sk in Slovak): the film's own credits, genres, countries, running time.

ČSFD's JSON-LD and microdata name the film, its director, ten actors and its score; the page itself shows
the rest under Czech (or Slovak) labels, in the film's header block only::

    <p class="genre">Krimi / Drama / Thriller</p>          (2020; 2024: div.genres with links)
    <p class="origin">USA / Kanada, 2018, 159 min</p>
    <div class="creators"><div><h4>Režie:</h4> <a href="/tvurce/…">S. Craig Zahler</a></div> …

The first ``creators`` block is the film's; the blocks further down are related films' (never read).
Genres and countries are put into IMDb's English vocabulary; a genre with no IMDb equivalent
(``Psychologický``) is reported, not kept. Pure: no I/O.
"""

from __future__ import annotations

import re

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean
from marquee.formats.vocab import country_name, genre_name, vocab_key
from marquee.records import CastMember, PersonRef, Runtime

__all__ = ["csfd_facts"]

# ČSFD's genre names (Czech, then Slovak spellings) -> IMDb's genres.
_GENRES = {
    vocab_key(name): genre
    for genre, names in {
        "Action": ("Akční", "Akčný"),
        "Adventure": ("Dobrodružný",),
        "Animation": ("Animovaný",),
        "Biography": ("Životopisný",),
        "Comedy": ("Komedie", "Komédia"),
        "Crime": ("Krimi",),
        "Documentary": ("Dokumentární", "Dokumentárny"),
        "Family": ("Rodinný",),
        "History": ("Historický",),
        "Horror": ("Horor",),
        "Music": ("Hudební", "Hudobný"),
        "Musical": ("Muzikál",),
        "Mystery": ("Mysteriózní", "Mysteriózny"),
        "Romance": ("Romantický",),
        "Short": ("Krátkometrážní", "Krátkometrážny"),
        "Sport": ("Sportovní", "Športový"),
        "War": ("Válečný", "Vojnový"),
    }.items()
    for name in names
}
# ČSFD's country names (Czech, then Slovak) that Marquee's vocabulary does not hold.
_COUNTRIES = {
    vocab_key(name): country
    for country, names in {
        "New Zealand": ("Nový Zéland",),
        "United Kingdom": ("Velká Británie", "Veľká Británia"),
        "Germany": ("Německo", "Nemecko"),
        "West Germany": ("Západní Německo",),
        "France": ("Francie", "Francúzsko"),
        "Italy": ("Itálie", "Taliansko"),
        "Spain": ("Španělsko", "Španielsko"),
        "Japan": ("Japonsko",),
        "Czech Republic": ("Česko", "Česká republika"),
        "Czechoslovakia": ("Československo",),
        "Slovakia": ("Slovensko",),
        "Soviet Union": ("Sovětský svaz", "Sovietsky zväz"),
        "Russia": ("Rusko",),
        "Finland": ("Finsko",),
        "Sweden": ("Švédsko",),
        "Denmark": ("Dánsko",),
        "Norway": ("Norsko",),
        "Poland": ("Polsko", "Poľsko"),
        "Austria": ("Rakousko", "Rakúsko"),
        "Australia": ("Austrálie", "Austrália"),
        "China": ("Čína",),
        "India": ("Indie",),
        "South Korea": ("Jižní Korea", "Južná Kórea"),
        "Mexico": ("Mexiko",),
        "Brazil": ("Brazílie",),
        "Belgium": ("Belgie", "Belgicko"),
        "Netherlands": ("Nizozemsko", "Holandsko"),
        "Ireland": ("Irsko",),
        "Switzerland": ("Švýcarsko", "Švajčiarsko"),
        "Hungary": ("Maďarsko",),
        "Hong Kong": ("Hongkong",),
    }.items()
    for name in names
}
# Labels of the film's credits (Czech, Slovak) -> the Film field they fill.
_LABELS = {
    "rezie": "directors",
    "rezia": "directors",
    "scenar": "writers",
    "predloha": "writers",  # the novel or play it is based on: IMDb credits its author as a writer
    "hraji": "cast",
    "hraju": "cast",
}
_RUNTIME = re.compile(r"(\d+)\s*min\b")


def csfd_facts(root: Element, facts: Facts) -> None:
    """Put the film header's genres, countries, running time and credits into ``facts``."""
    genres = _first(root, ("genre", "genres"))
    if genres is not None:
        _put_genres(genres, facts)
    origin = _first(root, ("origin",))
    if origin is not None:
        _put_origin(origin, facts)
    creators = _first(root, ("creators",))
    if creators is not None:
        _put_credits(creators, facts)


def _first(root: Element, classes: tuple[str, ...]) -> Element | None:
    """The first element of one of these classes: the film's own (related films' come later)."""
    return next((e for e in root.iter() if any(c in e.classes() for c in classes)), None)


def _put_genres(element: Element, facts: Facts) -> None:
    links = [e.text() for e in element.iter() if e.tag == "a"]
    names = links or element.text().split("/")
    genres = []
    for name in (clean(n) for n in names):
        if not name:
            continue
        genre = _GENRES.get(vocab_key(name)) or genre_name(name)
        if genre is None:
            facts.note(f"ČSFD genre {name!r} has no IMDb genre; not kept", element.line)
        elif genre not in genres:
            genres.append(genre)
    facts.put("genres", genres)


def _put_origin(element: Element, facts: Facts) -> None:
    """ "USA / Kanada, 2018, 159 min": the countries before the year, the first running time."""
    text = " ".join(element.text().split())
    places = re.split(r"[,\d]", text, maxsplit=1)[0]
    countries = []
    for name in (clean(p) for p in places.split("/")):
        if name:
            countries.append(_COUNTRIES.get(vocab_key(name)) or country_name(name))
    facts.put("countries", countries)
    runtime = _RUNTIME.search(text)
    if runtime:
        facts.put("runtimes", [Runtime(minutes=int(runtime.group(1)))])


def _put_credits(creators: Element, facts: Facts) -> None:
    found: dict[str, list[str]] = {}
    for block in (c for c in creators.children if isinstance(c, Element)):
        label = next((e for e in block.iter() if e.tag == "h4"), None)
        field = _LABELS.get(vocab_key(label.text())) if label is not None else None
        if field is None:
            continue
        names = [
            name
            for e in block.iter()
            if e.tag == "a" and re.search(r"/(?:tvurce|tvorca)/", e.attrs.get("href", ""))
            for name in [clean(e.text())]
            if name
        ]
        found.setdefault(field, []).extend(n for n in names if n not in found.get(field, []))
    facts.put("directors", [PersonRef(name=n) for n in found.get("directors", [])])
    facts.put("writers", [PersonRef(name=n) for n in found.get("writers", [])])
    facts.put("cast", [CastMember(name=n) for n in found.get("cast", [])])
