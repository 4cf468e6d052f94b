"""``Router``: FastAPI's ``APIRouter`` that turns a request away at once when none of its routes' paths
can match it, so a request is matched against the one router that holds its route, not every router.

Why: the site is ~20 routers included in one app. FastAPI (0.165) asks each included router in turn
whether it matches, each asking every route's regular expression, and matches the chosen router
again to handle the request: ~0.3 ms of every request outside the fast paths went to finding its
route (BENCHMARKS.md, "Routes found by their paths' literal starts").

A route's regular expression is anchored and begins with the path's literal text up to its first
``{parameter}``; a path without parameters matches only itself. So a path that equals none of a
router's parameterless paths and starts with none of the literal starts of the others matches none
of its routes: turning it away is exact, not a heuristic. A route whose path is unknown (none given)
turns the check off for its router; a mount (or any route that is not a plain route) matches
every path below its own, so its path counts as a literal start.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from starlette._utils import get_route_path
from starlette.routing import Match, Route, WebSocketRoute
from starlette.types import Scope

__all__ = ["Router", "path_filter"]

PathFilter = tuple[frozenset[str], tuple[str, ...]] | None


def path_filter(paths: list[tuple[str | None, bool]]) -> PathFilter:
    """The exact paths and the literal starts that routes can match, given each route's path and
    whether it is a plain route (else it matches below its path too); None when a path is unknown."""
    exact: set[str] = set()
    starts: set[str] = set()
    for path, plain in paths:
        if path is None:
            return None
        head, brace, _ = path.partition("{")
        (exact if plain and not brace else starts).add(head)
    return frozenset(exact), tuple(sorted(starts))


class Router(APIRouter):
    """An ``APIRouter`` whose ``matches`` answers "no" without trying its routes when the path's
    text rules them all out (see the module's text); otherwise FastAPI's own matching."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._filter: PathFilter = None
        self._filter_version: int | None = None

    def _current_filter(self) -> PathFilter:
        version_of = getattr(self, "_get_routes_version", None)
        if version_of is None:  # a FastAPI without it: no cache key, so no check
            return None
        version = version_of()
        if version != self._filter_version:
            routes = iter_route_contexts(self.routes)
            self._filter = path_filter(
                [(rc.path, isinstance(rc.original_route, (Route, WebSocketRoute))) for rc in routes]
            )
            self._filter_version = version
        return self._filter

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        known = self._current_filter()
        if known is not None:
            path = get_route_path(scope)
            exact, starts = known
            if path not in exact and not path.startswith(starts):
                return Match.NONE, {}
        return super().matches(scope)
