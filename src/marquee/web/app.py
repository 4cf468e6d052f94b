"""The web app factory: ``create_app(settings, store)`` builds a FastAPI app serving Marquee's pages.

    app = create_app(Settings(database_url="sqlite:///marquee-data/marquee.db"))
    uvicorn.run(app)

With no settings it reads them (environment, ``.env``, defaults: ``marquee.settings``), so
``uvicorn marquee.web.app:create_app --factory`` serves the store ``MARQUEE_DATABASE_URL`` names.

Errors are turned into responses in one place (``error_pages.install``): HTML pages for
pages, JSON for ``.json`` twins and the API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from marquee.errors import InputError
from marquee.services import accounts
from marquee.settings import Settings, load_settings
from marquee.storage import open_store
from marquee.storage.base import Store
from marquee.web import (
    admin,
    api,
    community,
    editing,
    error_pages,
    feeds,
    follows,
    library,
    library_forms,
    listings,
    pages,
    people,
    recommendations,
    revision_pages,
    search_pages,
    security,
    stats_pages,
    status,
    titles,
)
from marquee.web.cors import ApiCors, parse_origins
from marquee.web.deps import Site
from marquee.web.fast_path import FastPathApp
from marquee.web.guards import BodyLimit, SecurityHeaders
from marquee.web.head import HeadAsGet
from marquee.web.ratelimit import RateLimiter
from marquee.web.render import Renderer

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).parent / "static"
# In this order: the API's last route answers every unknown /api/… path, so it comes after any
# other router that could serve one, and before the site's pages.
ROUTERS = (
    feeds,
    follows,
    recommendations,
    community,
    admin,
    library_forms,
    library,
    stats_pages,
    status,
    api,
    pages,
    editing,
    revision_pages,
    titles,
    people,
    search_pages,
    listings,
)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app on ``store`` (default: the store ``settings.database_url`` names, opened here), closed
    when the app shuts down. ``settings`` default to the environment's (``load_settings``): this and
    the CLI are the only places that read them. Raises InputError for a bad setting."""
    settings = settings or load_settings()
    store = store or open_store(settings.store_url)
    try:
        cors_origins = parse_origins(settings.api_cors_origins)  # a bad origin stops the start
    except InputError:
        store.close()  # the app owns the store from here on
        raise
    if settings.demo_if_empty:
        from marquee.services.demo import ensure_demo_store

        ensure_demo_store(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if site.shared is not None:
            site.shared.close()
        store.close()

    # No /docs or /redoc: their pages load scripts from a CDN, and every asset must be ours.
    # No whole-app /openapi.json either: the API's own document is /api/v1/openapi.json.
    app = FastPathApp(
        title=settings.site_name, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    site = Site(store=store, settings=settings, renderer=Renderer(settings))
    site.renderer.viewer = security.current_user
    given = settings.model_fields_set  # the write queue's bounds, if set (else limits' defaults)
    accounts.configure_writes(
        store,
        settings.write_wait_seconds if "write_wait_seconds" in given else None,
        settings.waiting_writers if "waiting_writers" in given else None,
    )
    app.state.marquee_api_limiter = RateLimiter.from_settings(settings, site.shared)
    app.state.marquee = site
    error_pages.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    community.install(app)  # the film page's community panel, for the site's templates
    api.install(app)  # the API's fast path for cached records
    # Outermost last: CORS sees every API answer (the fast paths' too), and HEAD goes in as GET;
    # a body over the limit is refused before anything reads it; every answer gets the security headers.
    app.add_middleware(ApiCors, origins=cors_origins)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
