"""Parse a film's text page (layout of ``tests/data/pages/mask-1985.txt``) in one line-oriented pass.

The page is a sequence of lines; blank lines separate paragraphs. Each line is one of:
a section heading ("Technical Specs", "Did You Know?", "User Review"), a comments line
("Comments are closed."), a ``Label: value`` line with a known label, scraper noise
("No valid json found", reported and dropped), or text. Text lines gather into
paragraphs, placed by where they stand:

* before the first fact label (Release Year, Rating, Director…): the last paragraph is the
  outline; the first line of the page may be the dated heading ("March 8th, 1985");
* after it: a paragraph of ``Name - Character (as Credited)`` lines is cast, the first other
  paragraph is the plot;
* under "Did You Know?": ``<goof category>: text`` is a goof, ``Speaker: [direction] text``
  lines (a known cast name/character or a bracketed direction) are a quote, the rest trivia;
* under "User Review": the first paragraph is the title, the others the body.

Labelled lines the reference layout lacks, written by ``render_page`` so that nothing is lost:
``Title:``, ``ID:``, ``Original Title:``, ``Kind:``, ``End Year:``, ``Adult: yes``,
``Episode Of: tt… (season 1, episode 2)``, ``Genres:``, ``Writers:``,
``Also Known As: title | region=FR | language=fr | types=a, b | attributes=c | original``,
``Director IDs: nm1, -`` / ``Writer IDs:`` / ``Cast IDs:`` / ``Crew IDs:`` (ids in list order, "-"
for none), ``Crew: Name (category: job)``, ``Box Office: kind: $1,234`` (kinds other than
Budget, Opening Weekend, Gross, Cumulative Worldwide Gross), ``Storyline:`` (the plot when no
fact line separates it from the outline), and in a review ``Review Title:`` (empty: no title),
``Author:``, ``Review Date: 2005-06-10``, ``Score: 3/5`` or ``Score: none`` (when the body's own
"4.5 out of 5" is not the score). ``Release Date: unknown (USA)`` has no date;
``Release Date: 1985 (-) (premiere)`` has a note but no country. In a quote, ``[]`` marks a line
with no direction where the line would otherwise not read as a quote line (unknown speaker).

Normalisation (what a page can carry): free text is one line per paragraph, whitespace runs
collapse to one space and ends are stripped; a review body keeps its paragraphs, joined by a
blank line ("\\n\\n"). A paragraph whose first character is a backslash is plain text of its
place (the backslash is dropped): the renderer writes one when text would otherwise read as
structure. Names are capitalised words without ", " (list separator) or sentence marks; list
items carry no ", "; an alternate title no "|". Nothing may contain the scraper message
"No valid json found": it is reported and cut out wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from marquee.errors import NotAMoviePage
from marquee.formats import vocab
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.page_merge import Sections
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    EpisodeOf,
    Film,
    Goof,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
    describe_error,
)
from marquee.slugs import film_slug

__all__ = ["PageResult", "normalise_body", "normalise_text", "parse_bytes", "parse_page"]

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

_WS = re.compile(r"\s+")
_JUNK = re.compile(r"no valid json found", re.IGNORECASE)
_LABEL = re.compile(r"^([^:]{1,40}):(?: (.*))?$")
_NUM = r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
_RATING = re.compile(rf"^({_NUM}) ?/ ?(\d+)(?: \(([\d,]+) vote[sd]\))?$")
_SCORE_LABEL = re.compile(rf"^({_NUM}) ?/ ?(\d+)$")
# A review's own score around "out of" / "/": the number before, the scale after.
_NUM_BEFORE = re.compile(rf"({_NUM})$")
_NUMBER_CHARS = frozenset("0123456789.eE+-")
_SCALE_AFTER = re.compile(r" ?(\d+)(?: stars?)?(?![\w.])")
_INT = re.compile(r"^-?\d+$")
_PUBLISHED = re.compile(
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
_CREW = re.compile(r"^([^()]+?) \(([^():]+?)(?:: (.*))?\)$")
_EPISODE = re.compile(r"^(\S+)(?: \((?:season (-?\d+))?(?:, )?(?:episode (-?\d+))?\))?$")
_MONEY = re.compile(r"^(?:([$€£])|([A-Z]{3}) ?)(\d[\d,]*)(?: \(([^()]*)\))?(?: \(([^()]*)\))?$")
_RUNTIME = re.compile(r"^(?:([^:()|]+):)? ?(?:(\d+) ?min)? ?(?:\((.*)\))?$")
_ISO_PARTIAL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
_MY = re.compile(r"^([A-Za-z]+) (\d{4})$")
_STEM_YEAR = re.compile(r"^(.*?)[-_ .]\(?(\d{4})\)?$")
_SMALL_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with")
)
_MONTH_NO = {m.casefold(): i for i, m in enumerate(vocab.MONTHS, 1)}

# Control characters no field may hold (newline, tab and carriage return are line structure).
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Input that is mostly control characters is binary, not a page.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def normalise_text(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends (how a page carries free text)."""
    stripped = text.strip()
    # Fast path: printable text without double spaces has no whitespace but single spaces
    # (str.isprintable is False for every whitespace character except the ASCII space).
    if "  " not in stripped and stripped.isprintable():
        return stripped
    return _WS.sub(" ", stripped).strip(" ")


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalise_body(text: str) -> str:
    """A review body: paragraphs (split at blank lines) normalised, joined by one blank line."""
    return "\n\n".join(p for p in (normalise_text(x) for x in _PARAGRAPH_BREAK.split(text)) if p)


