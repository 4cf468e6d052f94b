"""A text page's ``Label: value`` lines: which labels are facts, and the handler that reads each. No I/O.

Each handler takes (parser, line number, label, value), puts its fact on the parser's film and answers
whether it gave one; ``classify_line`` tells a label line from a heading, noise or text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from marquee.formats import vocab
from marquee.formats.textpage_lines import (
    COMMENTS,
    CREW,
    EPISODE,
    HEADINGS,
    INT,
    JUNK,
    LABEL,
    MONEY,
    RATING,
    REVIEW,
    REVIEW_LABELS,
    RUNTIME,
    parse_partial_date,
)
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    EpisodeOf,
    Rating,
    ReleaseDate,
    Runtime,
)

if TYPE_CHECKING:
    from marquee.formats.textpage_parse import PageParser


def classify_line(line: str, section: str) -> str:
    """What a normalised, non-blank line is in ``section``: heading, comments, label, junk or text."""
    return classify_match(line, section)[0]


def classify_match(line: str, section: str) -> tuple[str, re.Match[str] | None]:
    """``classify_line`` plus the label's match, so the pass matches each line once."""
    if line[0] == "\\":
        return "text", None
    if line in HEADINGS:
        return "heading", None
    if line in COMMENTS:
        return "comments", None
    if "json" in line.lower() and JUNK.search(line):  # the cheap test first: it runs on every line
        return "junk", None
    m = LABEL.match(line) if ":" in line else None
    if m and m.group(1) in (REVIEW_LABELS if section == REVIEW else FILM_LABELS):
        return "label", m
    return "text", None


# "Language: English", "Sound Mix: Dolby": a label this format does not know (up to three words).
_LABEL_SHAPE = re.compile(r"^([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}): \S")


def unknown_label(line: str) -> str | None:
    """The label of a ``Label: value`` line whose label is not one of the page's, else None."""
    m = _LABEL_SHAPE.match(line)
    return m.group(1) if m and m.group(1) not in FILM_LABELS else None


# -- label handlers: (parser, line number, label, value) -> whether it gave a fact -------------
Handler = Callable[["PageParser", int, str, str], bool]


def _text(key: str) -> Handler:
    def handle(p: PageParser, no: int, name: str, value: str) -> bool:
        if not value:
            return False
        if p.f.get(key) is not None:
            p.diag(no, f"{name}: given twice; keeping the first")
            return False
        p.f[key] = value
        return True

    return handle


def _append(key: str) -> Handler:
    def handle(p: PageParser, no: int, name: str, value: str) -> bool:
        if value:
            p.f[key].append(value)
        return bool(value)

    return handle


def _int(key: str) -> Handler:
    def handle(p: PageParser, no: int, name: str, value: str) -> bool:
        if not INT.match(value):
            p.diag(no, f"{name}: not a year: {value!r}")
            return False
        p.f[key] = int(value)
        return True

    return handle


def _names(value: str) -> list[str]:
    return [n for n in (s.strip(" ") for s in value.split(",")) if n]


def _people(key: str) -> Handler:
    def handle(p: PageParser, no: int, name: str, value: str) -> bool:
        p.f[key] += [{"name": n, "id": None} for n in _names(value)]
        return bool(value)

    return handle


def _ids(p: PageParser, no: int, name: str, value: str) -> bool:
    p.ids[name] = (no, [None if s == "-" else s for s in (x.strip(" ") for x in value.split(","))])
    return True


def _stars(p: PageParser, no: int, name: str, value: str) -> bool:
    p.f["stars"] += _names(value)
    p._speakers = None
    return bool(value)


def _genres(p: PageParser, no: int, name: str, value: str) -> bool:
    p.f["genres"] += _names(value)
    return bool(value)


def _adult(p: PageParser, no: int, name: str, value: str) -> bool:
    if value.casefold() not in ("yes", "no"):
        p.diag(no, f"Adult: expected yes or no, got {value!r}")
        return False
    p.f["is_adult"] = value.casefold() == "yes"
    return True


def _rating(p: PageParser, no: int, name: str, value: str) -> bool:
    m = RATING.match(value)
    if not m or int(m.group(2)) == 0 or not math.isfinite(float(m.group(1))):
        p.diag(no, f"Rating: cannot read {value!r} (expected e.g. '7.0/10 (12,168 voted)')")
        return False
    votes = int(m.group(3).replace(",", "")) if m.group(3) else None
    p.f["rating"] = Rating(value=float(m.group(1)), scale=int(m.group(2)), votes=votes)
    return True


def _episode(p: PageParser, no: int, name: str, value: str) -> bool:
    m = EPISODE.match(value)
    if not m:
        p.diag(no, f"Episode Of: cannot read {value!r}")
        return False
    season = int(m.group(2)) if m.group(2) else None
    episode = int(m.group(3)) if m.group(3) else None
    p.f["episode_of"] = EpisodeOf(series_id=m.group(1), season=season, episode=episode)
    return True


def _aka(p: PageParser, no: int, name: str, value: str) -> bool:
    title, *parts = value.split(" | ")
    if not title:
        return False
    aka: dict[str, Any] = {"title": title}
    for part in parts:
        key, _, val = part.partition("=")
        if key in ("region", "language"):
            aka[key] = val
        elif key in ("types", "attributes"):
            aka[key] = _names(val)
        elif part == "original":
            aka["is_original"] = True
        else:
            p.diag(no, f"Also Known As: unknown part {part!r}")
    p.f["alternate_titles"].append(AlternateTitle(**aka))
    return True


