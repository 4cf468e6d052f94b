"""Ranking the names a search finds, aligning only those that can still matter (pure, no I/O).

A search scores 50-200 candidate names a stage. Most are settled by cheap string tests
(``search_scoring.text_bound``); the rest need an edit-distance alignment, which was a third of a
search's CPU at 1M titles. ``Ranking`` keeps those open with a ceiling on their score and aligns
one only when it could change an answer: the hits asked for (a name whose ceiling is below the
``limit``-th best score cannot enter them), or a question the candidate stages ask between
batches (are ``limit`` titles close already? is anything a match at all?). The answers are the
ones scoring every name would give, ties included: a key's best name is the first of equal
scores in the order the names came, and keys of equal score keep the order they first matched.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from marquee.services.search_scoring import MATCH_FLOOR

__all__ = ["GOOD", "Ranking", "Scored"]

GOOD = 0.8  # a match at least this close ends the search before the costlier stages

P = TypeVar("P")
Scored = tuple[float, float] | None  # (score, closeness), or None: not a match


class _Open(Generic[P]):
    """A name not aligned yet: ceilings of its score and closeness, and how to score it."""

    __slots__ = ("close", "exact", "key", "payload", "score", "seq", "settled")

    def __init__(
        self, score: float, close: float, seq: int, key: int, payload: P, exact: Callable[[], Scored]
    ):
        self.score, self.close, self.seq, self.key, self.payload, self.exact = (
            score,
            close,
            seq,
            key,
            payload,
            exact,
        )
        self.settled = False


@dataclass
class Ranking(Generic[P]):
    """Each key's best score (and the payload of the name that gave it) over the names offered.

    ``fuzzy`` is set by the candidate stages: whether the batch in hand may hold names that miss
    a word as typed (read by the caller when it scores them).
    """

    fuzzy: bool = False
    best: dict[int, tuple[float, int, P]] = field(default_factory=dict)
    close: dict[int, float] = field(default_factory=dict)
    first: dict[int, int] = field(default_factory=dict)
    open: list[_Open[P]] = field(default_factory=list)
    seq: int = 0

    def offer(self, key: int, payload: P, settled: Scored, ceiling: tuple[float, float] | None = None,
              exact: Callable[[], Scored] | None = None) -> None:  # fmt: skip
        """One name of ``key``: its score when settled, else its ceilings and how to score it exactly."""
        self.seq += 1
        if ceiling is None or exact is None:
            self._record(key, payload, settled, self.seq)
        elif ceiling[1] >= MATCH_FLOOR:
            self.open.append(_Open(ceiling[0], ceiling[1], self.seq, key, payload, exact))

    def _record(self, key: int, payload: P, scored: Scored, seq: int) -> bool:
        """Count a scored name; True when it changed the key's best score."""
        if scored is None:
            return False
        score, close = scored
        self.close[key] = max(close, self.close.get(key, 0.0))
        self.first[key] = min(seq, self.first.get(key, seq))
        held = self.best.get(key)
        if held is None or score > held[0] or (score == held[0] and seq < held[1]):
            self.best[key] = (score, seq, payload)
            return True
        return False

    def _settle(self, item: _Open[P]) -> bool:
        item.settled = True
        return self._record(item.key, item.payload, item.exact(), item.seq)

    def _waiting(self, by: Callable[[_Open[P]], tuple[float, int]]) -> list[_Open[P]]:
        """The names not aligned yet, highest ceiling first (``by``), earliest first among equals."""
        return sorted((item for item in self.open if not item.settled), key=by)

    @property
    def exact(self) -> bool:
        """Whether a name matched whole (never an open one: a whole match is settled cheaply)."""
        return any(c >= 1.0 for c in self.close.values())

    def enough(self, limit: int) -> bool:
        """Whether ``limit`` keys match at least ``GOOD``, aligning open names only while it is unsure."""
        good = {k for k, c in self.close.items() if c >= GOOD}
        for item in self._waiting(_by_closeness):
            if len(good) >= limit or item.close < GOOD:
                break
            if item.key not in good:
                self._settle(item)
                if self.close.get(item.key, 0.0) >= GOOD:
                    good.add(item.key)
        return len(good) >= limit

    def any_match(self) -> bool:
        """Whether any name is a match, aligning open names (closest ceiling first) until one is."""
        for item in self._waiting(_by_closeness):
            if self.close:
                break
            self._settle(item)
        return bool(self.close)

    def top(self, limit: int, order: Callable[[int, float], tuple[object, ...]] | None = None) -> list[int]:
        """The best ``limit`` keys: by score, ``order(key, score)`` breaking ties (else the order
        they first matched). Open names are aligned highest ceiling first while they could enter."""
        floor = self._floor(limit)
        for item in self._waiting(_by_score):
            if item.score < floor:
                break
            if self._settle(item) and self.best[item.key][0] > floor:
                floor = self._floor(limit)
        if order is None:
            return sorted(self.best, key=lambda k: (-self.best[k][0], self.first[k]))[:limit]
        return sorted(self.best, key=lambda k: order(k, self.best[k][0]))[:limit]

    def _floor(self, limit: int) -> float:
        """The ``limit``-th best score so far (a name below it cannot enter the top)."""
        if len(self.best) < limit:
            return float("-inf")
        return heapq.nlargest(limit, (b[0] for b in self.best.values()))[-1]

    def payload(self, key: int) -> P:
        """The payload of the name that gave ``key`` its best score."""
        return self.best[key][2]


def _by_closeness(item: _Open[P]) -> tuple[float, int]:
    return -item.close, item.seq


def _by_score(item: _Open[P]) -> tuple[float, int]:
    return -item.score, item.seq
