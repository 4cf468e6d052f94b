"""A member's library sections: what the site's section pages, their twins and ``/api/v1/me/…`` show.

``section_entries`` reads one section (watchlist, diary, lists, ratings, reviews); ``record_json``
dumps its records the one way the twins and the API both answer them.
"""

from __future__ import annotations

from typing import Any

from marquee.services import library, library_member
from marquee.storage.base import Store

__all__ = ["SECTIONS", "record_json", "section_entries"]

SECTIONS = ("watchlist", "diary", "lists", "ratings", "reviews")


def section_entries(store: Store, owner: str, section: str, *, hidden_too: bool = False) -> list[Any]:
    """One section of the member's library (``hidden_too``: their hidden reviews, for them alone)."""
    if section == "watchlist":
        return list(library.watchlist_of(store, owner))
    if section == "diary":
        return list(library.diary(store, owner))
    if section == "ratings":
        return list(library_member.ratings_of(store, owner))
    if section == "reviews":
        return list(library_member.reviews_of(store, owner, hidden_too=hidden_too))
    return list(library.member_lists_of(store, owner))


def record_json(value: Any) -> Any:
    """Records as JSON data; a diary entry keeps its id (the record leaves it out of exports)."""
    if isinstance(value, list):
        return [record_json(item) for item in value]
    data = value.model_dump(mode="json")
    if getattr(value, "id", None) is not None and "id" not in data:
        data = {"id": value.id, **data}
    return data
