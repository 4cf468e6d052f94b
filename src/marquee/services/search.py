"""Search: titles (as typed, with typos), suggestions, people and full text, on both backends.

How a title query is answered:

1. ``parse_query`` folds it and splits off a year (``mask (1985)``).
2. Candidates come from the name index (``storage.search_index``) in popularity order:
   every word must start a word of the name (the last one may be unfinished), first as
   typed, then with each word widened to its dictionary neighbours at one edit (Norvig's
   corrector over ``search_words``), and when that still finds little, by shared trigrams.
3. Candidates are re-ranked here, the same way on both backends: how closely the name
   matches (edit distance on the whole title, on its start, without a leading article),
   the year, votes, and a penalty for episodes so they never bury the film (``search_scoring``).
   Cheap string tests settle most names; the others are aligned only when they can still
   change the answer (``search_ranking``), which is then the one scoring every name gives.

The SQL is built by small pure functions (``storage.search_queries``, ``*_sql``) and run by the
public functions here through a ``SearchReader``.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

from marquee.formats.query import ParsedQuery, edit_distance, parse_query, prefix_upper_bound, text_terms
from marquee.services.search_building import (
    fetch_titles,
    index_building,
    prefix_titles,
    search_index_building,
)
from marquee.services.search_ranking import Ranking
from marquee.services.search_scoring import (
    KIND_ALIASES,
    MATCH_FLOOR,
    PersonHit,
    TitleHit,
    TitleRow,
    align,
    edits1,
    kinds_for,
    popularity,
    score_title,
    text_bound,
    text_score,
    title_bound,
    word_match,
)
from marquee.storage.base import Store
from marquee.storage.search_dictionary import dictionary_sql, words_from_sql
from marquee.storage.search_lookups import known_for_sql, people_sql, top_credited_sql
from marquee.storage.search_queries import (
    Candidate,
    SearchReader,
    name_candidates_sql,
    search_reader,
    start_candidates_sql,
    text_sql,
    trigram_candidates_sql,
)

__all__ = [
    "KIND_ALIASES",
    "PersonHit",
    "TitleHit",
    "align",
    "kinds_for",
    "name_candidates_sql",
    "search_index_building",
    "search_people",
    "search_text",
    "search_titles",
    "suggest_titles",
    "word_match",
]

_CANDIDATES = 200  # names fetched per stage; re-ranking more costs time, fewer misses films


# ---------------------------------------------------------------- running searches


def _in_dictionary(
    db: SearchReader, words: Sequence[str], *, last_is_prefix: bool, whole: set[str] | None = None
) -> set[str]:
    """The words that are indexed somewhere (for an unfinished last word: that start one).
    ``whole``: those of ``words`` the dictionary holds, read already (``_stages``), not read again."""
    known = set(db.words(dictionary_sql(db.dialect, list(words)))) if whole is None else set(whole)
    last = words[-1] if words else ""
    if (
        last_is_prefix
        and last not in known
        and db.words(words_from_sql(db.dialect, last, prefix_upper_bound(last), 1))
    ):
        known.add(last)
    return known


def _corrections(db: SearchReader, words: Sequence[str]) -> dict[str, list[str]]:
    """Per word (3+ letters), dictionary words one edit away, or two when the first two letters agree."""
    asked = {w: edits1(w) for w in words if len(w) >= 3}
    pool = sorted(set().union(*asked.values())) if asked else []
    known: set[str] = set()
    for start in range(0, len(pool), 5000):
        known |= set(db.words(dictionary_sql(db.dialect, pool[start : start + 5000])))
    out = {w: sorted(asked[w] & known) for w in asked}
    for w in asked:
        if out[w] or len(w) < 5:
            continue
        # Two typos: read the words sharing the first two letters (a b-tree range), keep the close ones.
        near = db.words(words_from_sql(db.dialect, w[:2], prefix_upper_bound(w[:2]), 3000))
        out[w] = [v for v in near if abs(len(v) - len(w)) <= 2 and edit_distance(w, v, 2) <= 2][:20]
    return out


def _phrases(groups: Sequence[Sequence[str]], most: int = 24) -> list[str]:
    """Every query spelt with one choice per word (``groups``: each word's corrections), or none
    when a word has no choice or the choices multiply beyond ``most``."""
    count = math.prod(len(g) for g in groups)
    if not groups or count == 0 or count > most:
        return []
    return [" ".join(words) for words in itertools.product(*groups)]


# An unfinished word is read as the whole words it starts when they are this few. SQLite's word
# index reads them in popularity order; PostgreSQL's word-list index (``search_window``) reads whole
# words at once where the trigram index intersects their letters' lists, but the popular window
# checks each on every name it walks, so fewer there. At 1M titles on PostgreSQL, 4 against none:
# search p50 19.5 -> 15 ms, p90 48 -> 25 ms (BENCHMARKS.md).
_COMPLETIONS = {"sqlite": 40, "postgresql": 4}


def _completed(db: SearchReader, groups: Sequence[Sequence[str]], most: int) -> tuple[list[list[str]], bool]:
    """The last group's unfinished words (or runs of words) replaced by the dictionary's words they
    start (``godf`` -> godfather, godfathers, godfrey), and False: whole words, which SQLite's word
    index reads in popularity order and stops at the limit. A prefix query over it merges every
    word's postings first (``epis*``: all episodes, ~50 ms at 1M titles). When they are more than
    ``most``, the groups as they were and True (beside whole words, a prefix token of the word
    index; alone, the trigram index). No words at all: an empty last group, nothing matches."""
    out: list[str] = []
    for alternative in groups[-1]:
        head, _, last = alternative.rpartition(" ")
        found = db.words(words_from_sql(db.dialect, last, prefix_upper_bound(last), most + 1))
        out += [f"{head} {w}" if head else w for w in found]
        # The dictionary holds every word of two letters or more of every indexed name.
        if len(found) > most or len(out) > most or (not found and len(last) < 2):
            return [list(g) for g in groups], True
    return [*(list(g) for g in groups[:-1]), out], False


def _usable(word: str, prefix: bool) -> bool:
    """Trigram indexes need three characters: ``" go"`` works, ``" g"`` does not."""
    return len(word) + (1 if prefix else 2) >= 3


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
    found: Ranking[Any],
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
        if open_end:
            groups, open_end = _completed(db, groups, _COMPLETIONS[dialect])
            if not groups[-1] or (open_end and optional):
                # No name holds the unfinished word; or an optional batch that only the trigram
                # index could answer (a run of words ending in an unfinished one: ~0.1 s at 1M).
                return []
        clauses = word_match(groups, last_is_prefix=open_end)
        return db.candidates(name_candidates_sql(dialect, table, clauses, kinds, size, years))

    found.fuzzy = False
    keep = [i for i, w in enumerate(words) if _usable(w, prefix and i == len(words) - 1)]
    # A finished word of two letters or more that the dictionary lacks ("godfahter" in "the godfahter
    # part") is in no indexed name, and the names as typed must hold every word: straight to the typos.
    finished = [words[i] for i in keep if not (prefix and i == len(words) - 1)]
    whole = set(db.words(dictionary_sql(dialect, words))) if finished else None
    missing = whole is not None and any(len(w) >= 2 and w not in whole for w in finished)
    if keep and year is not None and not missing:
        # A year narrows the names to a few: a little-voted film of that year is not crowded out.
        open_end = prefix and keep[-1] == len(words) - 1
        yield batch([[words[i]] for i in keep], open_end, _CANDIDATES, near_years(year))
    if keep and not missing:
        # The most voted names first: a few times the hits asked for are enough to rank them.
        yield batch([[words[i]] for i in keep], prefix and keep[-1] == len(words) - 1, max(5 * limit, 40))
    elif not keep:
        yield db.candidates(start_candidates_sql(dialect, table, folded, kinds, _CANDIDATES))
    if found.exact or found.enough(limit):
        return
    # Typos: only words found nowhere in the index are replaced by their neighbours one edit away.
    found.fuzzy = True
    known = _in_dictionary(db, words, last_is_prefix=prefix, whole=whole)
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
        if found.enough(limit) or (len(words) == 1 and 0 < len(rows) < size):
            return  # one word: the batch below would read the same names again
    if kept and (any(fixes.values()) or len(kept) < len(keep)):
        yield batch([groups[i] for i in kept], open_end and kept[-1] == len(words) - 1)
    if found.any_match() or len(folded) < 3:
        return
    # The last resort: names holding a half of the query (one typo leaves the other half whole).
    yield db.candidates(trigram_candidates_sql(dialect, table, folded, _CANDIDATES))
    if found.any_match() or dialect != "sqlite" or len(words) < 2:
        return
    # A space moved ("nightg ame"): the halves of the letters.
    yield db.candidates(trigram_candidates_sql(dialect, table, folded, _CANDIDATES, by_words=False))


def _rank_titles(
    db: SearchReader, query: ParsedQuery, kinds: Sequence[str] | None, limit: int, *, prefix: bool
) -> list[TitleHit]:
    episodes_wanted = bool(kinds) and "tvEpisode" in (kinds or ())
    titles: dict[int, TitleRow] = {}
    ranking: Ranking[str | None] = Ranking()  # per title: the alternate title that matched, if any
    seen: set[tuple[int, str, bool]] = set()
    folded = query.text  # without the year: "death race 2000" still finds Death Race 2000 by its words
    for batch in _stages(db, "title_search", folded, kinds, ranking, limit, prefix=prefix, year=query.year):
        titles |= fetch_titles(db, (tid for tid, *_ in batch if tid not in titles))
        fuzzy = ranking.fuzzy
        for tid, name, display, source in batch:
            title = titles.get(tid)
            if title is None or (kinds and title.kind not in kinds) or (tid, name, fuzzy) in seen:
                continue  # a name scored already scores the same (a run of words, then the words)
            seen.add((tid, name, fuzzy))
            shown = None if source == "primary" else display
            scored, settled = title_bound(
                query, name, source, title, episodes_wanted=episodes_wanted, fuzzy=fuzzy
            )
            if settled:
                ranking.offer(tid, shown, scored)
            else:
                exact = functools.partial(
                    score_title, query, name, source, title, episodes_wanted=episodes_wanted, fuzzy=fuzzy
                )
                ranking.offer(tid, shown, None, scored, exact)

    def order(tid: int, score: float) -> tuple[float, int, int, str]:
        title = titles[tid]
        return -score, -(title.votes or 0), title.year or 9999, title.tconst

    return [titles[t].hit(ranking.payload(t)) for t in ranking.top(limit, order)]


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
        if index_building(db):
            return prefix_titles(db, parsed, kinds_for(kind), limit)
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
        ranking: Ranking[None] = Ranking()
        for batch in _stages(db, "person_search", folded, None, ranking, limit, prefix=True):
            fuzzy = ranking.fuzzy
            for pid, name, credits, votes in batch:
                closeness, settled = text_bound(folded, name.strip(), fuzzy=fuzzy)
                scored = (_person_score(closeness, credits, votes), closeness)
                if settled:
                    ranking.offer(pid, None, scored if closeness >= MATCH_FLOOR else None)
                else:
                    exact = functools.partial(_aligned_person, folded, name.strip(), credits, votes)
                    ranking.offer(pid, None, None, scored, exact)
        return _person_hits(db, ranking.top(limit))


def _person_score(closeness: float, credits: int, votes: int) -> float:
    return 100.0 * closeness + popularity(votes) + math.log10(credits + 1)


def _aligned_person(folded: str, name: str, credits: int, votes: int) -> tuple[float, float] | None:
    closeness = text_score(folded, name)
    return (_person_score(closeness, credits, votes), closeness) if closeness >= MATCH_FLOOR else None


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
    """Titles each person is known for: name.basics' list where stored, else their most voted
    credits. Two statements for all the hits at most (one for the lists' titles, one for the
    credits of those without a list or whose list's titles are not in the store)."""
    lists = {pid: [t for t in (known_for or "").split(",") if t][:4] for pid, *_, known_for in people}
    wanted = sorted({t for tconsts in lists.values() for t in tconsts})
    names: dict[str, str] = dict(db.rows(known_for_sql(wanted))) if wanted else {}
    out = {pid: [names[c] for c in tconsts if c in names] for pid, tconsts in lists.items()}
    rest = [pid for pid, titles in out.items() if not titles]
    if rest:
        for pid, title in db.rows(top_credited_sql(rest, 4)):
            out[pid].append(title)
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
        titles = fetch_titles(db, ids)
        return [titles[i].hit(None) for i in ids if i in titles]
