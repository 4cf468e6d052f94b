"""A member's recommendations: the context the site's page, its twin and the API route share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marquee.services import discover
from marquee.services.discover import Recommendation
from marquee.storage.base import Store

__all__ = ["RecommendationsContext", "recommendations_context", "recommendations_json"]


@dataclass(frozen=True)
class RecommendationsContext:
    """The member and the films recommended to them, each with its reasons, best first."""

    owner: str
    recommendations: Sequence[Recommendation]


def recommendations_context(store: Store, owner: str, limit: int) -> RecommendationsContext:
    """Gather the member's best ``limit`` recommendations (the caller checked they are theirs to read)."""
    return RecommendationsContext(owner, discover.recommendations(store, owner, limit))


def recommendations_json(context: RecommendationsContext) -> dict[str, Any]:
    """The body of ``/user/{name}/recommendations.json`` and ``/api/v1/users/{name}/recommendations``."""
    return {
        "user": context.owner,
        "recommendations": [item.model_dump(mode="json") for item in context.recommendations],
    }
