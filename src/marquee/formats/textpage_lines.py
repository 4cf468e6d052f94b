"""A text page's lines read one at a time: headings, names, cast lines, quotes, scores, dates. Pure: no I/O.

The vocabulary the parser (``textpage_parse``) and the renderer (``textpage_render``) share: section
headings, the labels a review may carry, and the shapes of the lines that are not ``Label: value``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from marquee.errors import NotAMoviePage
from marquee.formats import vocab
from marquee.records import (
    Goof,
    Quote,
    QuoteLine,
    Score,
)

HEAD, MAIN, TECH, DYK, REVIEW = "head", "main", "tech", "dyk", "review"

HEADINGS: dict[str, str] = {
    "Technical Specs": TECH,
    "Did You Know?": DYK,
    "User Review": REVIEW,
    "User Reviews": REVIEW,
}
COMMENTS: dict[str, bool] = {"Comments are closed.": False, "Comments are open.": True}
STRUCTURE_LINES = frozenset(HEADINGS) | frozenset(COMMENTS)

# Labels that describe the film as a whole; they may stand before the outline.
EXTRA_LABELS = frozenset(
    {"Title", "ID", "Original Title", "Kind", "End Year", "Adult", "Episode Of", "Genres", "Genre",
     "Also Known As"}
)  # fmt: skip
REVIEW_LABELS = frozenset({"Review Title", "Author", "Review Date", "Score"})

WS = re.compile(r"\s+")
JUNK = re.compile(r"no valid json found", re.IGNORECASE)
LABEL = re.compile(r"^([^:]{1,40}):(?: (.*))?$")
_NUM = r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
RATING = re.compile(rf"^({_NUM}) ?/ ?(\d+)(?: \(([\d,]+) vote[sd]\))?$")
SCORE_LABEL = re.compile(rf"^({_NUM}) ?/ ?(\d+)$")
# A review's own score around "out of" / "/": the number before, the scale after.
_NUM_BEFORE = re.compile(rf"({_NUM})$")
_NUMBER_CHARS = frozenset("0123456789.eE+-")
_SCALE_AFTER = re.compile(r" ?(\d+)(?: stars?)?(?![\w.])")
INT = re.compile(r"^-?\d+$")
PUBLISHED = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{1,2})(?:st|nd|rd|th)?, (\d{1,4})$"
)
# The name part excludes sentence marks (see is_name), so prose fails here, at C speed.
_CAST = re.compile(r"^([^:;!?\"()\[\]{}<>|]{1,80}?) (?:-|–|—|\.\.\.)(?: (.*))?$")
_CAST_REST = re.compile(r"^(.*?)(?: ?\(as ([^()]+)\))?$")
_NAME_BAD = re.compile(r'[:;!?"()\[\]{}<>|]')
_SPEAKER = re.compile(r"^([^\[\]:]{1,80}?):(?: (.*))?$")
_DIRECTION = re.compile(r"^\[([^\]]*)\](?: (.*))?$")
_GOOF = re.compile(r"^([^:]{1,40}):(?: (.*))?$")
CREW = re.compile(r"^([^()]+?) \(([^():]+?)(?:: (.*))?\)$")
EPISODE = re.compile(r"^(\S+)(?: \((?:season (-?\d+))?(?:, )?(?:episode (-?\d+))?\))?$")
MONEY = re.compile(r"^(?:([$€£])|([A-Z]{3}) ?)(\d[\d,]*)(?: \(([^()]*)\))?(?: \(([^()]*)\))?$")
RUNTIME = re.compile(r"^(?:([^:()|]+):)? ?(?:(\d+) ?min)? ?(?:\((.*)\))?$")
_ISO_PARTIAL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
_MY = re.compile(r"^([A-Za-z]+) (\d{4})$")
STEM_YEAR = re.compile(r"^(.*?)[-_ .]\(?(\d{4})\)?$")
SMALL_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with")
)
_MONTH_NO = {m.casefold(): i for i, m in enumerate(vocab.MONTHS, 1)}

# Control characters no field may hold (newline, tab and carriage return are line structure).
STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Input that is mostly control characters is binary, not a page.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def normalise_text(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends (how a page carries free text)."""
    stripped = text.strip()
    # Fast path: printable text without double spaces has no whitespace but single spaces
    # (str.isprintable is False for every whitespace character except the ASCII space).
    if "  " not in stripped and stripped.isprintable():
        return stripped
    return WS.sub(" ", stripped).strip(" ")


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalise_body(text: str) -> str:
    """A review body: paragraphs (split at blank lines) normalised, joined by one blank line."""
    return "\n\n".join(p for p in (normalise_text(x) for x in _PARAGRAPH_BREAK.split(text)) if p)


def is_published_heading(line: str) -> bool:
    """Whether ``line`` has the shape of the page's dated heading ("March 8th, 1985")."""
    return PUBLISHED.match(line) is not None


def is_name(text: str) -> bool:
    """Whether ``text`` looks like a person's name: a few capitalised words, no sentence marks.

    This is what tells a cast line ("Cher - Rusty") from prose with a dash ("A story - told").
    """
    if len(text) > 80 or _NAME_BAD.search(text):
        return False
    return _capitalised(text)


def _capitalised(text: str) -> bool:
    """At most six words, each capitalised or a name particle ("van", "de")."""
    words = text.split(" ")
    if len(words) > 6:
        return False
    for w in words:  # noqa: SIM110 - a plain loop: no generator in the hot path
        if w[0].islower() and w.casefold() not in vocab.NAME_PARTICLES:
            return False
    return True


