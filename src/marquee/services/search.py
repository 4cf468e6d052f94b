"""Search: titles (as typed, with typos), suggestions, people and full text, on both backends.

How a title query is answered:

1. ``parse_query`` folds it and splits off a year (``mask (1985)``).
2. Candidates come from the name index (``storage.search_index``) in popularity order:
   every word must start a word of the name (the last one may be unfinished), first as
   typed, then with each word widened to its dictionary neighbours at one edit (Norvig's
   corrector over ``search_words``), and when that still finds little, by shared trigrams.
3. Candidates are re-ranked here, the same way on both backends: how closely the name
   matches (edit distance on the whole title, on its start, without a leading article),
   the year, votes, and a penalty for episodes so they never bury the film.

The SQL is built by small pure functions (``storage.search_queries``, ``*_sql``) and run by the
public functions here through a ``SearchReader``.
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz.distance import OSA

from marquee.formats.query import (
    ParsedQuery,
    edit_distance,
    parse_query,
    prefix_upper_bound,
    text_terms,
)
from marquee.storage.base import Store
from marquee.storage.search_queries import (
    Candidate,
    SearchReader,
    dictionary_sql,
    known_for_sql,
    name_candidates_sql,
    people_sql,
    search_reader,
    start_candidates_sql,
    text_sql,
    titles_sql,
    top_credited_sql,
    trigram_candidates_sql,
    words_from_sql,
)

__all__ = [
    "KIND_ALIASES",
    "PersonHit",
    "TitleHit",
    "align",
    "kinds_for",
    "name_candidates_sql",
    "search_people",
    "search_text",
    "search_titles",
    "suggest_titles",
    "word_match",
]

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
_ARTICLES = (
    "the ",
    "a ",
    "an ",
    "le ",
    "la ",
    "les ",
    "l ",
    "el ",
    "los ",
    "las ",
    "il ",
    "der ",
    "die ",
    "das ",
)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_CANDIDATES = 200  # names fetched per stage; re-ranking more costs time, fewer misses films
_MATCH = 0.5  # a name matching less closely than this is not a hit (trigram stages bring such names)
_WORDS = 0.7  # every word typed starts a word of the name, but not in one run
_GOOD = 0.8  # a text match at least this close ends the search before the costlier stages
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


_ARTICLE_WORDS = frozenset(a.strip() for a in _ARTICLES)


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
    if not query or not name:
        return 0.0
    article = _leading_article(name)
    if _leading_article(query) and not article:
        query = query[len(_leading_article(query)) :]  # "the mask of zorro" for "Mask of Zorro"
    starts = (0, len(article)) if article else (0,)
    if any(name[s:] == query for s in starts):
        return 1.0
    if any(name.startswith(query, s) for s in starts):
        return 0.9
    words = [0, *(i + 1 for i, c in enumerate(name) if c == " ")]
    if any(name.startswith(query, s) for s in words):
        return 0.8
    if not fuzzy:
        return _WORDS
    limit = typo_limit(len(query))
    if abs(len(name) - len(query)) > limit and len(name) < len(query):
        return 0.0
    whole, start = align(query, name, starts, limit)
    score = 0.0
    if whole <= limit:
        score = 1.0 - whole / (max(len(query), len(name)) + 1)
    if start <= limit:
        score = max(score, 0.9 * (1.0 - start / (len(query) + 1)))
    if score < 0.8 and len(words) > len(starts):
        later = align(query, name, words, limit)[1]
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
class _Title:
    id: int
    tconst: str
    title: str
    year: int | None
    kind: str
    rating: float | None
    votes: int | None

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


def score_title(
    query: ParsedQuery, name: str, source: str, title: _Title, *, episodes_wanted: bool, fuzzy: bool = True
) -> tuple[float, float] | None:
    """The rank of one name of one title for a query (higher is better) and how close the text is.

    None when the name does not match at all."""
    name = name.strip()
    closeness = text_score(query.text, name, fuzzy=fuzzy)
    score = 100.0 * closeness + year_bonus(query.year, title.year)
    if query.year is not None:
        # "Death Race 2000": the number may belong to the title rather than be a year.
        full = text_score(query.full, name, fuzzy=fuzzy)
        closeness = max(closeness, full)
        score = max(score, 100.0 * full)
    if closeness < _MATCH:
        return None
    score += popularity(title.votes)
    if source != "primary":
        score -= _AKA  # the same match on the primary title wins, even over a much more voted film
    if title.kind == "tvEpisode" and not episodes_wanted:
        score -= 20.0  # episodes share their names with films: never let them bury the film
    return score, closeness


# ---------------------------------------------------------------- running searches


def _fetch_titles(db: SearchReader, ids: Iterable[int]) -> dict[int, _Title]:
    wanted = sorted(set(ids))
    out: dict[int, _Title] = {}
    for start in range(0, len(wanted), 500):
        for row in db.rows(titles_sql(db.dialect, wanted[start : start + 500])):
            out[row[0]] = _Title(*row)
    return out


def _in_dictionary(db: SearchReader, words: Sequence[str], *, last_is_prefix: bool) -> set[str]:
    """The words that are indexed somewhere (for an unfinished last word: that start one)."""
    known = set(db.column(dictionary_sql(db.dialect, list(words))))
    last = words[-1] if words else ""
    if last_is_prefix and last not in known and db.column(words_from_sql(last, prefix_upper_bound(last), 1)):
        known.add(last)
    return known


def _corrections(db: SearchReader, words: Sequence[str]) -> dict[str, list[str]]:
    """Per word (3+ letters), dictionary words one edit away, or two when the first two letters agree."""
    asked = {w: edits1(w) for w in words if len(w) >= 3}
    pool = sorted(set().union(*asked.values())) if asked else []
    known: set[str] = set()
    for start in range(0, len(pool), 5000):
        known |= set(db.column(dictionary_sql(db.dialect, pool[start : start + 5000])))
    out = {w: sorted(asked[w] & known) for w in asked}
    for w in asked:
        if out[w] or len(w) < 5:
            continue
        # Two typos: read the words sharing the first two letters (a b-tree range), keep the close ones.
        near = db.column(words_from_sql(w[:2], prefix_upper_bound(w[:2]), 3000))
        out[w] = [v for v in near if abs(len(v) - len(w)) <= 2 and edit_distance(w, v, 2) <= 2][:20]
    return out


def _phrases(groups: Sequence[Sequence[str]], most: int = 24) -> list[str]:
    """Every query spelt with one choice per word (``groups``: each word's corrections), or none
    when a word has no choice or the choices multiply beyond ``most``."""
    count = math.prod(len(g) for g in groups)
    if not groups or count == 0 or count > most:
        return []
    return [" ".join(words) for words in itertools.product(*groups)]


_COMPLETIONS = 40  # an unfinished word read as the whole words it starts, when they are this few


def _completed(db: SearchReader, groups: Sequence[Sequence[str]]) -> tuple[list[list[str]], bool]:
    """The last group's unfinished words (or runs of words) replaced by the dictionary's words they
    start (``godf`` -> godfather, godfathers, godfrey), and False: whole words, which SQLite's word
    index reads in popularity order and stops at the limit. A prefix query over it merges every
    word's postings first (``epis*``: all episodes, ~50 ms at 1M titles). When they are more than
    ``_COMPLETIONS``, the groups as they were and True (beside whole words, a prefix token of the
    word index; alone, the trigram index). No words at all: an empty last group, nothing matches."""
    out: list[str] = []
    for alternative in groups[-1]:
        head, _, last = alternative.rpartition(" ")
        found = db.column(words_from_sql(last, prefix_upper_bound(last), _COMPLETIONS + 1))
        out += [f"{head} {w}" if head else w for w in found]
        # The dictionary holds every word of two letters or more of every indexed name.
        if len(found) > _COMPLETIONS or len(out) > _COMPLETIONS or (not found and len(last) < 2):
            return [list(g) for g in groups], True
    return [*(list(g) for g in groups[:-1]), out], False


def _usable(word: str, prefix: bool) -> bool:
    """Trigram indexes need three characters: ``" go"`` works, ``" g"`` does not."""
    return len(word) + (1 if prefix else 2) >= 3


@dataclass
class _Found:
    """What the caller has so far, read by ``_stages`` before each costlier stage."""

    good: int = 0  # names matching whole, by their start or a word's start (closeness >= 0.8)
    matches: int = 0  # names close enough to be hits at all
    exact: bool = False
    fuzzy: bool = False  # set by ``_stages``: the batch may hold names that miss a word as typed


def near_years(year: int | None) -> list[int]:
    """The year asked, one either side, and the year with two neighbouring digits swapped (1958 ~ 1985)."""
    if year is None:
        return []
    digits = str(year)
    swaps = {int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]) for i in range(len(digits) - 1)}
    return sorted({year - 1, year, year + 1} | swaps)


def _stages(
    db: SearchReader,
    table: str,
    folded: str,
    kinds: Sequence[str] | None,
    found: _Found,
    limit: int,
    *,
    prefix: bool,
    year: int | None = None,
) -> Iterable[list[Candidate]]:
    """Candidate batches, cheapest first; each later stage runs only while too little is found."""
    words = folded.split()
    if not words:
        return
    dialect = db.dialect

    def batch(
        groups: Sequence[Sequence[str]],
        open_end: bool,
        size: int = _CANDIDATES,
        years: Sequence[int] = (),
        *,
        optional: bool = False,
    ) -> list[Candidate]:
        if open_end and dialect == "sqlite":
            groups, open_end = _completed(db, groups)
            if not groups[-1] or (open_end and optional):
                # No name holds the unfinished word; or an optional batch that only the trigram
                # index could answer (a run of words ending in an unfinished one: ~0.1 s at 1M).
                return []
        clauses = word_match(groups, last_is_prefix=open_end)
        return db.candidates(name_candidates_sql(dialect, table, clauses, kinds, size, years))

    found.fuzzy = False
    keep = [i for i, w in enumerate(words) if _usable(w, prefix and i == len(words) - 1)]
    if keep and year is not None:
        # A year narrows the names to a few: a little-voted film of that year is not crowded out.
        open_end = prefix and keep[-1] == len(words) - 1
        yield batch([[words[i]] for i in keep], open_end, _CANDIDATES, near_years(year))
    if keep:
        # The most voted names first: a few times the hits asked for are enough to rank them.
        yield batch([[words[i]] for i in keep], prefix and keep[-1] == len(words) - 1, max(5 * limit, 40))
    else:
        yield db.candidates(start_candidates_sql(dialect, table, folded, kinds, _CANDIDATES))
    if found.exact or found.good >= limit:
        return
    # Typos: only words found nowhere in the index are replaced by their neighbours one edit away.
    found.fuzzy = True
    known = _in_dictionary(db, words, last_is_prefix=prefix)
    fixes = _corrections(db, [w for w in words if w not in known])
    groups = [[w] if w in known else fixes.get(w, []) for w in words]
    kept = [i for i, g in enumerate(groups) if g and _usable(g[0], prefix and i == len(words) - 1)]
    # A word with no neighbour in the dictionary ("te" for "the", a typo in an ideograph) is left
    # out: the other words find the names and the ranking's edit distance judges the whole.
    open_end = prefix and words[-1] in known
    phrases = _phrases(groups)
    if phrases and any(fixes.values()):
        # First the corrected query as one run of words ("the godfahter" -> " the godfather"): few
        # names, the closest; the words anywhere in a name are read only if these are too few.
        size = max(5 * limit, 40)
        rows = batch([phrases], open_end, size, optional=True)
        yield rows
        if found.good >= limit or (len(words) == 1 and 0 < len(rows) < size):
            return  # one word: the batch below would read the same names again
    if kept and (any(fixes.values()) or len(kept) < len(keep)):
        yield batch([groups[i] for i in kept], open_end and kept[-1] == len(words) - 1)
    if found.matches or len(folded) < 3:
        return
    # The last resort: names holding a half of the query (one typo leaves the other half whole).
    yield db.candidates(trigram_candidates_sql(dialect, table, folded, _CANDIDATES))
    if found.matches or dialect != "sqlite" or len(words) < 2:
        return
    # A space moved ("nightg ame"): the halves of the letters.
    yield db.candidates(trigram_candidates_sql(dialect, table, folded, _CANDIDATES, by_words=False))


def _rank_titles(
    db: SearchReader, query: ParsedQuery, kinds: Sequence[str] | None, limit: int, *, prefix: bool
) -> list[TitleHit]:
    episodes_wanted = bool(kinds) and "tvEpisode" in (kinds or ())
    best: dict[int, tuple[float, str | None]] = {}
    closeness: dict[int, float] = {}
    titles: dict[int, _Title] = {}
    found = _Found()
    folded = query.text  # without the year: "death race 2000" still finds Death Race 2000 by its words
    for batch in _stages(db, "title_search", folded, kinds, found, limit, prefix=prefix, year=query.year):
        titles |= _fetch_titles(db, (tid for tid, *_ in batch if tid not in titles))
        for tid, name, display, source in batch:
            title = titles.get(tid)
            if title is None or (kinds and title.kind not in kinds):
                continue
            scored = score_title(
                query, name, source, title, episodes_wanted=episodes_wanted, fuzzy=found.fuzzy
            )
            if scored is None:
                continue
            score, close = scored
            closeness[tid] = max(close, closeness.get(tid, 0.0))
            if tid not in best or score > best[tid][0]:
                best[tid] = (score, None if source == "primary" else display)
        found.good = sum(1 for c in closeness.values() if c >= _GOOD)
        found.matches = len(closeness)
        found.exact = any(c >= 1.0 for c in closeness.values())
    order = sorted(
        best, key=lambda t: (-best[t][0], -(titles[t].votes or 0), titles[t].year or 9999, titles[t].tconst)
    )
    return [titles[t].hit(best[t][1]) for t in order[:limit]]


def _check_limit(limit: int) -> None:
    if limit < 1:
        from marquee.errors import InputError

        raise InputError(f"limit must be at least 1, not {limit}")


def search_titles(
    store: Store, query: str, *, kind: str | Sequence[str] | None = None, limit: int = 10
) -> list[TitleHit]:
    """Titles best matching what a person typed: typos, accents, alternate titles and a year allowed."""
    _check_limit(limit)
    parsed = parse_query(query)
    if parsed.empty:
        return []
    with search_reader(store) as db:
        return _rank_titles(db, parsed, kinds_for(kind), limit, prefix=True)


def suggest_titles(store: Store, prefix: str, *, limit: int = 8) -> list[TitleHit]:
    """Titles for a search box while typing: ``godf`` -> The Godfather (most voted first)."""
    return search_titles(store, prefix, limit=limit)


def search_people(store: Store, query: str, *, limit: int = 10) -> list[PersonHit]:
    """People by name with the same tolerance as titles, the best known first."""
    _check_limit(limit)
    parsed = parse_query(query)
    if parsed.empty:
        return []
    folded = parsed.full
    with search_reader(store) as db:
        scores: dict[int, float] = {}
        found = _Found()
        close: dict[int, float] = {}
        for batch in _stages(db, "person_search", folded, None, found, limit, prefix=True):
            for pid, name, credits, votes in batch:
                closeness = text_score(folded, name.strip(), fuzzy=found.fuzzy)
                if closeness < _MATCH:
                    continue
                score = 100.0 * closeness + popularity(votes) + math.log10(credits + 1)
                scores[pid] = max(score, scores.get(pid, score))
                close[pid] = max(closeness, close.get(pid, 0.0))
            found.good = sum(1 for c in close.values() if c >= _GOOD)
            found.matches = len(close)
            found.exact = any(c >= 1.0 for c in close.values())
        order = sorted(scores, key=lambda p: -scores[p])[:limit]
        return _person_hits(db, order)


def _person_hits(db: SearchReader, ids: Sequence[int]) -> list[PersonHit]:
    if not ids:
        return []
    rows = {r[0]: r for r in db.rows(people_sql(ids))}
    known = _known_for(db, [r for r in rows.values()])
    return [
        PersonHit(
            id=rows[i][1],
            name=rows[i][2],
            birth_year=rows[i][3],
            professions=[p for p in (rows[i][4] or "").split(",") if p],
            known_for_titles=known.get(i, []),
        )
        for i in ids
        if i in rows
    ]


def _known_for(db: SearchReader, people: Sequence[Any]) -> dict[int, list[str]]:
    """Titles a person is known for: name.basics' list where stored, else their most voted credits."""
    out: dict[int, list[str]] = {}
    for pid, _, _, _, _, known_for in people:
        tconsts = [t for t in (known_for or "").split(",") if t][:4]
        if tconsts:
            names: dict[str, str] = dict(db.rows(known_for_sql(tconsts)))
            out[pid] = [names[c] for c in tconsts if c in names]
        if not out.get(pid):
            out[pid] = db.column(top_credited_sql(pid, 4))
    return out


# ---------------------------------------------------------------- full text


def search_text(store: Store, query: str, *, limit: int = 10) -> list[TitleHit]:
    """Titles whose plots, outlines, taglines, trivia, goofs or quotes match ("a ride on a harley")."""
    _check_limit(limit)
    terms = text_terms(query)
    if not terms:
        return []
    with search_reader(store) as db:
        ids: list[int] = []
        for any_term in (False, True):  # every word first; any word when that finds nothing
            ids = db.column(text_sql(db.dialect, terms, any_term=any_term, limit=limit))
            if ids or len(terms) == 1:
                break
        titles = _fetch_titles(db, ids)
        return [titles[i].hit(None) for i in ids if i in titles]
