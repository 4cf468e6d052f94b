"""How closely a found name matches what was typed (pure, no I/O): edit distance on the whole name, on
its start and without a leading article, one-edit neighbours of a word, the year, votes, and the
penalty that keeps episodes from burying the film. Both backends rank with it.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from rapidfuzz.distance import OSA

from marquee.formats.query import LEADING_ARTICLES, ParsedQuery, edit_distance

# Names people use for IMDb title types; anything else is taken as an IMDb titleType as is.
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "movie": ("movie",),
    "film": ("movie",),
    "series": ("tvSeries", "tvMiniSeries"),
    "tv": ("tvSeries", "tvMiniSeries", "tvMovie", "tvSpecial"),
    "episode": ("tvEpisode",),
    "short": ("short", "tvShort"),
    "video": ("video",),
    "game": ("videoGame",),
}
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


MATCH_FLOOR = 0.5  # a name matching less closely than this is not a hit (trigram stages bring such names)
_WORDS = 0.7  # every word typed starts a word of the name, but not in one run


# Points an alternate title's match gives up against the same match on a film's own title: 2.5
# decades of votes (popularity: 2 a decade), so "the profesional" finds The Professional (1981)
# before Léon (1994, known abroad as The Professional and ten times as voted). It was 1.
_AKA = 5.0


class TitleHit(BaseModel):
    """A title found by a search, browse or chart."""

    id: str
    title: str
    year: int | None = None
    kind: str
    rating: float | None = None
    votes: int | None = None
    matched: str | None = Field(default=None, description="the alternate title that matched, if any")


class PersonHit(BaseModel):
    """A person found by a search."""

    id: str
    name: str
    birth_year: int | None = None
    professions: list[str] = Field(default_factory=list)
    known_for_titles: list[str] = Field(default_factory=list)


def kinds_for(kind: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """IMDb title types for a filter: ``"series"`` -> tvSeries and tvMiniSeries; None means any."""
    if kind is None:
        return None
    asked = [kind] if isinstance(kind, str) else list(kind)
    out: list[str] = []
    for k in asked:
        out += KIND_ALIASES.get(k.strip().lower(), (k.strip(),))
    return tuple(dict.fromkeys(out)) or None


# ---------------------------------------------------------------- SQL builders (pure)


def word_match(groups: Sequence[Sequence[str]], *, last_is_prefix: bool) -> list[list[str]]:
    """Per query word, substrings a name must hold: ``" word "``, or ``" word"`` for an unfinished word."""
    out: list[list[str]] = []
    for i, alternatives in enumerate(groups):
        open_end = last_is_prefix and i == len(groups) - 1
        out.append([f" {w}" if open_end else f" {w} " for w in alternatives])
    return out


# ---------------------------------------------------------------- typo candidates (pure)


@functools.lru_cache(maxsize=64)
def _block_letters(base: int) -> str:
    """The folded letters of one 128-code-point block (``fold`` keeps them as they are)."""
    return "".join(
        c for c in map(chr, range(base, base + 128)) if c.isalpha() and unicodedata.combining(c) == 0
        and c == unicodedata.normalize("NFKD", c.casefold())
    )  # fmt: skip


def alphabet(word: str) -> str:
    """Letters a typo in ``word`` may have replaced or dropped: a-z, digits, and the letters of the
    blocks of its other characters below U+3100 (Cyrillic, Greek, Devanagari, kana…), where a block
    is a script's alphabet; ideographs are too many to try."""
    blocks = sorted({ord(c) & ~0x7F for c in word if 0x80 <= ord(c) < 0x3100})
    return _ALPHABET + "".join(_block_letters(b) for b in blocks)