def parse_cast_line(line: str) -> dict[str, str | None] | None:
    """``Kelly Jo Minter - Lorrie (as Kelly Minter)`` -> CastMember fields, or None if not a cast line.

    Fields, not a model: the Film is validated once at the end, which is faster than one model
    per line.
    """
    m = _CAST.match(line)
    if not m:
        return None
    name = m.group(1)
    if not _capitalised(name):  # the pattern has already ruled out sentence marks
        return None
    rest = m.group(2) or ""
    if "(as " not in rest:
        return {"name": name, "character": rest.strip(" ") or None, "credited_as": None, "id": None}
    r = _CAST_REST.match(rest)
    assert r is not None  # the pattern matches every string
    return {"name": name, "character": r.group(1).strip(" ") or None, "credited_as": r.group(2), "id": None}


def cast_members(lines: list[str]) -> list[dict[str, str | None]] | None:
    """A paragraph is cast when every line is a cast line; None when one is not."""
    members = []
    for line in lines:
        member = parse_cast_line(line)
        if member is None:
            return None
        members.append(member)
    return members


def is_cast_block(lines: list[str]) -> bool:
    """Whether every line of the paragraph is a cast line."""
    return cast_members(lines) is not None


def parse_quote(lines: list[str], speakers: Callable[[], frozenset[str]]) -> Quote | None:
    """Speaker lines -> Quote; None unless every line has the shape and one names a known speaker.

    A bracketed direction ("[Poem]", or "[]" for none) also marks a quote line. A line without
    the shape continues the text of the line before it (a wrapped line).
    """
    out: list[QuoteLine] = []
    bracketed = False
    for line in lines:
        who: str | None = None
        rest: str | None = line
        if not line.startswith("["):
            m = _SPEAKER.match(line)
            if not m:
                if not out:
                    return None
                last = out[-1]
                last.text = f"{last.text} {line}" if last.text else line
                continue
            who, rest = m.group(1).strip(), m.group(2)
        direction: str | None = None
        if rest is not None and rest.startswith("["):
            d = _DIRECTION.match(rest)
            if not d:
                return None
            direction, rest = d.group(1).strip() or None, d.group(2)
            bracketed = True
        elif who is None:
            return None
        out.append(QuoteLine(character=who, direction=direction, text=rest or ""))
    if bracketed:
        return Quote(lines=out)
    # Only now build the vocabulary: most quote paragraphs are settled by a bracket.
    known = speakers()
    if any(line.character is not None and line.character.casefold() in known for line in out):
        return Quote(lines=out)
    return None


def classify_dyk(lines: list[str], speakers: Callable[[], frozenset[str]]) -> Goof | Quote | str | None:
    """A "Did You Know?" paragraph -> Goof, Quote or trivia text (None: a goof without text)."""
    first = lines[0]
    m = _GOOF.match(first)
    if m:
        category = None if m.group(1) == "Goof" else vocab.goof_category(m.group(1))
        if category is not None or m.group(1) == "Goof":
            text = " ".join([m.group(2) or "", *lines[1:]]).strip(" ")
            return Goof(category=category, text=text) if text else None
    quote = parse_quote(lines, speakers)
    if quote is not None:
        return quote
    return " ".join(lines)


def score_in_text(text: str) -> Score | None:
    """The last "4.5 out of 5 (stars)" or "8/10" in a review body, if any."""
    # Anchored at each "out of" and "/": the number before is searched in a short window and the
    # scale matched right after, so the cost is linear in the body whatever it holds.
    best: tuple[int, float, int] | None = None
    for sep in ("out of", "/"):
        at = text.find(sep)
        while at != -1:
            end = at - 1 if at and text[at - 1] == " " else at
            start = end
            while start > 0 and end - start < 40 and text[start - 1] in _NUMBER_CHARS:
                start -= 1  # back over the characters a number is made of: a few steps at most
            before = _NUM_BEFORE.search(text, start, end)
            after = _SCALE_AFTER.match(text, at + len(sep)) if before else None
            if before and after:
                start = before.start()
                prev = text[start - 1] if start else " "
                value, scale = float(before.group(1)), after.group(1)
                ok = not (prev.isalnum() or prev in "._") and len(scale) <= 9 and int(scale) > 0
                if ok and math.isfinite(value) and (best is None or start > best[0]):
                    best = (start, value, int(scale))
            at = text.find(sep, at + len(sep))
    return Score(value=best[1], scale=best[2]) if best else None


def parse_partial_date(text: str) -> str | None:
    """ "8 March 1985" -> "1985-03-08"; "March 1985" -> "1985-03"; ISO kept; None if unreadable."""
    if _ISO_PARTIAL.match(text):
        return text
    m = _DMY.match(text)
    if m:
        month = _MONTH_NO.get(m.group(2).casefold())
        if month is None:
            return None
        try:
            dt.date(int(m.group(3)), month, int(m.group(1)))
        except ValueError:
            return None
        return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    m = _MY.match(text)
    if m:
        month = _MONTH_NO.get(m.group(1).casefold())
        return f"{m.group(2)}-{month:02d}" if month else None
    return None


def check_text(text: str) -> None:
    """Reject what is plainly not a text page: nothing, or binary data."""
    if not text.strip():
        raise NotAMoviePage("the input is empty")
    sample = text[:1024]  # binary data shows itself early; a small sample keeps this cheap
    if "\x00" in sample:
        raise NotAMoviePage("the input is binary data, not a text page")
    if sample.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return  # the common case, decided at C speed
    if len(_CONTROL.findall(sample)) > len(sample) // 20:
        raise NotAMoviePage("the input is binary data, not a text page")