@dataclass(slots=True)
class PageResult:
    """A parsed page: the film, what could not be placed, and the sections the page carries
    (None: every section it has, whole, as a text page shows them; see ``formats.page_merge``)."""

    film: Film
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sections: Sections | None = None


@dataclass(slots=True)
class _ReviewDraft:
    line: int
    title: str | None = None
    title_fixed: bool = False
    body: list[str] = field(default_factory=list)
    score: Score | None = None
    score_fixed: bool = False
    author: str | None = None
    date: dt.date | None = None


def classify_line(line: str, section: str) -> str:
    """What a normalised, non-blank line is in ``section``: heading, comments, label, junk or text."""
    return _classify(line, section)[0]


def _classify(line: str, section: str) -> tuple[str, re.Match[str] | None]:
    """``classify_line`` plus the label's match, so the pass matches each line once."""
    if line[0] == "\\":
        return "text", None
    if line in HEADINGS:
        return "heading", None
    if line in COMMENTS:
        return "comments", None
    if "json" in line.lower() and _JUNK.search(line):  # the cheap test first: it runs on every line
        return "junk", None
    m = _LABEL.match(line) if ":" in line else None
    if m and m.group(1) in (REVIEW_LABELS if section == REVIEW else _FILM_LABELS):
        return "label", m
    return "text", None


# "Language: English", "Sound Mix: Dolby": a label this format does not know (up to three words).
_LABEL_SHAPE = re.compile(r"^([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}): \S")


def unknown_label(line: str) -> str | None:
    """The label of a ``Label: value`` line whose label is not one of the page's, else None."""
    m = _LABEL_SHAPE.match(line)
    return m.group(1) if m and m.group(1) not in _FILM_LABELS else None


def is_published_heading(line: str) -> bool:
    """Whether ``line`` has the shape of the page's dated heading ("March 8th, 1985")."""
    return _PUBLISHED.match(line) is not None


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


