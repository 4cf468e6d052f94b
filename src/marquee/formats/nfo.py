"""A film as a Kodi/Jellyfin ``movie.nfo`` file (XML). Pure: no I/O.

The elements are Kodi's (https://kodi.wiki/view/NFO_files/Movies), which Jellyfin and Emby read
too: title, originaltitle, year, plot, outline, tagline, runtime (minutes), genre and director
(one element each), actor (name, role, order = billing), uniqueid ``type="imdb"`` for ``tt`` ids,
and ratings. Written with ``xml.etree`` so the output is always well-formed; characters XML 1.0
cannot hold (control characters) are dropped rather than making the file unreadable.

    >>> film_nfo(Film(id="tt0087680", title="Mask", year=1985)).splitlines()[1]
    '<movie>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from marquee.records import Film

__all__ = ["NFO_DECLARATION", "film_nfo", "nfo_filename"]

NFO_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
# Not allowed anywhere in an XML 1.0 document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


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


def nfo_filename(film: Film) -> str:
    """A folder name for the film's ``movie.nfo``: ``Mask (1985) [tt0087680]``, safe on every OS."""
    title = " ".join(_UNSAFE_NAME.sub(" ", film.title).split()).strip(" .") or "untitled"
    year = f" ({film.year})" if film.year else ""
    return f"{title[:120]}{year} [{film.id}]"
