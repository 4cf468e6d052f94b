"""Read a Kodi/Jellyfin/Emby ``movie.nfo`` (XML) into a Film: Marquee's own export and a media library's.

The inverse of :func:`marquee.formats.nfo.film_nfo` for every element it writes (title, originaltitle,
year, plot, outline, tagline, runtime, premiered, genre, director, credits, uniqueid, ratings, actor
with role and order), plus the elements Kodi and Jellyfin write that the record has a place for:
``country`` (countries), ``uniqueid`` of other types (``tmdb``, ``tvdb``… as external ids; the old
``<id>`` element too) and ratings from other sites (kept as scores with their source, never as the
IMDb-style rating). Anything else (``studio``, ``set``, ``fileinfo``, ``thumb``…) is reported as not
kept. Text is taken as written (XML carries line ends as ``\\n``). Parsed with the standard library's
XML parser, which expands no external entities; a document type declaration is refused (no entity
expansion attacks). Pure: no I/O.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from pydantic import ValidationError

from marquee.errors import NotAMoviePage
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.page_merge import main_page_sections
from marquee.formats.textpage_parse import PageResult
from marquee.records import (
    CastMember,
    ExternalScore,
    Film,
    PersonRef,
    Rating,
    ReleaseDate,
    Runtime,
    describe_error,
    is_safe_id,
)
from marquee.slugs import film_slug

__all__ = ["looks_like_nfo", "parse_nfo"]

_ROOTS = ("movie", "tvshow", "episodedetails", "musicvideo")
_KINDS = {"movie": "movie", "tvshow": "tvSeries", "episodedetails": "tvEpisode", "musicvideo": "musicVideo"}
_READ = frozenset(
    "title originaltitle year plot outline tagline runtime premiered releasedate genre director credits "  # noqa: SIM905
    "uniqueid id imdbid ratings rating votes actor country".split()
)
# Kodi's rating names -> (source, kind) of a score; "imdb" is the rating itself.
_SCORE_NAMES = {
    "themoviedb": ("TMDB", "average"),
    "tmdb": ("TMDB", "average"),
    "trakt": ("Trakt", "average"),
    "metacritic": ("Metacritic", "metascore"),
    "tomatometerallcritics": ("Rotten Tomatoes", "critics"),
    "tomatometerallaudience": ("Rotten Tomatoes", "audience"),
    "letterboxd": ("Letterboxd", "average"),
}
_ROOT_START = re.compile(r"<(?:movie|tvshow|episodedetails|musicvideo)[\s>/]")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)


def looks_like_nfo(text: str) -> bool:
    """An XML document whose root is ``<movie>`` (or a Kodi ``<tvshow>``/``<episodedetails>``)."""
    head = text.lstrip("\ufeff \t\r\n")[:2048]
    head = re.sub(r"^<\?xml[^>]*\?>\s*", "", head)
    head = re.sub(r"^(?:<!--.*?-->\s*)+", "", head, flags=re.DOTALL)
    return _ROOT_START.match(head) is not None


def parse_nfo(text: str, source: str = "<nfo>") -> PageResult:
    """The film of a ``.nfo`` file; ``NotAMoviePage`` with a one-line reason when it holds none."""
    if _DOCTYPE.search(text):
        raise NotAMoviePage(f"{source}: not a movie page: an XML document type declaration is not accepted")
    try:
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as err:
        line, column = err.position
        raise NotAMoviePage(
            f"{source}:{line}: not a movie page: not well-formed XML (column {column + 1})"
        ) from None
    if root.tag not in _ROOTS:
        raise NotAMoviePage(f"{source}: not a movie page: the root element is <{root.tag}>, not <movie>")
    notes: list[str] = []
    try:
        film = _film(root, notes)
    except (ValidationError, ValueError) as err:
        why = describe_error(err) if isinstance(err, ValidationError) else str(err)
        raise NotAMoviePage(f"{source}: not a movie page: facts do not make a film record: {why}") from None
    diagnostics = [Diagnostic(source, 1, note) for note in notes]
    return PageResult(film=film, diagnostics=diagnostics, sections=main_page_sections(film, "kodi-nfo"))


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None or element.text == "":
        return None
    return element.text


def _int(element: ET.Element | None, notes: list[str]) -> int | None:
    text = _text(element)
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        notes.append(
            f"<{element.tag if element is not None else '?'}> {text!r} is not a whole number; not kept"
        )
        return None


def _float(text: str | None) -> float | None:
    try:
        return None if text is None else float(text.strip())
    except ValueError:
        return None


def _all(root: ET.Element, tag: str) -> list[str]:
    return [t for t in (_text(e) for e in root.findall(tag)) if t is not None]


def _film(root: ET.Element, notes: list[str]) -> Film:
    values: dict[str, Any] = {}
    title = _text(root.find("title"))
    if title is None:
        raise ValueError("no <title>")
    values["title"] = title
    if _KINDS[root.tag] != "movie":
        values["kind"] = _KINDS[root.tag]
    original = _text(root.find("originaltitle"))
    values["original_title"] = original if original != title else None
    values["year"] = _int(root.find("year"), notes)
    values["plot"] = _text(root.find("plot"))
    values["outline"] = _text(root.find("outline"))
    values["taglines"] = _all(root, "tagline")
    minutes = _int(root.find("runtime"), notes)
    values["runtimes"] = [Runtime(minutes=minutes)] if minutes else []
    premiered = _text(root.find("premiered")) or _text(root.find("releasedate"))
    if premiered is not None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", premiered.strip()):
            values["release_dates"] = [ReleaseDate(date=premiered.strip())]
        else:
            notes.append(f"<premiered> {premiered!r} is not a YYYY-MM-DD date; not kept")
    values["genres"] = _all(root, "genre")
    values["directors"] = [PersonRef(name=name) for name in _all(root, "director")]
    values["writers"] = [PersonRef(name=name) for name in _all(root, "credits")]
    values["countries"] = _all(root, "country")
    film_id, external = _ids(root)
    values["external_ids"] = external
    _ratings(root, values, notes)
    cast: list[tuple[int, int, str, ET.Element]] = []
    for actor in root.findall("actor"):
        name = _text(actor.find("name"))
        if name is None:
            notes.append("an <actor> without a <name>; not kept")
            continue
        order = _int(actor.find("order"), notes)
        cast.append((order if order is not None else len(cast) + 10**9, len(cast), name, actor))
    values["cast"] = [
        CastMember(name=name, character=_text(actor.find("role"))) for _, _, name, actor in sorted(cast)
    ]
    values["id"] = film_id or film_slug(title, values.get("year"))
    if film_id is None:
        notes.append(f"no IMDb or Marquee id (<uniqueid>); the film's id is the slug {values['id']!r}")
    ignored = sorted({child.tag for child in root if child.tag not in _READ})
    if ignored:
        notes.append(f"not kept (no place in a film record): {', '.join(ignored)}")
    return Film(**{k: v for k, v in values.items() if v is not None})


def _ids(root: ET.Element) -> tuple[str | None, dict[str, str]]:
    """The film's id (IMDb's, else Marquee's own) and the other sites' ids."""
    film_id = None
    external: dict[str, str] = {}
    for element in root.findall("uniqueid"):
        value, kind = (_text(element) or "").strip(), element.get("type", "").strip().lower()
        if not value:
            continue
        if kind in ("imdb", "marquee") and is_safe_id(value) and film_id is None:
            film_id = value
        elif kind and kind not in ("imdb", "marquee"):
            external.setdefault("tmdb" if kind == "themoviedb" else kind, value)
    for tag in ("imdbid", "id"):
        value = (_text(root.find(tag)) or "").strip()
        if film_id is None and re.fullmatch(r"tt\d{7,}", value):
            film_id = value
    return film_id, external


def _ratings(root: ET.Element, values: dict[str, Any], notes: list[str]) -> None:
    scores = []
    for rating in root.findall("ratings/rating"):
        name = rating.get("name", "").strip().lower()
        value = _float(_text(rating.find("value")))
        votes = _float(_text(rating.find("votes")))
        scale = round(_float(rating.get("max")) or 10)
        if value is None:
            notes.append(f"a <rating name={name!r}> without a numeric value; not kept")
        elif name == "imdb":
            values["rating"] = Rating(value=value, scale=scale, votes=None if votes is None else round(votes))
        else:
            source, kind = _SCORE_NAMES.get(name, (name or "unknown", "average"))
            scores.append(
                ExternalScore(
                    source=source,
                    kind=kind,
                    value=value,
                    scale=scale,
                    count=None if votes is None else round(votes),
                )
            )
    values["scores"] = scores
    if "rating" not in values and root.find("ratings") is None:
        value = _float(_text(root.find("rating")))  # Kodi before v17: <rating> and <votes> at the top
        if value is not None:
            votes = _float(_text(root.find("votes")))
            values["rating"] = Rating(value=value, votes=None if votes is None else round(votes))