class _PageParser:
    """The single pass: feed lines, then ``finish`` builds the Film."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.section = HEAD
        self.para: list[str] = []
        self.para_line = 0
        self.para_escaped = False
        self.head_prose: list[tuple[int, str]] = []
        self.markers: set[str] = set()
        self.seen_content = False
        self.f: dict[str, Any] = {
            "genres": [], "stars": [], "cast": [], "crew": [], "taglines": [], "release_dates": [],
            "filming_locations": [], "box_office": [], "runtimes": [], "trivia": [], "goofs": [],
            "quotes": [], "alternate_titles": [], "directors": [], "writers": [],
        }  # fmt: skip
        self.ids: dict[str, tuple[int, list[str | None]]] = {}
        self.reviews: list[_ReviewDraft] = []
        self.file_year: int | None = None
        self._speakers: frozenset[str] | None = None
        self.lines: list[str] = []

    # -- reporting ---------------------------------------------------------------------------
    def diag(self, line: int, message: str) -> None:
        """Record a diagnostic at ``line``."""
        self.diagnostics.append(Diagnostic(self.source, line, message))

    # -- the pass ----------------------------------------------------------------------------
    def feed(self, raw_lines: list[str]) -> None:
        """Read every line once, dispatching on its kind."""
        ws, classify, para = _WS, _classify, self.para
        for no, raw in enumerate(raw_lines, 1):
            line = raw.strip()
            if not line:
                if para:
                    self.flush()
                    para = self.para
                continue
            if "  " in line or not line.isprintable():  # normalise_text, inlined: the hot loop
                line = ws.sub(" ", line)
            if not self.seen_content:
                self.seen_content = True
                if self.try_published(no, line):
                    continue
            if ":" not in line and line not in STRUCTURE_LINES and "json" not in line.lower():
                kind, m = "text", None  # most lines: _classify's answer without the call
            else:
                kind, m = classify(line, self.section)
            if kind == "junk":
                # Scraper noise: report it, keep it out of every field, keep what surrounds it.
                line = self.junk(no, line)
                if not line:
                    continue
                kind, m = _classify(line, self.section)
            if kind == "text":
                if not para:
                    if line == "\\":
                        continue  # an escape with nothing after it
                    self.para_line = no
                    self.para_escaped = line[0] == "\\"
                    if self.para_escaped:
                        line = line[1:].lstrip(" ")
                para.append(line)
                continue
            self.flush()
            para = self.para
            if kind == "label":
                assert m is not None  # _classify matched it
                self.label(no, m.group(1), m.group(2) or "")
            elif kind == "heading":
                self.heading(no, line)
            else:
                self.f["comments_open"] = COMMENTS[line]
                self.markers.add("comments")
        self.flush()

    def try_published(self, no: int, line: str) -> bool:
        """The first line may be the dated heading "March 8th, 1985"."""
        m = _PUBLISHED.match(line)
        if not m:
            return False
        try:
            self.f["published"] = dt.date(
                int(m.group(3)), vocab.MONTHS.index(m.group(1)) + 1, int(m.group(2))
            )
        except ValueError:
            self.diag(no, f"heading {line!r} is not a valid date")
            return True
        self.markers.add("published")
        return True

    def junk(self, no: int, line: str) -> str:
        """Report scraper noise and return what is left of the line without it."""
        rest = normalise_text(_JUNK.sub(" ", line))
        if rest:
            self.diag(no, "dropped the scraper message 'No valid json found' from the line")
        else:
            self.diag(no, f"could not place line {line!r}")
        return rest

    def heading(self, no: int, line: str) -> None:
        """A section heading switches the section; "User Review" opens a review."""
        self.leave_head()
        self.section = HEADINGS[line]
        self.markers.add(line)
        if self.section == REVIEW:
            self.reviews.append(_ReviewDraft(line=no))

    def leave_head(self) -> None:
        """The last paragraph before the facts is the outline; earlier ones cannot be placed."""
        if self.section != HEAD:
            return
        self.section = MAIN
        if self.head_prose:
            *unplaced, (_, outline) = self.head_prose
            self.f["outline"] = outline
            for no, text in unplaced:
                self.diag(no, f"could not place paragraph {_clip(text)!r}")
            self.markers.add("outline")

    # -- paragraphs --------------------------------------------------------------------------
    def flush(self) -> None:
        """Place the paragraph gathered so far."""
        if not self.para:
            return
        lines, no, escaped = self.para, self.para_line, self.para_escaped
        self.para = []
        if not escaped and self.section != DYK and self.section != REVIEW and len(lines) == 1:
            label = unknown_label(lines[0])
            if label is not None:  # a fact this format has no field for: report, keep it out
                self.diag(no, f"unknown label {label!r}: line not used")
                return
        if self.section in (HEAD, MAIN):
            members = None if escaped else cast_members(lines)
            if members is not None:
                self.leave_head()
                self.f["cast"] += members
                self._speakers = None
                self.markers.add("cast")
            elif self.section == HEAD:
                self.head_prose.append((no, " ".join(lines)))
            elif self.f.get("plot") is None:
                self.f["plot"] = " ".join(lines)
            else:
                self.diag(no, f"could not place paragraph {_clip(' '.join(lines))!r}")
        elif self.section == DYK:
            self.dyk(no, lines, escaped)
        elif self.section == REVIEW:
            self.review_paragraph(lines)
        else:
            self.diag(no, f"could not place paragraph {_clip(' '.join(lines))!r}")

    def speakers(self) -> frozenset[str]:
        """Names a quote may use: the cast's names, characters and their short forms."""
        if self._speakers is None:
            cast: list[dict[str, str | None]] = self.f["cast"]
            names: list[str | None] = [*self.f["stars"]]
            for member in cast:
                names += [member["name"], member["character"], member["credited_as"]]
            self._speakers = vocab.speaker_vocabulary(names)
        return self._speakers

    def dyk(self, no: int, lines: list[str], escaped: bool) -> None:
        """Goof, quote or trivia."""
        if escaped:
            self.f["trivia"].append(" ".join(lines))
            return
        item = classify_dyk(lines, self.speakers)
        if item is None:
            self.diag(no, f"goof {lines[0]!r} has no text")
        elif isinstance(item, Goof):
            self.f["goofs"].append(item)
        elif isinstance(item, Quote):
            self.f["quotes"].append(item)
        else:
            self.f["trivia"].append(item)

    def review_paragraph(self, lines: list[str]) -> None:
        """The first paragraph of a review is its title, the rest its body."""
        review = self.reviews[-1]
        text = " ".join(lines)
        if review.title is None and not review.title_fixed and not review.body:
            review.title = text
            review.title_fixed = True
        else:
            review.body.append(text)

    # -- labels ------------------------------------------------------------------------------
    def label(self, no: int, name: str, value: str) -> None:
        """Dispatch a ``Label: value`` line to its handler."""
        if self.section == REVIEW:
            self.review_label(no, name, value)
            return
        if name not in EXTRA_LABELS:
            self.leave_head()
        try:
            if _FILM_LABELS[name](self, no, name, value):
                self.markers.add(name)
        except ValueError as exc:  # a number too long to read, a value a record refuses…
            self.diag(no, f"{name}: cannot read {_clip(value)!r} ({_first_error(exc)})")

    def review_label(self, no: int, name: str, value: str) -> None:
        """Labels inside a review: Review Title, Author, Review Date, Score."""
        try:
            self._review_label(no, name, value)
        except ValueError as exc:
            self.diag(no, f"{name}: cannot read {_clip(value)!r} ({_first_error(exc)})")

    def _review_label(self, no: int, name: str, value: str) -> None:
        review = self.reviews[-1]
        if name == "Review Title":
            review.title, review.title_fixed = value or None, True
        elif name == "Author":
            review.author = value or None
        elif name == "Review Date":
            try:
                review.date = dt.date.fromisoformat(value)
            except ValueError:
                self.diag(no, f"Review Date: not an ISO date: {value!r}")
        else:
            m = _SCORE_LABEL.match(value)
            if value == "none":
                review.score, review.score_fixed = None, True
            elif m and int(m.group(2)) > 0 and math.isfinite(float(m.group(1))):
                review.score = Score(value=float(m.group(1)), scale=int(m.group(2)))
                review.score_fixed = True
            else:
                self.diag(no, f"Score: cannot read {value!r}")

    # -- finishing ---------------------------------------------------------------------------
    def finish(self) -> PageResult:
        """Build the Film; raise NotAMoviePage when nothing film-like was found."""
        self.leave_head()
        if len(self.markers) < 2:
            raise NotAMoviePage("no film facts found (no labelled lines, sections or cast)")
        self.apply_ids()
        self.finish_title()
        try:
            self.f["reviews"] = [self.finish_review(r) for r in self.reviews]
            film = Film.model_validate(self.f)
        except ValidationError as exc:  # a value the page gave breaks the record's rules
            line = self.line_of(exc.errors()[0].get("input"))
            raise NotAMoviePage(f"{self.source}:{line}: {describe_error(exc)}") from None
        return PageResult(film=film, diagnostics=sorted(self.diagnostics, key=lambda d: d.line))

    def line_of(self, value: object) -> int:
        """The first line of the page that shows ``value`` (a refused fact), else 1."""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return 1
        shown = (
            str(value)[:60]
            if isinstance(value, str)
            else f"{value:g}"
            if isinstance(value, float)
            else str(value)
        )
        if shown:
            for no, line in enumerate(self.lines, 1):
                if shown in line:
                    return no
        return 1

    def finish_review(self, draft: _ReviewDraft) -> Review:
        """A review's score comes from its Score line, else from the body's "4.5 out of 5"."""
        body = "\n\n".join(draft.body)
        score = draft.score if draft.score_fixed else score_in_text(body)
        return Review(title=draft.title, body=body, score=score, author=draft.author, date=draft.date)

    def apply_ids(self) -> None:
        """``Cast IDs: nm1, -, nm3`` lines give ids to the list they follow, in order."""
        targets = {"Cast IDs": "cast", "Director IDs": "directors", "Writer IDs": "writers",
                   "Crew IDs": "crew"}  # fmt: skip
        for label, (no, ids) in self.ids.items():
            items = self.f[targets[label]]
            if len(ids) != len(items):
                self.diag(no, f"{label}: {len(ids)} ids for {len(items)} entries; ids ignored")
                continue
            for item, ident in zip(items, ids, strict=True):
                item["id"] = ident

    def finish_title(self) -> None:
        """Without a Title line the title (and id) come from the source's file name."""
        year = self.f.get("year")
        if self.f.get("title") is None:
            stem = self.source.replace("\\", "/").rsplit("/", 1)[-1]
            stem = stem.rsplit(".", 1)[0] if "." in stem[1:] else stem
            m = _STEM_YEAR.match(stem)
            if m:
                stem, self.file_year = m.group(1), int(m.group(2))
            words = [w for w in re.split(r"[-_\s]+", stem) if w]
            if not words or stem.startswith("<"):
                self.f["title"] = "Untitled"
                self.diag(1, "no title on the page or in the file name; title set to 'Untitled'")
            else:
                self.f["title"] = " ".join(
                    w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
                )
                self.diag(1, f"title taken from the file name: {self.f['title']!r}")
            if self.file_year is not None:
                if year is None:
                    self.f["year"] = year = self.file_year
                    self.diag(1, f"year taken from the file name: {year}")
                elif year != self.file_year:
                    self.diag(1, f"the file name says {self.file_year} but the page says {year}")
        if self.f.get("id") is None:
            self.f["id"] = film_slug(self.f["title"], year)


