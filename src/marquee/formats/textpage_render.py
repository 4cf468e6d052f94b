"""Render a Film as a text page in the reference layout, so that ``parse_page`` gives it back.

Fields the reference layout lacks get labelled lines in the same ``Label: value`` style
(``Title:``, ``ID:``, ``Genres:``, ``Cast IDs:``…). Free text that would read as structure
where it stands (a trivia paragraph that starts "Continuity: ", a plot shaped like a cast line)
is written with a leading backslash, which the parser drops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from marquee.formats import vocab
from marquee.formats.textpage_labels import classify_line, unknown_label
from marquee.formats.textpage_lines import (
    DYK,
    HEAD,
    MAIN,
    REVIEW,
    classify_dyk,
    is_cast_block,
    is_published_heading,
    normalise_body,
    normalise_text,
    parse_quote,
    score_in_text,
)
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    Film,
    PersonRef,
    Quote,
    QuoteLine,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)

__all__ = ["normalise_film", "render_page"]

# Text fields where "" is a value (not "missing"): a quote line with only a direction, a review
# without a body.
_EMPTY_OK = frozenset({"text", "body"})


def _num(value: float) -> str:
    """7.0 -> "7.0"; other floats in the shortest form that reads back exactly."""
    short = f"{value:.1f}"
    return short if float(short) == value else repr(value)


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def published_heading(date: dt.date) -> str:
    """1985-03-08 -> "March 8th, 1985"."""
    return f"{vocab.MONTHS[date.month - 1]} {_ordinal(date.day)}, {date.year}"


def _partial_date(iso: str) -> str:
    """ "1985-03-08" -> "8 March 1985", "1985-03" -> "March 1985"; odd values stay ISO."""
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {vocab.MONTHS[day.month - 1]} {parts[0]}"
        if len(parts) == 2 and 1 <= int(parts[1]) <= 12:
            return f"{vocab.MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except ValueError:
        pass
    return iso


Speakers = Callable[[], frozenset[str]]


def _no_speakers() -> frozenset[str]:
    return frozenset()


def _escape(text: str, section: str, speakers: Speakers = _no_speakers) -> str:
    """Prefix a backslash when ``text`` would not read back as plain text where it stands."""
    plain = (
        not text.startswith("\\")
        and classify_line(text, section) == "text"
        and not (
            section in (HEAD, MAIN)
            and (is_cast_block([text]) or is_published_heading(text) or unknown_label(text) is not None)
        )
        and not (section == DYK and classify_dyk([text], speakers) != text)
    )
    return text if plain else "\\" + text


def _ids(label: str, items: list[PersonRef] | list[CastMember] | list[CrewMember]) -> list[str]:
    if all(item.id is None for item in items):
        return []
    return [f"{label}: " + ", ".join(item.id or "-" for item in items)]


def _people(singular: str, people: list[PersonRef]) -> list[str]:
    if not people:
        return []
    label = singular if len(people) == 1 else singular + "s"
    return [f"{label}: " + ", ".join(p.name for p in people), *_ids(f"{singular} IDs", people)]


def _aka(aka: AlternateTitle) -> str:
    parts = [aka.title]
    if aka.region is not None:
        parts.append(f"region={aka.region}")
    if aka.language is not None:
        parts.append(f"language={aka.language}")
    if aka.types:
        parts.append("types=" + ", ".join(aka.types))
    if aka.attributes:
        parts.append("attributes=" + ", ".join(aka.attributes))
    if aka.is_original:
        parts.append("original")
    return "Also Known As: " + " | ".join(parts)


def _extras(film: Film) -> list[str]:
    """Labelled lines for fields the reference layout lacks."""
    lines = [f"Title: {film.title}", f"ID: {film.id}"]
    if film.original_title is not None:
        lines.append(f"Original Title: {film.original_title}")
    if film.kind != "movie":
        lines.append(f"Kind: {film.kind}")
    if film.end_year is not None:
        lines.append(f"End Year: {film.end_year}")
    if film.is_adult:
        lines.append("Adult: yes")
    if film.episode_of is not None:
        ep = film.episode_of
        where = ", ".join(
            x for x in (f"season {ep.season}" if ep.season is not None else "",
                        f"episode {ep.episode}" if ep.episode is not None else "") if x
        )  # fmt: skip
        lines.append(f"Episode Of: {ep.series_id}" + (f" ({where})" if where else ""))
    if film.genres:
        lines.append("Genres: " + ", ".join(film.genres))
    lines += [_aka(aka) for aka in film.alternate_titles]
    return lines


def _facts(film: Film) -> list[str]:
    lines: list[str] = []
    if film.year is not None:
        lines.append(f"Release Year: {film.year}")
    if film.rating is not None:
        r = film.rating
        votes = f" ({r.votes:,} voted)" if r.votes is not None else ""
        lines.append(f"Rating: {_num(r.value)}/{r.scale}{votes}")
    lines += _people("Director", film.directors)
    lines += _people("Writer", film.writers)
    if film.stars:
        lines.append("Stars: " + ", ".join(film.stars))
    return lines


def _cast_line(member: CastMember) -> str:
    line = f"{member.name} -"
    if member.character is not None:
        line += f" {member.character}"
    if member.credited_as is not None:
        line += f" (as {member.credited_as})"
    return line


def _crew_line(member: CrewMember) -> str:
    job = f": {member.job}" if member.job is not None else ""
    return f"Crew: {member.name} ({member.category}{job})"


def _release(rd: ReleaseDate) -> str:
    text = _partial_date(rd.date) if rd.date is not None else "unknown"
    if rd.country is not None or rd.note is not None:
        text += f" ({rd.country or '-'})"
    if rd.note is not None:
        text += f" ({rd.note})"
    return f"Release Date: {text}"


def _money(box: BoxOffice) -> str:
    symbol = vocab.SYMBOL_BY_CURRENCY.get(box.currency)
    amount = f"{symbol}{box.amount:,}" if symbol else f"{box.currency} {box.amount:,}"
    return amount + (f" ({box.country})" if box.country is not None else "")


def _box_office(box: BoxOffice) -> str:
    label = next((lab for lab, kind in vocab.BOX_OFFICE_KINDS.items() if kind == box.kind), None)
    if label is None:
        return f"Box Office: {box.kind}: {_money(box)}"
    return f"{label}: {_money(box)}"


def _runtime(rt: Runtime) -> str:
    parts = [f"{rt.country}:" if rt.country is not None else "",
             f"{rt.minutes} min" if rt.minutes is not None else "",
             f"({rt.note})" if rt.note is not None else ""]  # fmt: skip
    return " ".join(p for p in parts if p)


def _details(film: Film) -> list[str]:
    lines = [_crew_line(m) for m in film.crew] + _ids("Crew IDs", film.crew)
    lines += [f"Taglines: {t}" for t in film.taglines]
    lines += [_release(rd) for rd in film.release_dates]
    lines += [f"Filming Locations: {loc}" for loc in film.filming_locations]
    lines += [_box_office(box) for box in film.box_office]
    return lines


def _quote_line(line: QuoteLine, speakers: Speakers) -> str:
    direction = line.direction
    # "[]" marks "no direction" where the line would otherwise not read as a quote line.
    if direction is None and (
        line.text.startswith("[") or line.character is None or line.character.casefold() not in speakers()
    ):
        direction = ""
    out = f"{line.character}:" if line.character is not None else ""
    if direction is not None:
        out += f" [{direction}]"
    if line.text:
        out += f" {line.text}"
    return out.lstrip(" ")


def _quote(quote: Quote, speakers: Speakers) -> str:
    lines = [_quote_line(line, speakers) for line in quote.lines]
    if parse_quote(lines, speakers) is None:  # pragma: no cover - every line is marked above
        raise ValueError("quote cannot be written as a page paragraph")
    return "\n".join(lines)


def _dyk(film: Film, speakers: Speakers) -> list[str]:
    paras = [_escape(t, DYK, speakers) for t in film.trivia]
    paras += [f"{g.category or 'Goof'}: {g.text}" for g in film.goofs]
    paras += [_quote(q, speakers) for q in film.quotes]
    return paras


def _review(review: Review) -> list[str]:
    paras = ["User Review"]
    labels: list[str] = []
    body = review.body.split("\n\n") if review.body else []
    if review.title is None and body:
        labels.append("Review Title:")
    if review.author is not None:
        labels.append(f"Author: {review.author}")
    if review.date is not None:
        labels.append(f"Review Date: {review.date.isoformat()}")
    if review.score != score_in_text(review.body):
        score: Score | None = review.score
        labels.append("Score: " + (f"{_num(score.value)}/{score.scale}" if score else "none"))
    if labels:
        paras.append("\n".join(labels))
    if review.title is not None:
        paras.append(_escape(review.title, REVIEW) + ("\n" if body else ""))
    paras += [_escape(p, REVIEW) for p in body]
    return paras


def _speakers(film: Film) -> Speakers:
    """The cast's speaker vocabulary, built on first use: most pages never need it."""
    cache: list[frozenset[str]] = []

    def speakers() -> frozenset[str]:
        if not cache:
            names: list[str | None] = [*film.stars]
            for member in film.cast:
                names += [member.name, member.character, member.credited_as]
            cache.append(vocab.speaker_vocabulary(names))
        return cache[0]

    return speakers


