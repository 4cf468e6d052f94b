"""Ranking that aligns only the names that can still win gives what scoring every name gives."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from marquee.formats.query import ParsedQuery, fold, parse_query
from marquee.services.search_ranking import GOOD, Ranking
from marquee.services.search_scoring import (
    MATCH_FLOOR,
    TitleRow,
    score_title,
    text_bound,
    text_score,
    title_bound,
)

CATALOGUE = Path(__file__).parent / "data" / "search_relevance" / "catalogue.tsv"


def _names() -> list[str]:
    lines = CATALOGUE.read_text(encoding="utf-8").splitlines()[1:]
    return [fold(line.split("\t")[5]) for line in lines]


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    return rng.choice((name[:i] + name[i + 1 :], name[:i] + "x" + name[i:], name[:i] + "e" + name[i + 1 :]))


def test_text_bound_settles_exactly_or_gives_a_ceiling() -> None:
    names, rng = _names(), random.Random(7)
    settled = open_ = 0
    for _ in range(300):
        query = _typo(rng.choice(names), rng)
        words = query.split()
        near = [n for n in names if words[0] in n][:40] + rng.sample(names, 20)
        for name in near:
            for fuzzy in (True, False):
                bound, exact = text_bound(query, name, fuzzy=fuzzy)
                score = text_score(query, name, fuzzy=fuzzy)
                if exact:
                    settled += 1
                    assert bound == score, (query, name)
                else:
                    open_ += 1
                    assert fuzzy and bound >= score and bound < 1.0, (query, name)
    assert settled > 1000 and open_ > 1000  # both kinds were tried


Scored = list[tuple[int, str, tuple[float, float] | None]]


def _eager(scored: Scored, limit: int, *, by_key: bool) -> list[tuple[int, str]]:
    """What the search did before: score every name, keep each key's first best, sort by score,
    then by key (titles: a total order) or as the keys first matched (people)."""
    best: dict[int, tuple[float, str]] = {}
    for key, payload, result in scored:
        if result is not None and (key not in best or result[0] > best[key][0]):
            best[key] = (result[0], payload)
    order = sorted(best, key=lambda k: (-best[k][0], k if by_key else 0))[:limit]
    return [(k, best[k][1]) for k in order]


def _counted(
    calls: list[str], query: ParsedQuery, name: str, source: str, title: TitleRow
) -> Callable[[], tuple[float, float] | None]:
    """``score_title`` of one name, noting each call (an alignment) in ``calls``."""

    def exact() -> tuple[float, float] | None:
        calls.append(name)
        return score_title(query, name, source, title, episodes_wanted=False)

    return exact


def test_lazy_ranking_gives_the_eager_answers() -> None:
    names, rng = _names(), random.Random(11)
    calls: list[str] = []
    opened = offered = aligned = 0
    for round_ in range(200):
        one_name_a_key = round_ % 2 == 1  # people: one name each, ties kept in the order they came
        source_name = rng.choice(names)
        query = parse_query(_typo(source_name, rng) + (" 1995" if round_ % 3 == 0 else ""))
        # Like the word stages: names holding a word of the query (or of the title it was made from).
        words = {f" {w} " for w in (query.text + " " + source_name).split() if len(w) > 2}
        pool = [n for n in names if any(w in f" {n} " for w in words)][:150] + rng.sample(names, 10)
        keys = range(len(pool)) if one_name_a_key else [rng.randrange(60) for _ in pool]
        rows = [(k, f" {n} ", rng.choice(("primary", "aka"))) for k, n in zip(keys, pool, strict=True)]
        years = {key: rng.choice((1994, 1995, 2001, None)) for key, _, _ in rows}
        votes = {key: rng.choice((0, 10, 5000, 10**6)) for key, _, _ in rows}
        eager, ranking = [], Ranking[str]()
        for key, name, source in rows:
            title = TitleRow(key, f"tt{key:07}", name, years[key], "movie", None, votes[key])
            eager.append((key, name, score_title(query, name, source, title, episodes_wanted=False)))
            bound, settled = title_bound(query, name, source, title, episodes_wanted=False)
            exact = _counted(calls, query, name, source, title)
            if settled:
                ranking.offer(key, name, bound)
            else:
                ranking.offer(key, name, None, bound, exact)
                opened += 1
        offered += len(rows)
        top = ranking.top(10, None if one_name_a_key else lambda key, score: (-score, key))
        assert [(k, ranking.payload(k)) for k in top] == _eager(eager, 10, by_key=not one_name_a_key), query
        aligned += len(calls)
        calls.clear()
        # The questions between stages, asked after (they align more, and must not change the top).
        good = {k for k, _, r in eager if r is not None and r[1] >= GOOD}
        assert ranking.exact == any(r is not None and r[1] >= 1.0 for _, _, r in eager)
        assert ranking.enough(3) == (len(good) >= 3)
        assert ranking.any_match() == any(r is not None and r[1] >= MATCH_FLOOR for _, _, r in eager)
        assert ranking.top(10, None if one_name_a_key else lambda key, score: (-score, key)) == top
        calls.clear()
    assert offered > 10_000 and aligned < opened, (aligned, opened)  # some were never aligned
