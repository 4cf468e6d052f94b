"""CLI commands for discovery (issue 21), registered by ``marquee.cli``:

marquee similar ID [--json] [--limit N]      # films like this one, from the stored lists
marquee similar --rebuild                    # compute every film's list again
marquee recommend --user NAME [--json] [--limit N]
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Annotated

import typer

from marquee.cli_common import errors_to_exit, fail, opened_store

if TYPE_CHECKING:
    from marquee.storage.sqlstore import SqlStore

__all__ = ["AUTO_REBUILD_MAX_FILMS", "after_import", "register"]

# After an import, similar films are rebuilt at once up to this many films; a larger catalogue is
# told to run `marquee similar --rebuild` itself. The sparse-matrix build costs ~0.5 ms CPU a film
# (BENCHMARKS.md, similar films): under a minute at this size.
AUTO_REBUILD_MAX_FILMS = 100_000


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def similar(
    film_id: Annotated[str | None, typer.Argument(metavar="ID", help="tt… id or slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the films as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 10,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Compute every film's list again.")] = False,
) -> None:
    """Films like this one (shared people, genres, era, kind and members' co-ratings)."""
    from marquee.services.discover import rebuild_similar, similar_titles

    if rebuild:
        if film_id is not None:
            fail("give an ID or --rebuild, not both")
        start = time.perf_counter()
        with opened_store() as store, errors_to_exit():
            count = rebuild_similar(store)
        typer.echo(f"similar films: {count:,} films have a list ({time.perf_counter() - start:.1f} s)")
        return
    if film_id is None:
        fail("give a film ID (or --rebuild)")
    with opened_store() as store, errors_to_exit():
        found = similar_titles(store, film_id, limit)
    if as_json:
        typer.echo(_dump([item.model_dump(mode="json") for item in found]))
        return
    if not found:
        typer.echo("no similar films stored (run `marquee similar --rebuild`)", err=True)
    for item in found:
        year = f" ({item.year})" if item.year else ""
        typer.echo(f"{item.id}\t{item.title}{year}\t{item.score:.3f}\t{item.reason}")


def recommend(
    user: Annotated[str, typer.Option("--user", "-u", help="The member to recommend films to.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the films as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 20,
) -> None:
    """Films for a member, from what they rated highly (leaving out what they rated, logged or listed)."""
    from marquee.services.discover import recommendations

    with opened_store() as store, errors_to_exit():
        found = recommendations(store, user, limit)
    if as_json:
        typer.echo(_dump([item.model_dump(mode="json") for item in found]))
        return
    if not found:
        typer.echo(f"no recommendations for {user} yet (rate some films)", err=True)
    for item in found:
        year = f" ({item.year})" if item.year else ""
        typer.echo(f"{item.id}\t{item.title}{year}\t{item.reason}")


def after_import(store: SqlStore) -> None:
    """After a catalogue import: followers' notices, and every film's similar films (silent; past
    ``AUTO_REBUILD_MAX_FILMS`` a note says how to rebuild them)."""
    from marquee.services.discover import rebuild_similar
    from marquee.services.follows import collect_notices

    with errors_to_exit():
        collect_notices(store)
    films = store.count_films()
    if films > AUTO_REBUILD_MAX_FILMS:
        typer.echo(
            f"marquee: note: {films:,} films: run `marquee similar --rebuild` for similar films", err=True
        )
        return
    with errors_to_exit():
        rebuild_similar(store)


def register(app: typer.Typer) -> None:
    """Add ``similar`` and ``recommend`` to the ``marquee`` command."""
    app.command("similar")(similar)
    app.command("recommend")(recommend)
