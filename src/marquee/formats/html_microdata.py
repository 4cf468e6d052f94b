"""Film facts from markup attributes: schema.org microdata (``itemprop``) and Open Graph meta tags.

Microdata is turned into the same dictionary shape as JSON-LD and read by the same
code (``schema_facts``). Open Graph gives less: ``og:title`` "The Matrix (1999) - IMDb"
is title and year (and the kind, as in "(TV Series 2015–2021)"); on IMDb,
``og:description`` also names the directors and stars. The ``<title>`` element is read
the same way, as a last resort. Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, imdb_id
from marquee.formats.html_schema import FILM_TYPES, schema_facts
from marquee.records import CastMember, PersonRef

__all__ = ["microdata_facts", "open_graph_facts", "parse_heading_title", "title_element_facts"]

_URL_ATTR = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
    "track": "src",
    "object": "data",
}
# "(TV Series 2015–2021)", "(Video 2006)", "(1999)": the kind words before the year, as IMDb writes them.
_KIND_WORDS = {
    "": "movie",  # IMDb writes no kind word for a feature film
    "tv series": "tvSeries",
    "tv mini series": "tvMiniSeries",
    "tv mini-series": "tvMiniSeries",
    "tv episode": "tvEpisode",
    "tv movie": "tvMovie",
    "tv special": "tvSpecial",
    "tv short": "tvShort",
    "video": "video",
    "short": "short",
    "video game": "videoGame",
    "podcast series": "podcastSeries",
    "podcast episode": "podcastEpisode",
}
_OG_TYPES = {"video.movie": "movie", "video.tv_show": "tvSeries", "video.episode": "tvEpisode"}
_HEADING = re.compile(
    r"^(?:\"(?P<series>[^\"]+)\"\s+)?(?P<title>.+?)"
    r"(?:\s+\((?P<kind>[A-Za-z][A-Za-z \-]*?)?\s*(?P<year>\d{4})(?:\s*[–-]\s*(?P<end>\d{4})?)?\s*\)"
    r"(?:\s+[-|–·]\s+[^()]+)?)?$"  # after "(1999)", a site's name: " - IMDb", " · Marquee"
)
_NOT_NAME_END = {"jr", "sr", "dr", "st", "mr", "mrs", "ms", "mt"}


def microdata_facts(root: Element) -> Facts | None:
    """Facts from the first microdata item whose ``itemtype`` is a film type; None when none."""
    for element in root.iter():
        if "itemscope" in element.attrs and _item_types(element) & FILM_TYPES.keys():
            facts = Facts("microdata", element.line)
            schema_facts(_item(element), facts)
            _drop_heading_year(facts, _year_linked(element))
            return facts
    return None


# IMDb's 2015-2017 heading is the item's name and holds the year too:
# <h1 itemprop="name">The Matrix&nbsp;<span id="titleYear">(<a>1999</a>)</span></h1>.
_HEADING_YEAR = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>\d{4})\)$")


def _year_linked(item: Element) -> bool:
    """Whether the item's name links its year (``<a href="/year/2002/">``): then it is the film's year."""
    for element in item.iter():
        if "name" in element.attrs.get("itemprop", "").split():
            return any(
                re.search(r"/year/\d{4}", e.attrs.get("href", "")) for e in element.iter() if e.tag == "a"
            )
    return False


def _drop_heading_year(facts: Facts, linked: bool = False) -> None:
    """A name ending in its own year in brackets ("The Matrix (1999)") is the title and the year; a year
    the heading links as the year (IMDb 2015–2017) wins over one only implied by a release date."""
    title = facts.values.get("title")
    match = _HEADING_YEAR.match(title) if isinstance(title, str) else None
    if match is None:
        return
    year = int(match["year"])
    if facts.values.get("year") in (None, year) or (linked and "year" in facts.weak):
        # The heading's year is the film's; a datePublished (a release date) only implied one.
        facts.values["title"] = match["title"]
        facts.values["year"] = year
        facts.weak.discard("year")


def _item_types(element: Element) -> set[str]:
    return {t.rstrip("/").rsplit("/", 1)[-1] for t in element.attrs.get("itemtype", "").split()}


# Items nested deeper than this are read as plain text values (no film page nests more than 3).
_MAX_ITEM_DEPTH = 16


def _item(element: Element, depth: int = 0) -> dict[str, Any]:
    """A microdata item as a JSON-LD-shaped dict (every property a list of values)."""
    node: dict[str, Any] = {"@type": sorted(_item_types(element))}
    stack = [c for c in reversed(element.children) if isinstance(c, Element)]
    while stack:
        child = stack.pop()
        names = child.attrs.get("itemprop", "").split()
        if names:
            nested = "itemscope" in child.attrs and depth < _MAX_ITEM_DEPTH
            value: Any = _item(child, depth + 1) if nested else _prop_value(child)
            if nested and "Person" in value["@type"] and "url" not in value:
                value["url"] = _first_link(child)
                character = _row_character(child) if "actor" in names else None
                if character:
                    value = {"@type": "PerformanceRole", "actor": value, "characterName": character}
            for name in names:
                node.setdefault(name, []).append(value)
        if "itemscope" not in child.attrs:
            stack.extend(c for c in reversed(child.children) if isinstance(c, Element))
    # One value stands alone, as in JSON-LD ("aggregateRating": {…}, not [{…}]).
    return {
        key: value[0] if isinstance(value, list) and len(value) == 1 else value for key, value in node.items()
    }


# Properties whose value is a name, never an address: IMDb (2013) put itemprop="director" or "genre" on the
# <a> itself, whose URL ("/name/nm0000233/", "/genre/Action") is then no value; its text is.
_NAMED = frozenset({"name", "genre", "inLanguage", "countryOfOrigin", "director", "actor", "actors", "author",
                    "creator"})  # fmt: skip


def _prop_value(element: Element) -> Any:
    """A property's value: ``content``, a link's URL, ``datetime``, ``value``, else the text."""
    if "content" in element.attrs:
        return element.attrs["content"]
    names = set(element.attrs.get("itemprop", "").split())
    if element.tag == "a" and names & _NAMED and element.text():
        if names & {"director", "actor", "actors", "author", "creator"}:
            return {"@type": "Person", "name": element.text(), "url": element.attrs.get("href")}
        return element.text()
    attr = _URL_ATTR.get(element.tag)
    if attr and attr in element.attrs:
        return element.attrs[attr]
    if element.tag == "time" and "datetime" in element.attrs:
        return element.attrs["datetime"]
    if element.tag in ("data", "meter") and "value" in element.attrs:
        return element.attrs["value"]
    return element.text()


def _first_link(element: Element) -> str | None:
    return next((e.attrs["href"] for e in element.iter() if e.tag == "a" and "href" in e.attrs), None)


def _row_character(element: Element) -> str | None:
    """Old IMDb cast tables put the character in a sibling ``<td class="character">``."""
    row = element.parent
    while row is not None and row.tag != "tr":
        row = row.parent
    if row is None:
        return None
    cell = next((e for e in row.iter() if e.tag == "td" and "character" in e.classes()), None)
    return clean(cell.text()) if cell is not None else None


def open_graph_facts(root: Element) -> Facts | None:
    """Facts from ``og:`` meta tags; None when the page has none."""
    tags = {}
    line = 0
    for element in root.iter():
        if element.tag == "meta":
            key = element.attrs.get("property") or element.attrs.get("name") or ""
            if (key.startswith("og:") or key == "description") and key not in tags:
                tags[key] = element.attrs.get("content", "")
                line = line or element.line
    if not tags:
        return None
    facts = Facts("Open Graph", line)
    og_type = tags.get("og:type", "")
    site = clean(tags.get("og:site_name"))
    heading = parse_heading_title(tags.get("og:title", ""), site)
    if og_type.startswith("video.") or heading.get("year") is not None:
        facts.evidence = f"og:type {og_type}" if og_type.startswith("video.") else "og:title with a year"
    facts.put("id", imdb_id(tags.get("og:url")))
    for key, value in heading.items():
        facts.put(key, value)
    if "kind" not in facts.values and og_type in _OG_TYPES:
        facts.put("kind", _OG_TYPES[og_type])
    if heading.get("unknown_kind"):
        facts.note(f"og:title kind {heading['unknown_kind']!r} is not one Marquee knows; kind not set")
    facts.values.pop("unknown_kind", None)
    _og_description(clean(tags.get("og:description")), facts, site)
    if "og:description" not in tags and site == "IMDb":  # IMDb 2010: only <meta name="description">
        _imdb_meta_description(clean(tags.get("description")), facts)
    kept = ("og:title", "og:url", "og:type", "og:description", "description")
    facts.ignored = sorted(k for k in tags if k not in kept)
    return facts


def parse_heading_title(text: str, site: str | None = None) -> dict[str, Any]:
    """``"The Matrix (1999) - IMDb"`` -> title, year (and kind, end_year); the site suffix dropped."""
    heading = clean(text) or ""
    for suffix in {site or "", "IMDb"} - {""}:
        heading = re.sub(rf"\s+[-|–·]\s+{re.escape(suffix)}$", "", heading)
    match = _HEADING.match(heading)
    if not match or not match.group("title").strip():
        return {}
    found: dict[str, Any] = {"title": match.group("title").strip()}
    if match.group("year"):
        found["year"] = int(match.group("year"))
        kind_words = (match.group("kind") or "").strip().lower()
        if kind_words in _KIND_WORDS:
            if kind_words:  # a bare "(1999)" says nothing beyond the record's default, "movie"
                found["kind"] = _KIND_WORDS[kind_words]
        else:
            found["unknown_kind"] = kind_words
        if match.group("end"):
            found["end_year"] = int(match.group("end"))
    return found


def _og_description(text: str | None, facts: Facts, site: str | None) -> None:
    """On IMDb: "Title: Directed by A, B. With C, D. Outline"; elsewhere the whole text is the outline."""
    if not text:
        return
    title = facts.values.get("title")
    if site != "IMDb":
        facts.put("outline", text)
        return
    if not title or not text.startswith(f"{title}:"):
        facts.note("og:description is not about this film (IMDb's site blurb); not used")
        return
    rest = text[len(title) + 1 :].strip()
    if rest.startswith("Directed by "):
        directors, rest = _names_then_rest(rest[len("Directed by ") :])
        facts.put("directors", [PersonRef(name=name) for name in directors])
    if rest.startswith("With "):  # the first-billed cast (four names), not the page's Stars line
        cast, rest = _names_then_rest(rest[len("With ") :])
        facts.put("cast", [CastMember(name=name) for name in cast])
    facts.put("outline", rest or None)


def _imdb_meta_description(text: str | None, facts: Facts) -> None:
    """IMDb's "Directed by A. With B, C. Outline": only the outline is kept (the names are a few of the
    credits, read whole elsewhere on the page)."""
    rest = text or ""
    for lead in ("Directed by ", "With "):
        if rest.startswith(lead):
            rest = _names_then_rest(rest[len(lead) :])[1]
    if rest and rest != text:
        facts.put("outline", rest)


def _names_then_rest(text: str) -> tuple[list[str], str]:
    """ "A, B. Rest" -> (["A", "B"], "Rest"); a period after an initial or "Jr" does not end the list."""
    for match in re.finditer(r"\.(?:\s+|$)", text):
        last_word = re.split(r"[\s,]+", text[: match.start()])[-1]
        if len(last_word) <= 1 or last_word.lower() in _NOT_NAME_END:
            continue
        names = [n.strip() for n in text[: match.start()].split(",") if n.strip()]
        return names, text[match.end() :].strip()
    return [n.strip() for n in text.rstrip(".").split(",") if n.strip()], ""


def title_element_facts(root: Element) -> Facts | None:
    """The ``<title>`` element read like ``og:title``: a weak source, used only when others lack it."""
    element = next((e for e in root.iter() if e.tag == "title"), None)
    if element is None:
        return None
    facts = Facts("HTML title", element.line)
    facts.put("id", _page_title_id(root))
    heading = parse_heading_title(element.text())
    heading.pop("unknown_kind", None)
    for key, value in heading.items():
        facts.put(key, value)
    return facts if facts.values else None


_SUB_PAGE_LINK = re.compile(
    r"/title/(tt\d{7,})/(?:combined|fullcredits|trivia|goofs|quotes|plotsummary|synopsis|releaseinfo|"
    r"locations|taglines|keywords|awards|ratings|reviews|usercomments|externalreviews|technical|business)"
)


def _page_title_id(root: Element) -> str | None:
    """The page's own title id: its canonical link, else the one title every sub-page link points to
    (IMDb's pages before 2009 have no canonical link but link "full cast and crew", "trivia"… of the film)."""
    for element in root.iter():
        if element.tag == "link" and "canonical" in element.attrs.get("rel", "").lower().split():
            found = imdb_id(element.attrs.get("href"))
            if found and found.startswith("tt"):
                return found
    ids = {
        m.group(1)
        for e in root.iter()
        if e.tag == "a"
        for m in [_SUB_PAGE_LINK.search(e.attrs.get("href", ""))]
        if m
    }
    return ids.pop() if len(ids) == 1 else None