# -- label handlers: (parser, line number, label, value) -> whether it gave a fact -------------
Handler = Callable[[_PageParser, int, str, str], bool]


def _text(key: str) -> Handler:
    def handle(p: _PageParser, no: int, name: str, value: str) -> bool:
        if not value:
            return False
        if p.f.get(key) is not None:
            p.diag(no, f"{name}: given twice; keeping the first")
            return False
        p.f[key] = value
        return True

    return handle


def _append(key: str) -> Handler:
    def handle(p: _PageParser, no: int, name: str, value: str) -> bool:
        if value:
            p.f[key].append(value)
        return bool(value)

    return handle


def _int(key: str) -> Handler:
    def handle(p: _PageParser, no: int, name: str, value: str) -> bool:
        if not _INT.match(value):
            p.diag(no, f"{name}: not a year: {value!r}")
            return False
        p.f[key] = int(value)
        return True

    return handle


def _names(value: str) -> list[str]:
    return [n for n in (s.strip(" ") for s in value.split(",")) if n]


def _people(key: str) -> Handler:
    def handle(p: _PageParser, no: int, name: str, value: str) -> bool:
        p.f[key] += [{"name": n, "id": None} for n in _names(value)]
        return bool(value)

    return handle


def _ids(p: _PageParser, no: int, name: str, value: str) -> bool:
    p.ids[name] = (no, [None if s == "-" else s for s in (x.strip(" ") for x in value.split(","))])
    return True