def _crew(p: PageParser, no: int, name: str, value: str) -> bool:
    m = CREW.match(value)
    if not m:
        p.diag(no, f"Crew: cannot read {value!r} (expected 'Name (category: job)')")
        return False
    job = (m.group(3) or "").strip(" ") or None
    p.f["crew"].append({"name": m.group(1), "category": m.group(2).strip(" "), "job": job, "id": None})
    return True


def _trailing_groups(value: str, most: int = 2) -> tuple[str, list[str]]:
    """ "8 March 1985 (USA) (premiere)" -> ("8 March 1985", ["USA", "premiere"]), right to left.

    Done by hand, not by regex: a regex with optional groups after a lazy head backtracks
    quadratically on a long line of parentheses.
    """
    groups: list[str] = []
    while len(groups) < most and value.endswith(")"):
        at = value.rfind(" (")
        inner = value[at + 2 : -1]
        if at <= 0 or "(" in inner or ")" in inner:
            break
        groups.insert(0, inner)
        value = value[:at]
    return value, groups


def _release_dates(p: PageParser, no: int, name: str, value: str) -> bool:
    parts = value.split(", ") if name == "Release Dates" else [value]
    for part in parts:
        raw, groups = _trailing_groups(part)
        country = groups[0] if groups else None
        note = groups[1] if len(groups) > 1 else None
        date = None if raw == "unknown" else parse_partial_date(raw)
        if date is None and raw != "unknown":
            p.diag(no, f"{name}: cannot read the date {raw!r}")
        country = None if country in (None, "-", "") else country
        p.f["release_dates"].append(ReleaseDate(date=date, country=country, note=note or None))
    return True


def _money(p: PageParser, no: int, label: str, kind: str, value: str) -> bool:
    m = MONEY.match(value)
    if not m:
        p.diag(no, f"{label}: cannot read the amount {value!r} (expected e.g. '$42,400,000 (USA)')")
        return False
    currency = vocab.CURRENCY_BY_SYMBOL[m.group(1)] if m.group(1) else m.group(2)
    countries = [c for c in (m.group(4), m.group(5)) if c and c.casefold() not in vocab.NOT_COUNTRIES]
    amount = int(m.group(3).replace(",", ""))
    box = BoxOffice(kind=kind, amount=amount, currency=currency, country=countries[0] if countries else None)
    p.f["box_office"].append(box)
    return True


def _box_office(p: PageParser, no: int, name: str, value: str) -> bool:
    return _money(p, no, name, vocab.BOX_OFFICE_KINDS[name], value)


def _box_office_generic(p: PageParser, no: int, name: str, value: str) -> bool:
    kind, sep, money = value.partition(": ")
    if not sep or not kind:
        p.diag(no, f"Box Office: expected 'kind: amount', got {value!r}")
        return False
    return _money(p, no, name, kind, money)


def _runtime(p: PageParser, no: int, name: str, value: str) -> bool:
    found = False
    for part in (s.strip(" ") for s in value.split("|")):
        if not part:
            continue  # "Runtime:  | USA: …" — an empty slot, nothing to keep
        m = RUNTIME.match(part)
        if not m:
            p.diag(no, f"Runtime: cannot read {part!r} (expected e.g. 'USA: 126 min (director's cut)')")
            continue
        country, minutes, note = m.group(1), m.group(2), m.group(3)
        country = country.strip(" ") if country else None
        runtime = Runtime(minutes=int(minutes) if minutes else None, country=country or None, note=note)
        if minutes is None:
            where = " ".join(x for x in (country, f"({note})" if note else None) if x)
            p.diag(no, f"Runtime: minutes missing{' for ' + where if where else ''}")
        p.f["runtimes"].append(runtime)
        found = True
    return found


FILM_LABELS: dict[str, Handler] = {
    "Title": _text("title"),
    "ID": _text("id"),
    "Original Title": _text("original_title"),
    "Kind": _text("kind"),
    "End Year": _int("end_year"),
    "Adult": _adult,
    "Episode Of": _episode,
    "Genres": _genres,
    "Genre": _genres,
    "Also Known As": _aka,
    "Release Year": _int("year"),
    "Rating": _rating,
    "Director": _people("directors"),
    "Directors": _people("directors"),
    "Director IDs": _ids,
    "Writer": _people("writers"),
    "Writers": _people("writers"),
    "Writer IDs": _ids,
    "Star": _stars,
    "Stars": _stars,
    "Storyline": _text("plot"),
    "Cast IDs": _ids,
    "Crew": _crew,
    "Crew IDs": _ids,
    "Tagline": _append("taglines"),
    "Taglines": _append("taglines"),
    "Release Date": _release_dates,
    "Release Dates": _release_dates,
    "Filming Location": _append("filming_locations"),
    "Filming Locations": _append("filming_locations"),
    **{label: _box_office for label in vocab.BOX_OFFICE_KINDS},
    "Box Office": _box_office_generic,
    "Runtime": _runtime,
    "Runtimes": _runtime,
}