def _normal(value: Any, key: str = "") -> Any:
    """Normalise the text in dumped record data the way a page carries it (see the parser)."""
    if isinstance(value, str):
        text = normalise_body(value) if key == "body" else normalise_text(value)
        return text if text or key in _EMPTY_OK else None
    if isinstance(value, dict):
        return {k: _normal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normal(v, key) for v in value]
        return [v for v in items if v is not None]
    return value


def _tidy(text: str) -> bool:
    """Whether non-empty ``text`` is normalised; printable text has no whitespace but " "."""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return False
    return text.isprintable() or normalise_text(text) == text


def _looks_normal(film: Film) -> bool:
    """A quick sufficient test on the compact JSON (serialised in Rust): no text can be untidy.

    Outside strings compact JSON has no spaces, so '" ' / ' "' mean a string starts / ends with a
    space; any other backslash (escaped newline, tab…) or '""' sends the film to ``_is_normal``.
    """
    # bytes: the membership tests run in C. Escaped quotes are plain text; dropping them can only
    # make the test fail (never pass) wrongly.
    data = film.model_dump_json().encode().replace(b'\\"', b"")
    if b"\\" in data or b'""' in data or b"  " in data or b'" ' in data or b' "' in data:
        return False
    return data.decode().isprintable()


def _is_normal(film: Film) -> bool:
    """Whether record data is already as ``_normal`` would make it (checked without copying)."""
    stack: list[tuple[str, Any]] = list(film.__dict__.items())
    while stack:  # iterative and type-dispatched: this runs on every render
        key, value = stack.pop()
        kind = type(value)
        if kind is str:
            if key == "body":
                if normalise_body(value) != value:
                    return False
            elif not value:
                if key not in _EMPTY_OK:
                    return False
            elif not _tidy(value):
                return False
        elif kind is list:
            stack.extend((key, item) for item in value)
        elif isinstance(value, BaseModel):
            stack.extend(value.__dict__.items())
    return True


