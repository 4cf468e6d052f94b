"""What every route needs, kept on ``app.state.marquee``: the store, settings, renderer and caches.

Other routers (community, API) get the store the same way: ``get_site(request).store``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from marquee.services.shared_state import SharedState, film_changed, open_shared_state
from marquee.settings import Settings
from marquee.storage.base import Store
from marquee.web.cache import CHART, HOME, PageCache
from marquee.web.render import Renderer

__all__ = ["CHART_KEY", "HOME_KEY", "Site", "get_site", "get_store", "invalidate_film"]

# Views over many films kept in the page cache: the home page's context (``home_view``) and each
# chart (``chart_view``, keys ``("chart", …)``). Any film's change may change them, so a write to a
# film forgets them too (``invalidate_film``); other workers see the store's version for any film
# bumped (SQLite) or hear the film's notification (PostgreSQL's LISTEN).
HOME_KEY = (HOME,)
CHART_KEY = CHART
_SITE_WIDE = (HOME_KEY, CHART_KEY)


@dataclass
class Site:
    """The app's shared state (one per ``create_app``)."""

    store: Store
    settings: Settings
    renderer: Renderer
    pages: PageCache[Any] = field(init=False)
    shared: SharedState | None = field(init=False)

    def __post_init__(self) -> None:
        # Page versions and rate-limit counts that every worker and host sees alike (None: an
        # in-memory store, which no other process can open).
        self.shared = open_shared_state(self.store)
        shared = self.shared
        self.pages = PageCache(
            self.settings.page_cache_size,
            self.settings.page_cache_seconds,
            versions=shared.version if shared is not None and shared.checks_versions else None,
        )
        if shared is not None and not shared.checks_versions and self.settings.page_cache_size > 0:
            shared.listen(_forget(self.pages))


def _forget(pages: PageCache[Any]) -> Callable[[str | None], None]:
    """What the LISTEN thread calls for a bumped film (None: everything may be stale)."""

    def changed(film_id: str | None) -> None:
        if film_id is None:
            pages.invalidate(None)
        else:
            _forget_film(pages, film_id)

    return changed


def _forget_film(pages: PageCache[Any], film_id: str) -> None:
    """Forget a film's cached pages and the views over many films (they may show it)."""
    pages.invalidate(("title", film_id))
    for key in _SITE_WIDE:
        pages.invalidate(key)


def get_site(request: Request) -> Site:
    """The ``Site`` of the app serving this request."""
    site: Site = request.app.state.marquee
    return site


def get_store(request: Request) -> Store:
    """The store of the app serving this request (a FastAPI dependency for other routers)."""
    return get_site(request).store


def invalidate_film(request: Request, film_id: str) -> None:
    """Forget cached renderings of one film: call after writing to it (a comment, a rating). Other
    workers see the film's page version bumped and render it afresh too."""
    site = get_site(request)
    film_changed(site.shared, film_id)
    _forget_film(site.pages, film_id)
