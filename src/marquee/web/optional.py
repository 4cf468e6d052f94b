"""Services built by other work that may not be installed yet (search, browse, charts).

Pages that need them say so instead of failing; once the modules exist they are used as is.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from typing import Any

__all__ = ["browse_service", "community_service", "search_service"]


@cache
def _module(name: str) -> Any:
    """The module, or None when it is not there."""
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def search_service() -> Any:
    """``marquee.services.search`` (search_titles, suggest_titles, search_people, search_text) or None."""
    return _module("marquee.services.search")


def browse_service() -> Any:
    """``marquee.services.browse`` (BrowseFilters, browse, top_rated, most_voted) or None."""
    return _module("marquee.services.browse")


def community_service() -> Any:
    """``marquee.services.community`` (member_rating_summary, reviews, comments) or None."""
    return _module("marquee.services.community")