def normalise_film(film: Film) -> Film:
    """The film with its free text as a page carries it: one line per paragraph, single spaces.

    Text that becomes empty is dropped (from lists) or None; a film whose required text would be
    empty is returned unchanged.
    """
    if _looks_normal(film) or _is_normal(film):  # the common case: records are already tidy
        return film
    data = film.model_dump()
    normal = _normal(data)
    if normal == data:
        return film
    try:
        return Film.model_validate(normal)
    except ValueError:
        return film


def render_page(film: Film) -> str:
    """The film as a text page in the reference layout; ``parse_page`` reads it back unchanged.

    Free text is normalised first (``normalise_film``), so any record renders as a well-formed
    page and ``render_page(parse_page(render_page(f)).film) == render_page(f)``.
    """
    film = normalise_film(film)
    paras: list[str] = []
    if film.published is not None:
        paras.append(published_heading(film.published))
    paras.append("\n".join(_extras(film)))
    if film.outline is not None:
        paras.append(_escape(film.outline, HEAD))
    facts = _facts(film)
    paras += facts
    if film.plot is not None:
        paras.append(_escape(film.plot, MAIN) if facts else f"Storyline: {film.plot}")
    if film.cast:
        paras.append("\n".join(_cast_line(m) for m in film.cast))
        paras += _ids("Cast IDs", film.cast)
    paras += _details(film)
    if film.runtimes:
        paras += ["Technical Specs", "Runtime: " + " | ".join(_runtime(rt) for rt in film.runtimes)]
    dyk = _dyk(film, _speakers(film))
    if dyk:
        paras += ["Did You Know?", *dyk]
    for review in film.reviews:
        paras += _review(review)
    if not film.comments_open:
        paras.append("Comments are closed.")
    return "\n\n".join(paras) + "\n"
