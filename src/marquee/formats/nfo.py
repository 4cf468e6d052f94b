"""A film as a Kodi/Jellyfin ``movie.nfo`` file (XML). Pure: no I/O.

The elements are Kodi's (https://kodi.wiki/view/NFO_files/Movies), which Jellyfin and Emby read
too: title, originaltitle, year, plot, outline, tagline, runtime (minutes), genre and director
(one element each), actor (name, role, order = billing), uniqueid ``type="imdb"`` for ``tt`` ids
(``type="marquee"`` for Marquee's own ids, so ``formats.nfo_read`` finds the film again),
and ratings. Written with ``xml.etree`` so the output is always well-formed; characters XML 1.0
cannot hold (control characters) are dropped rather than making the file unreadable.

    >>> film_nfo(Film(id="tt0089560", title="Mask", year=1985)).splitlines()[1]
    '<movie>'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import xml.etree.ElementTree as ET

from marquee.records import Film

__all__ = ["NFO_DECLARATION", "film_nfo", "nfo_filename"]

NFO_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
# Not allowed anywhere in an XML 1.0 document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+')
# Names Windows reserves for devices, whatever the extension: "CON", "con.txt", "LPT1 (1985)…" are not.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [
        f"{d}{n}"
        for d in ("com", "lpt")
        for n in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³")
    ]
)
_MAX_NAME_BYTES = 200  # of a folder name in UTF-8 (file systems allow 255)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: object | None, **attrs: str) -> ET.Element | None:
    """A child element holding ``text``; nothing when the value is missing or empty."""
    if text is None or text == "":
        return None
    child = ET.SubElement(parent, tag, attrs)
    child.text = _clean(str(text))
    return child


def _runtime(film: Film) -> int | None:
    return next((r.minutes for r in film.runtimes if r.minutes), None)


def _premiered(film: Film) -> str | None:
    """The first full release date (YYYY-MM-DD), as Kodi's ``premiered`` wants it."""
    return next((r.date for r in film.release_dates if r.date and len(r.date) == 10), None)


def film_nfo(film: Film) -> str:
    """The ``movie.nfo`` XML of a film, with its declaration, indented, ending in a newline."""
    movie = ET.Element("movie")
    _add(movie, "title", film.title)
    _add(movie, "originaltitle", film.original_title or film.title)
    _add(movie, "year", film.year)
    _add(movie, "plot", film.plot)
    _add(movie, "outline", film.outline)
    _add(movie, "tagline", film.taglines[0] if film.taglines else None)
    _add(movie, "runtime", _runtime(film))
    _add(movie, "premiered", _premiered(film))
    for genre in film.genres:
        _add(movie, "genre", genre)
    for director in film.directors:
        _add(movie, "director", director.name)
    for writer in film.writers:
        _add(movie, "credits", writer.name)
    if film.id.startswith("tt"):
        _add(movie, "uniqueid", film.id, type="imdb", default="true")
    else:  # Marquee's own id (a slug): without it, reading the file back could not find the film
        _add(movie, "uniqueid", film.id, type="marquee", default="true")
    if film.rating is not None:
        ratings = ET.SubElement(movie, "ratings")
        rating = ET.SubElement(
            ratings, "rating", {"name": "imdb", "max": str(film.rating.scale), "default": "true"}
        )
        _add(rating, "value", film.rating.value)
        _add(rating, "votes", film.rating.votes)
    for order, member in enumerate(film.cast):
        actor = ET.SubElement(movie, "actor")
        _add(actor, "name", member.name)
        _add(actor, "role", member.character)
        _add(actor, "order", order)
    ET.indent(movie, space="  ")
    return f"{NFO_DECLARATION}\n{ET.tostring(movie, encoding='unicode')}\n"


def _safe(text: str) -> str:
    """``text`` without path separators, device or control characters, leading/trailing dots or spaces."""
    return " ".join(_UNSAFE_NAME.sub(" ", unicodedata.normalize("NFC", text)).split()).strip(" .")


def _cut(text: str, budget: int) -> str:
    """``text`` cut to at most ``budget`` bytes of UTF-8, on a character boundary."""
    return text.encode("utf-8")[: max(budget, 0)].decode("utf-8", errors="ignore").rstrip(" .")


def nfo_filename(film: Film) -> str:
    """A folder name for the film's ``movie.nfo``: ``Mask (1985) [tt0089560]``, safe on every OS.

    Never a path: no separators, no ``..``, no control characters, no reserved device name, at most
    200 bytes; an id that had to be cleaned gets a short hash of itself, so two films never share a
    folder.
    """
    ident = _safe(film.id).replace(" ", "_")
    if ident != film.id or not ident or len(ident.encode("utf-8")) > 80:
        digest = hashlib.sha256(film.id.encode("utf-8", errors="surrogatepass")).hexdigest()[:10]
        ident = f"{_cut(ident, 80)}-{digest}" if ident else digest
    year = f" ({film.year})" if film.year else ""
    suffix = f"{year} [{ident}]"
    title = _cut(_safe(film.title), _MAX_NAME_BYTES - len(suffix.encode("utf-8"))) or "untitled"
    name = f"{title}{suffix}"
    if name.split(".")[0].strip().lower() in _RESERVED or title.lower() in _RESERVED:
        name = f"_{name}"
    return name
