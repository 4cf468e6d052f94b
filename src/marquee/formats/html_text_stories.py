"""Readers of the text sections that tell about a film: trivia's goofs, quotes, and user reviews.

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

from marquee.formats.html_facts import Facts, parse_date
from marquee.formats.html_text_read import Reader, Section, strip_more
from marquee.formats.vocab import (
    goof_category,
)
from marquee.records import (
    Goof,
    Quote,
    QuoteLine,
    Review,
    Score,
)

__all__ = ["STORY_READERS"]

_REVIEW_CHROME = re.compile(
    r"(?i)^(review this title|be the first to review|featured review|\d+ (out of \d+ )?(people|users)\b)"
)


def _read_goofs(section: Section, facts: Facts) -> None:
    """Goofs, each "Category: text", or under a category subheading ("Anachronisms")."""
    goofs = []
    heading_category = None
    for block in section.blocks:
        if block.kind == "subheading":
            heading_category = goof_category(block.text)
            continue
        text = strip_more(block.text) if block.kind == "text" else ""
        if not text:
            continue
        label, _, rest = text.partition(": ")
        category = goof_category(label) if rest else None
        if category:
            goofs.append(Goof(category=category, text=rest))
        else:
            goofs.append(Goof(category=heading_category, text=text))
    facts.put("goofs", [*facts.values.get("goofs", []), *goofs])


def _read_quotes(section: Section, facts: Facts) -> None:
    """Quote lines "Character: [direction] text"; a blockquote per quote, else one quote."""
    quotes: list[list[QuoteLine]] = [[]]
    for block in section.blocks:
        if block.kind == "group" and quotes[-1]:
            quotes.append([])
        text = strip_more(block.text) if block.kind == "text" else ""
        if text:
            quotes[-1].append(_quote_line(text))
    found = [Quote(lines=lines) for lines in quotes if lines]
    facts.put("quotes", [*facts.values.get("quotes", []), *found])


def _quote_line(text: str) -> QuoteLine:
    match = re.match(r"^(?P<who>[^:\[\]]{1,60}?)\s*:\s*(?:\[(?P<dir>[^\]]+)\]\s*)?(?P<text>.*)$", text)
    if match:
        return QuoteLine(
            character=match.group("who").strip(), direction=match.group("dir"), text=match.group("text")
        )
    direction = re.fullmatch(r"\[([^\]]+)\]", text)
    return QuoteLine(direction=direction.group(1)) if direction else QuoteLine(text=text)


def _read_reviews(section: Section, facts: Facts) -> None:
    """Reviews: one per subheading (its title), or the whole section as one (old IMDb layout)."""
    groups: list[tuple[str | None, list[str]]] = []
    for block in section.blocks:
        if block.kind == "subheading":
            groups.append((block.text, []))
        elif block.kind == "text":
            if not groups:
                groups.append((None, []))
            text = strip_more(block.text)
            if text and not _REVIEW_CHROME.match(text):
                groups[-1][1].append(text)
    reviews = [r for r in (_review(title, texts) for title, texts in groups) if r]
    facts.put("reviews", [*facts.values.get("reviews", []), *reviews])


def _review(title: str | None, texts: list[str]) -> Review | None:
    score: Score | None = None
    author = date = None
    body_parts = []
    for text in texts:
        meta = _review_meta(text)
        if meta is None:
            body_parts.append(text)
        else:
            score, author, date = meta[0] or score, meta[1] or author, meta[2] or date
    body_parts = [t for t in body_parts if len(t.split()) >= 3 or not any(c.isdigit() for c in t)]
    if title is None and len(body_parts) > 1 and len(body_parts[0]) < 200:
        title = body_parts.pop(0)  # old IMDb: the title in <strong> before the text
    if title is None and len(" ".join(body_parts).split()) < 3:
        return None  # a count ("4.9K") or a button, not a review
    body = "\n\n".join(body_parts)
    title_score = re.search(r"\s*\b(\d+(?:\.\d+)?)/(\d+)\s*$", title or "")
    if title and title_score:
        title = title[: title_score.start()].strip()
    found = title_score or re.search(r"\b(\d+(?:\.\d+)?) out of (\d+)(?: stars)?\.?\s*$", body)
    if score is None and found:
        score = Score(value=float(found.group(1)), scale=int(found.group(2)))
    review_date = dt.date.fromisoformat(date) if date and len(date) == 10 else None
    return Review(title=title, body=body, score=score, author=author, date=review_date)


def _review_meta(text: str) -> tuple[Score | None, str | None, str | None] | None:
    """Score, author, date of a review's meta line, or None when the line is none.

    Old IMDb: "12 January 2005 | by MovieFan (USA)"; Marquee: "4.5 out of 5 by MovieFan 12 January 2005".
    """
    rest, score, date = text.strip(), None, None
    match = re.match(r"^(\d+(?:\.\d+)?)\s*(?:out of|/)\s*(\d+)\b\s*", rest)
    if match:
        score = Score(value=float(match.group(1)), scale=int(match.group(2)))
        rest = rest[match.end() :]
    match = re.match(r"^([^|]+?\d{4})\s*\|\s*", rest)
    if match and parse_date(match.group(1)):
        date, rest = parse_date(match.group(1)), rest[match.end() :]
    words = rest.split()
    for size in (3, 2):
        if (
            date is None
            and len(words) >= size
            and words[-1].isdigit()
            and parse_date(" ".join(words[-size:]))
        ):
            date, words = parse_date(" ".join(words[-size:])), words[:-size]
    rest = " ".join(words)
    by = re.fullmatch(r"(?i)by\s+(.+?)(?:\s*\([^)]*\))?", rest)
    author = by.group(1) if by else None
    if (rest and not by) or (score is None and author is None and date is None):
        return None
    return score, author, date


# Section key -> its reader, for the stories read here.
STORY_READERS: dict[str, Reader] = {"goofs": _read_goofs, "quotes": _read_quotes, "reviews": _read_reviews}
