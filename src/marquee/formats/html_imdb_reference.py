"""IMDb's reference view (``/title/tt…/reference``, 2017–2022): the header's rating and release date.

The reference view shows most of a film as labelled rows (``td.ipl-zebra-list__label``: Genres, Runtime,
Country…) and "Directors:" sections, which the text-section reader reads. Its header holds two facts
with no label, beside the title (the markup public IMDb scrapers select)::

    <div class="titlereference-header"> <h3 itemprop="name">The Matrix <span
        class="titlereference-title-year">(1999)</span></h3>
      <ul class="ipl-inline-list"><li>R</li><li>2h 16min</li><li>Action, Sci-Fi</li>
        <li><a href="/title/tt0133093/releaseinfo">31 March 1999 (USA)</a></li></ul>
      <span class="ipl-rating-star__rating">8.7</span>
      <span class="ipl-rating-star__total-votes">(1,670,554)</span>

Only the header is read: users' reviews further down show their own ``ipl-rating-star``. Pure: no I/O.
"""

from __future__ import annotations

import re

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, parse_count, parse_date, parse_number
from marquee.records import Rating, ReleaseDate

__all__ = ["reference_header_facts"]

_RELEASE = re.compile(r"^(?P<date>[^(]+?)\s*(?:\((?P<country>[^)]+)\))?$")


def reference_header_facts(root: Element) -> Facts | None:
    """The rating and the release date of a reference view's header; None on other pages."""
    header = next((e for e in root.iter() if "titlereference-header" in e.classes()), None)
    if header is None:
        return None
    facts = Facts("reference header", header.line)
    value = _first_text(header, "ipl-rating-star__rating")
    votes = _first_text(header, "ipl-rating-star__total-votes")
    rating = parse_number(value) if value else None
    count = parse_count((votes or "").strip("() ")) if votes else None
    if rating is not None and 0 <= rating <= 10:
        facts.put("rating", Rating(value=rating, scale=10, votes=None if count is None else int(count)))
    for link in (e for e in header.iter() if e.tag == "a" and "/releaseinfo" in e.attrs.get("href", "")):
        text = clean(link.text()) or ""
        match = _RELEASE.match(text)
        date = parse_date(match["date"]) if match else None
        if match and date:
            facts.put("release_dates", [ReleaseDate(date=date, country=match["country"])])
            break
        facts.note(f"reference header: release {text!r} is not a date; not kept", link.line)
    return facts if facts.values or facts.notes else None


def _first_text(header: Element, name: str) -> str | None:
    return next((clean(e.text()) for e in header.iter() if name in e.classes()), None)
