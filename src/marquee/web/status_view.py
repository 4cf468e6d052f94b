"""The store's status (``/status``): the context its page, its twin ``/status.json`` and
``/api/v1/status`` share (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marquee.records_community import User
from marquee.services.status import StoreStatus, store_status
from marquee.web.deps import Site

__all__ = ["StatusContext", "status_context", "status_json"]


@dataclass(frozen=True)
class StatusContext:
    """The status as this viewer may see it (administrators: whole, others: ``StoreStatus.public``)."""

    status: StoreStatus


def status_context(site: Site, viewer: User | None) -> StatusContext:
    """Gather the status (not cached: the page is how an operator watches an import finish)."""
    data = store_status(site.store)
    return StatusContext(data if viewer is not None and viewer.is_admin else data.public())


def status_json(context: StatusContext) -> dict[str, Any]:
    """The ``/status.json`` and ``/api/v1/status`` body."""
    return context.status.model_dump(mode="json")
