"""Atom feeds (RFC 4287): a feed with its id, title, updated, author and links, and its entries.

Pure: given the feed's data, ``render_feed`` writes the XML (escaped by ElementTree). Ids are
minted by the caller (``services.feeds``: absolute URLs under the site's ``base_url``, with a
fragment naming what does not move, such as a diary entry's row, so they stay permanent as the
RFC asks). Every entry has an id, a title, an updated time and an alternate link; ``content`` is
plain text (``type="text"``), so no markup from members reaches a feed reader as HTML.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ATOM_MEDIA_TYPE", "AtomEntry", "AtomFeed", "render_feed"]

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot hold (control characters but tab, newline, carriage return).
_BAD = {c: None for c in range(32) if c not in (9, 10, 13)}


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    updated: dt.datetime
    link: str
    content: str = ""
    author: str | None = None


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    author: str
    self_link: str
    link: str
    entries: Sequence[AtomEntry]
    updated: dt.datetime | None = None


def _time(value: dt.datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text.translate(_BAD)
    return element


def render_feed(feed: AtomFeed) -> bytes:
    """The feed as UTF-8 XML; ``updated`` is the newest entry's when not given (epoch when empty)."""
    root = ET.Element("feed", {"xmlns": _NS})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    newest = max((e.updated for e in feed.entries), default=None, key=_time)
    updated = feed.updated or newest or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    _text(root, "updated", _time(updated))
    author = ET.SubElement(root, "author")
    _text(author, "name", feed.author)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed.self_link})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": feed.link})
    for entry in feed.entries:
        item = ET.SubElement(root, "entry")
        _text(item, "id", entry.id)
        _text(item, "title", entry.title)
        _text(item, "updated", _time(entry.updated))
        if entry.author:
            _text(ET.SubElement(item, "author"), "name", entry.author)
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": entry.link})
        if entry.content:
            _text(item, "content", entry.content, type="text")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body
