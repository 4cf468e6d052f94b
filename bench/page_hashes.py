"""Film pages' bytes as two versions give them: SHA-1 of each page of a store, to diff between checkouts.

    PYTHONPATH=src .venv/bin/python bench/page_hashes.py STORE.db OUT.txt [--pages N] [--moderator]

Drives ``create_app``'s ASGI callable in-process (as ``bench_cold_asgi.py`` does, page cache off) over
N random titles (seed fixed), then the JSON twins of the first 300, 50 series and two unknown ids:
one line per page with its status, body SHA-1 and headers. ``--moderator`` renders the same titles
through ``titles._render_film`` for a signed-in moderator instead (``security.current_user`` and
``csrf_token`` patched to a fixed member and token, so the editing links and forms show); the member
``mod`` must exist in the store. Run it from each checkout on its own copy of the store, then ``cmp``.
Performance changes to the film page must leave every line the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import random
import sqlite3
import sys
from typing import Any

from bench_cold_asgi import _get, _scope
from marquee.records_community import User
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web import security


def _app(db: str) -> Any:
    from marquee.web.app import create_app

    return create_app(Settings(database_url=f"sqlite:///{db}", page_cache_size=0))


def _signed_out(db: str, sample: list[str], out: Any) -> None:
    app = _app(db)
    found = sqlite3.connect(db).execute("SELECT DISTINCT series_id FROM episodes LIMIT 50")
    series = [row[0] for row in found]
    paths = [f"/title/{i}" for i in sample] + [f"/title/{i}.json" for i in sample[:300]]
    paths += [f"/title/{s}" for s in series] + ["/title/tt0000000", "/title/nope"]

    async def run() -> None:
        for path in paths:
            status, body, headers = await _get(app, path)
            out.write(f"{path} {status} {hashlib.sha1(body).hexdigest()} {sorted(headers)}\n")

    asyncio.run(run())


def _as_moderator(db: str, sample: list[str], out: Any) -> None:
    member = User(id=1, name="mod", role="moderator", created_at=dt.datetime(2026, 1, 1))
    setattr(security, "current_user", lambda request: member)  # noqa: B010
    setattr(security, "csrf_token", lambda request: "token")  # noqa: B010
    app = _app(db)
    from starlette.requests import Request

    from marquee.web import titles

    for film_id in sample:
        request = Request({**_scope(f"/title/{film_id}"), "app": app})
        body = titles._render_film(app.state.marquee, request, film_id, None)
        out.write(f"{film_id} {hashlib.sha1(body).hexdigest()}\n")


def main(db: str, out_path: str, pages: int, moderator: bool) -> None:
    open_store(f"sqlite:///{db}").close()  # a store of an older revision is migrated first
    ids = sorted(row[0] for row in sqlite3.connect(db).execute("SELECT title_id FROM titles"))
    sample = random.Random(7).sample(ids, min(pages, len(ids)))
    with open(out_path, "w", encoding="utf-8") as out:
        (_as_moderator if moderator else _signed_out)(db, sample, out)


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args[args.index("--pages") + 1]) if "--pages" in args else 3000
    main(args[0], args[1], count, "--moderator" in args)