def _stars(p: _PageParser, no: int, name: str, value: str) -> bool:
    p.f["stars"] += _names(value)
    p._speakers = None
    return bool(value)


def _genres(p: _PageParser, no: int, name: str, value: str) -> bool:
    p.f["genres"] += _names(value)
    return bool(value)


def _adult(p: _PageParser, no: int, name: str, value: str) -> bool:
    if value.casefold() not in ("yes", "no"):
        p.diag(no, f"Adult: expected yes or no, got {value!r}")
        return False
    p.f["is_adult"] = value.casefold() == "yes"
    return True


def _rating(p: _PageParser, no: int, name: str, value: str) -> bool:
    m = _RATING.match(value)
    if not m or int(m.group(2)) == 0 or not math.isfinite(float(m.group(1))):
        p.diag(no, f"Rating: cannot read {value!r} (expected e.g. '7.0/10 (12,168 voted)')")
        return False
    votes = int(m.group(3).replace(",", "")) if m.group(3) else None
    p.f["rating"] = Rating(value=float(m.group(1)), scale=int(m.group(2)), votes=votes)
    return True


def _episode(p: _PageParser, no: int, name: str, value: str) -> bool:
    m = _EPISODE.match(value)
    if not m:
        p.diag(no, f"Episode Of: cannot read {value!r}")
        return False
    season = int(m.group(2)) if m.group(2) else None
    episode = int(m.group(3)) if m.group(3) else None
    p.f["episode_of"] = EpisodeOf(series_id=m.group(1), season=season, episode=episode)
    return True


