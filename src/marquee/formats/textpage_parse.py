"""Parse a film's text page (layout of ``tests/data/pages/mask-1985.txt``) in one line-oriented pass.
One concept: the pass is one state machine (``PageParser``: section, paragraph, review draft) whose
steps all read and write the same state, so it stays whole here; the lines' shapes are in
``textpage_lines`` and the label handlers in ``textpage_labels``.

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
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from marquee.errors import NotAMoviePage
from marquee.formats import vocab
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.page_merge import Sections
from marquee.formats.textpage_labels import FILM_LABELS, classify_match, unknown_label
from marquee.formats.textpage_lines import (
    COMMENTS,
    DYK,
    EXTRA_LABELS,
    HEAD,
    HEADINGS,
    JUNK,
    MAIN,
    PUBLISHED,
    REVIEW,
    SCORE_LABEL,
    SMALL_WORDS,
    STEM_YEAR,
    STRAY_CONTROLS,
    STRUCTURE_LINES,
    WS,
    cast_members,
    check_text,
    classify_dyk,
    normalise_body,
    normalise_text,
    score_in_text,
)
from marquee.records import (
    Film,
    Goof,
    Quote,
    Review,
    Score,
    describe_error,
)
from marquee.slugs import film_slug

__all__ = ["PageParser", "PageResult", "normalise_body", "normalise_text", "parse_bytes", "parse_page"]


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


class PageParser:
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
        ws, classify, para = WS, classify_match, self.para
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
                kind, m = "text", None  # most lines: classify_match's answer without the call
            else:
                kind, m = classify(line, self.section)
            if kind == "junk":
                # Scraper noise: report it, keep it out of every field, keep what surrounds it.
                line = self.junk(no, line)
                if not line:
                    continue
                kind, m = classify_match(line, self.section)
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
                assert m is not None  # classify_match matched it
                self.label(no, m.group(1), m.group(2) or "")
            elif kind == "heading":
                self.heading(no, line)
            else:
                self.f["comments_open"] = COMMENTS[line]
                self.markers.add("comments")
        self.flush()

    def try_published(self, no: int, line: str) -> bool:
        """The first line may be the dated heading "March 8th, 1985"."""
        m = PUBLISHED.match(line)
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
        rest = normalise_text(JUNK.sub(" ", line))
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
            if FILM_LABELS[name](self, no, name, value):
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
            m = SCORE_LABEL.match(value)
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
            m = STEM_YEAR.match(stem)
            if m:
                stem, self.file_year = m.group(1), int(m.group(2))
            words = [w for w in re.split(r"[-_\s]+", stem) if w]
            if not words or stem.startswith("<"):
                self.f["title"] = "Untitled"
                self.diag(1, "no title on the page or in the file name; title set to 'Untitled'")
            else:
                self.f["title"] = " ".join(
                    w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
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


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_error(exc: ValueError) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def parse_page(text: str, source: str = "<page>") -> PageResult:
    """Parse a text page into a Film plus diagnostics; raise NotAMoviePage if it holds no film."""
    text = text.removeprefix("\ufeff")
    check_text(text)
    if not text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        # Control characters (a stray NUL, an escape sequence) are no part of any fact: dropped,
        # which keeps line numbers (newlines stay) and keeps them out of every field.
        text = STRAY_CONTROLS.sub("", text)
    parser = PageParser(source)
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