def edits1(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, substitution or insertion away (Norvig)."""
    letters = alphabet(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    subs = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return (deletes | swaps | subs | inserts) - {word}


# ---------------------------------------------------------------- ranking (pure)


_ARTICLE_WORDS = frozenset(a.strip() for a in LEADING_ARTICLES)


def _leading_article(text: str) -> str:
    """The leading article of a folded title (with its space), or ``""``."""
    first, space, rest = text.partition(" ")
    return first + space if space and rest and first in _ARTICLE_WORDS else ""


def align(query: str, name: str, starts: Sequence[int], limit: int) -> tuple[int, int]:
    """Edit distances of ``query`` against ``name`` read from one of ``starts``: (to its end, to any point).

    The same answer as ``formats.query.align`` (the reference, a dynamic programme in Python: it
    took three quarters of a search's CPU), from rapidfuzz's optimal-string-alignment distance
    (a swap of neighbours counts 1) in C++: the smallest over the starts of the distance to the
    rest of ``name`` and to every piece of it within ``limit`` letters of the query's length.
    Both are capped at ``limit + 1``.
    """
    cap = limit + 1
    size = len(query)
    whole = start = cap
    for s in starts:
        rest = len(name) - s
        if abs(rest - size) <= limit:
            whole = min(whole, OSA.distance(query, name[s:], score_cutoff=limit))
            start = min(start, whole)
        for end in range(max(s, s + size - limit), min(len(name), s + size + limit) + 1):
            if abs(end - s - size) < start and end - s != rest:
                start = min(start, OSA.distance(query, name[s:end], score_cutoff=start - 1))
        if start == 0 and whole == 0:
            break
    return whole, start


def typo_limit(length: int) -> int:
    """Edits tolerated in a query of this length: one up to 5 letters, two up to 11, then three."""
    return 1 if length < 6 else 2 if length < 12 else 3


def text_score(query: str, name: str, *, fuzzy: bool = True) -> float:
    """0..1: how well a folded query matches a folded name: whole (1), its start (0.9), a later word (0.8).

    Cheap string tests answer most names; an edit-distance alignment is run only for the rest,
    and not at all when ``fuzzy`` is False (names whose every word the index already matched
    score ``_WORDS``: the words are there, apart or in another order).
    """
    score, settled = text_bound(query, name, fuzzy=fuzzy)
    return score if settled else _aligned(query, name)


@functools.lru_cache(maxsize=64)
def _without_article(query: str) -> str:
    """The query without its leading article (itself when it has none)."""
    return query[len(_leading_article(query)) :]


def _stripped(query: str, name: str) -> tuple[str, tuple[int, ...]]:
    """The query without a leading article the name lacks, and where in the name to read it from."""
    article = _leading_article(name)
    if article:
        return query, (0, len(article))
    return _without_article(query), (0,)  # "the mask of zorro" for "Mask of Zorro"


def text_bound(query: str, name: str, *, fuzzy: bool = True) -> tuple[float, bool]:
    """``(text_score, True)`` when cheap string tests settle it; else ``(ceiling, False)``: a score
    the alignment cannot exceed (its distances are 1 or more, or the tests would have settled it),
    so a caller ranking many names aligns only those that can still win (``search_ranking``)."""
    if not query or not name:
        return 0.0, True
    query, starts = _stripped(query, name)
    after = starts[-1]  # past the name's article, or 0
    if name == query or name[after:] == query:
        return 1.0, True
    if name.startswith(query) or name.startswith(query, after):
        return 0.9, True
    if f" {query}" in name:
        return 0.8, True  # a later word starts with the query
    if not fuzzy:
        return _WORDS, True
    size = len(query)
    limit = typo_limit(size)
    if len(name) < size - limit:
        return 0.0, True
    ceiling = 0.9 * (1.0 - 1 / (size + 1))  # from the start, one edit at least
    if abs(len(name) - size) <= limit or abs(len(name) - after - size) <= limit:
        ceiling = max(ceiling, 1.0 - 1 / (max(size, len(name)) + 1))  # the whole name
    return ceiling, False


def _aligned(query: str, name: str) -> float:
    """``text_score`` of a name the cheap tests left open: edit distances on the whole name, on its
    start, then on a later word's start."""
    query, starts = _stripped(query, name)
    limit = typo_limit(len(query))
    whole, start = align(query, name, starts, limit)
    score = 0.0
    if whole <= limit:
        score = 1.0 - whole / (max(len(query), len(name)) + 1)
    if start <= limit:
        score = max(score, 0.9 * (1.0 - start / (len(query) + 1)))
    if score < 0.8:
        # The starts above were tried already (a distance from them scores 0.9, above 0.8 here).
        words = [i + 1 for i, c in enumerate(name) if c == " " and i + 1 not in starts]
        later = align(query, name, words, limit)[1] if words else limit + 1
        if later <= limit:
            score = max(score, 0.8 * (1.0 - later / (len(query) + 1)))
    return score


def year_bonus(asked: int | None, year: int | None) -> float:
    """Points for a title's year against the query's: exact best, one off or one typo still helps."""
    if asked is None:
        return 0.0
    if year is None:
        return -4.0
    if year == asked:
        return 14.0
    if abs(year - asked) == 1 or edit_distance(str(year), str(asked), 1) <= 1:
        return 7.0
    return -6.0


def popularity(votes: int | None) -> float:
    """Points for being known: 2 per tenfold votes."""
    return 2.0 * math.log10((votes or 0) + 1)


@dataclass
class TitleRow:
    """A title as search ranks it: its key, id, names, kind, year and votes."""

    id: int
    tconst: str
    title: str
    year: int | None
    kind: str
    rating: float | None
    votes: int | None
    points: float = field(init=False)  # ``popularity(votes)``, once per title rather than per name

    def __post_init__(self) -> None:
        self.points = popularity(self.votes)

    def hit(self, matched: str | None) -> TitleHit:
        return TitleHit(
            id=self.tconst,
            title=self.title,
            year=self.year,
            kind=self.kind,
            rating=self.rating,
            votes=self.votes,
            matched=matched,
        )


def _title_score(
    query: ParsedQuery, text: float, full: float, source: str, title: TitleRow, episodes_wanted: bool
) -> tuple[float, float]:
    """A title's score and closeness from how its name matches the query's text (and, with a year,
    the query whole): monotonic in both, so ceilings of them give a ceiling of the score."""
    score = 100.0 * text
    closeness = text
    if query.year is not None:
        score += year_bonus(query.year, title.year)
        # "Death Race 2000": the number may belong to the title rather than be a year.
        closeness = max(closeness, full)
        score = max(score, 100.0 * full)
    score += title.points
    if source != "primary":
        score -= _AKA  # the same match on the primary title wins, even over a much more voted film
    if title.kind == "tvEpisode" and not episodes_wanted:
        score -= 20.0  # episodes share their names with films: never let them bury the film
    return score, closeness


def score_title(
    query: ParsedQuery, name: str, source: str, title: TitleRow, *, episodes_wanted: bool, fuzzy: bool = True
) -> tuple[float, float] | None:
    """The rank of one name of one title for a query (higher is better) and how close the text is.

    None when the name does not match at all."""
    name = name.strip()
    text = text_score(query.text, name, fuzzy=fuzzy)
    full = text_score(query.full, name, fuzzy=fuzzy) if query.year is not None else 0.0
    score, closeness = _title_score(query, text, full, source, title, episodes_wanted)
    return None if closeness < MATCH_FLOOR else (score, closeness)


def title_bound(
    query: ParsedQuery, name: str, source: str, title: TitleRow, *, episodes_wanted: bool, fuzzy: bool = True
) -> tuple[tuple[float, float] | None, bool]:
    """``(score_title(...), True)`` when cheap string tests settle it; else ceilings of its score and
    closeness and False (``score_title`` gives the exact answer, aligning the name)."""
    name = name.strip()
    text, settled = text_bound(query.text, name, fuzzy=fuzzy)
    full, settled_full = text_bound(query.full, name, fuzzy=fuzzy) if query.year is not None else (0.0, True)
    if max(text, full) < MATCH_FLOOR:
        return None, True  # not a match, whatever an alignment gives
    score, closeness = _title_score(query, text, full, source, title, episodes_wanted)
    return (score, closeness), settled and settled_full