def _aka(p: _PageParser, no: int, name: str, value: str) -> bool:
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


def _crew(p: _PageParser, no: int, name: str, value: str) -> bool:
    m = _CREW.match(value)
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


def _release_dates(p: _PageParser, no: int, name: str, value: str) -> bool:
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


def _money(p: _PageParser, no: int, label: str, kind: str, value: str) -> bool:
    m = _MONEY.match(value)
    if not m:
        p.diag(no, f"{label}: cannot read the amount {value!r} (expected e.g. '$42,400,000 (USA)')")
        return False
    currency = vocab.CURRENCY_BY_SYMBOL[m.group(1)] if m.group(1) else m.group(2)
    countries = [c for c in (m.group(4), m.group(5)) if c and c.casefold() not in vocab.NOT_COUNTRIES]
    amount = int(m.group(3).replace(",", ""))
    box = BoxOffice(kind=kind, amount=amount, currency=currency, country=countries[0] if countries else None)
    p.f["box_office"].append(box)
    return True


def _box_office(p: _PageParser, no: int, name: str, value: str) -> bool:
    return _money(p, no, name, vocab.BOX_OFFICE_KINDS[name], value)


def _box_office_generic(p: _PageParser, no: int, name: str, value: str) -> bool:
    kind, sep, money = value.partition(": ")
    if not sep or not kind:
        p.diag(no, f"Box Office: expected 'kind: amount', got {value!r}")
        return False
    return _money(p, no, name, kind, money)


def _runtime(p: _PageParser, no: int, name: str, value: str) -> bool:
    found = False
    for part in (s.strip(" ") for s in value.split("|")):
        if not part:
            continue  # "Runtime:  | USA: …" — an empty slot, nothing to keep
        m = _RUNTIME.match(part)
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


_FILM_LABELS: dict[str, Handler] = {
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


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_error(exc: ValueError) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _check_text(text: str) -> None:
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


def parse_page(text: str, source: str = "<page>") -> PageResult:
    """Parse a text page into a Film plus diagnostics; raise NotAMoviePage if it holds no film."""
    text = text.removeprefix("\ufeff")
    _check_text(text)
    if not text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        # Control characters (a stray NUL, an escape sequence) are no part of any fact: dropped,
        # which keeps line numbers (newlines stay) and keeps them out of every field.
        text = _STRAY_CONTROLS.sub("", text)
    parser = _PageParser(source)
    parser.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parser.feed(parser.lines)
    return parser.finish()


def parse_bytes(data: bytes, source: str = "<page>") -> PageResult:
    """Decode a page read from a file (UTF-8, BOM allowed) and parse it."""
    if b"\x00" in data[:4096]:
        raise NotAMoviePage("the input is binary data, not a text page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotAMoviePage(f"the input is not UTF-8 text (byte {exc.start})") from None
    return parse_page(text, source)
