"""Every app the tests make shares the dependency models FastAPI derives from the route definitions.

FastAPI builds an app's dependency models (pydantic type adapters for each parameter, body and
response) on the app's first request, ~0.5 s for Marquee's 160 routes, and the suite makes hundreds
of apps. The models are a pure function of the route's path, endpoint and dependencies, all
module-level objects shared by every app, so building them once per test process changes nothing an
app does: each app still gets its own routes, handlers and state. ``share_route_models`` memoises
FastAPI's three builders; where a FastAPI release renames them it leaves that one as it is (tests
are then slower, not wrong).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastapi.routing

__all__ = ["share_route_models"]


def _dependant_key(path: str, call: Any, dependencies: Any) -> tuple[Any, ...]:
    return (path, call, tuple((d.dependency, d.use_cache, getattr(d, "scope", None)) for d in dependencies))


def _memo_dependant(build: Callable[..., Any]) -> Callable[..., Any]:
    built: dict[tuple[Any, ...], Any] = {}

    def dependant(*, path: str, call: Any, dependencies: Any) -> Any:
        key = _dependant_key(path, call, dependencies)
        if key not in built:
            built[key] = build(path=path, call=call, dependencies=dependencies)
        model, body_params, embed = built[key]
        return model, list(body_params), embed

    return dependant


def _memo_body_field(build: Callable[..., Any]) -> Callable[..., Any]:
    built: dict[tuple[Any, ...], Any] = {}

    def body_field(*, body_params: Any, name: str, embed_body_fields: bool) -> Any:
        # By identity: the params of a shared model, kept alive with the answer (ids are not reused).
        key = (tuple(map(id, body_params)), name, embed_body_fields)
        if key not in built:
            made = build(body_params=body_params, name=name, embed_body_fields=embed_body_fields)
            built[key] = (tuple(body_params), made)
        return built[key][1]

    return body_field


def _memo_model_field(build: Callable[..., Any]) -> Callable[..., Any]:
    built: dict[tuple[Any, ...], Any] = {}

    def model_field(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # a type that cannot be a key: build it each time, as FastAPI does
            return build(*args, **kwargs)
        if key not in built:
            built[key] = build(*args, **kwargs)
        return built[key]

    return model_field


_MEMOS = {
    "_build_dependant_with_parameterless_dependencies": _memo_dependant,
    "_get_body_field": _memo_body_field,
    "create_model_field": _memo_model_field,
}


def share_route_models() -> None:
    """Memoise FastAPI's dependency, body and response model builders for this process (once)."""
    if getattr(fastapi.routing, "_marquee_tests_share_models", False):
        return
    for name, memo in _MEMOS.items():
        build = getattr(fastapi.routing, name, None)
        if build is not None:
            setattr(fastapi.routing, name, memo(build))
    fastapi.routing._marquee_tests_share_models = True  # type: ignore[attr-defined]
