"""The store's status (``/status``): the context its page, its twin ``/status.json`` and
``/api/v1/status`` share (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marquee.records_community import User
from marquee.services.status import StoreStatus, store_status
from marquee.web.deps import Site

__all__ = ["STATUS_KEY", "StatusContext", "status_context", "status_json"]


@dataclass(frozen=True)
class StatusContext:
    """The status as this viewer may see it (administrators: whole, others: ``StoreStatus.public``)."""

    status: StoreStatus


STATUS_KEY = ("status",)  # the public status in the page cache


def status_context(site: Site, viewer: User | None) -> StatusContext:
    """Gather the status: fresh for administrators (the page is how an operator watches an import
    finish); for everyone else, kept in the page cache for its time to live. Its counts read whole
    tables (~0.1 s at 100k titles; seconds at 12M), and the page is public: uncached, any visitor
    could keep the store busy counting."""
    if viewer is not None and viewer.is_admin:
        return StatusContext(store_status(site.store))
    public: StoreStatus = site.pages.get_or_make(STATUS_KEY, lambda: store_status(site.store).public())
    return StatusContext(public)


def status_json(context: StatusContext) -> dict[str, Any]:
    """The ``/status.json`` and ``/api/v1/status`` body."""
    return context.status.model_dump(mode="json")
