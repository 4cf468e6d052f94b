"""CLI commands for discovery (issue 21), registered by ``marquee.cli``:

marquee similar ID [--json] [--limit N]      # films like this one, from the stored lists
marquee similar --rebuild                    # compute every film's list again
marquee recommend --user NAME [--json] [--limit N]
marquee follow --user NAME (--person ID | --list ID) [--stop]
marquee notices --user NAME [--json]           # new titles of what they follow, and their feed's path
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Annotated, Any

import typer

from marquee.cli_common import errors_to_exit, fail, opened_store

if TYPE_CHECKING:
    from marquee.storage.sqlstore import SqlStore

__all__ = ["AUTO_REBUILD_MAX_FILMS", "after_import", "register"]

# After an import, similar films are rebuilt at once up to this many films; a larger catalogue is
# told to run `marquee similar --rebuild` itself. The sparse-matrix build costs ~0.5 ms CPU a film
# (BENCHMARKS.md, similar films): under a minute at this size.
AUTO_REBUILD_MAX_FILMS = 100_000
# What the import's progress display shows while this step runs.
SIMILAR_STEP = "finding similar films"


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


def _member(store: SqlStore, name: str) -> Any:
    from marquee.errors import NotFound
    from marquee.services.accounts import get_user
    from marquee.services.discover import check_id

    check_id(name, "member name")
    found = get_user(store, name)
    if found is None:
        raise NotFound(f"no member named {name!r}")
    return found


def follow(
    user: Annotated[str, typer.Option("--user", "-u", help="The member who follows.")],
    person: Annotated[str | None, typer.Option("--person", help="A person's id (nm…).")] = None,
    list_id: Annotated[str | None, typer.Option("--list", help="A member's list, by its id.")] = None,
    stop: Annotated[bool, typer.Option("--stop", help="Stop following instead.")] = False,
) -> None:
    """Follow a person or a member's list: titles that come to them later become the member's notices."""
    from marquee.services import follows

    if (person is None) == (list_id is None):
        fail("give --person ID or --list ID (one of them)")
    kind: follows.FollowKind = "person" if person is not None else "list"
    target = person if person is not None else list_id
    assert target is not None
    with opened_store() as store, errors_to_exit():
        member = _member(store, user)
        if stop:
            changed = follows.unfollow(store, member, kind, target)
        else:
            changed = follows.follow(store, member, kind, target)
    verb = (
        ("stopped following" if changed else "was not following")
        if stop
        else ("now follows" if changed else "already follows")
    )
    typer.echo(f"{member.name} {verb} {kind} {target}")


def notices(
    user: Annotated[str, typer.Option("--user", "-u", help="The member whose notices to show.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the notices as JSON.")] = False,
) -> None:
    """A member's notices: new titles of the people and lists they follow, newest first."""
    from urllib.parse import quote

    from marquee.services import follows

    with opened_store() as store, errors_to_exit():
        member = _member(store, user)
        found = follows.notices(store, member, member.name)
        token = follows.feed_token(store, member, member.name)
    feed = f"/user/{quote(member.name)}/notices.atom?token={quote(token)}"
    if as_json:
        body = {
            "user": member.name,
            "notices": [{**n.model_dump(mode="json"), "message": n.message} for n in found],
            "feed": feed,
        }
        typer.echo(_dump(body))
        return
    if not found:
        typer.echo(f"no notices for {member.name} yet", err=True)
    for n in found:
        typer.echo(f"{n.created_at.date().isoformat()}\t{n.film_id}\t{n.message}")
    typer.echo(f"feed: {feed}", err=True)


def after_import(
    store: SqlStore, say: Callable[[str], None] | None = None, changed: Collection[str] | None = None
) -> None:
    """After a catalogue import: followers' notices, and every film's similar films (``say``, if
    given, names the step to the progress display: at 100,000 films it takes ~35 s of CPU; past
    ``AUTO_REBUILD_MAX_FILMS`` a note says how to rebuild them). ``changed``: the films a re-import
    added, changed or removed; only the lists they touch are made again (none if it changed none)."""
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
    if changed is not None and not changed:
        return
    if say is not None:
        say(SIMILAR_STEP)
    with errors_to_exit():
        rebuild_similar(store, changed)


def register(app: typer.Typer) -> None:
    """Add ``similar``, ``recommend``, ``follow`` and ``notices`` to the ``marquee`` command."""
    app.command("similar")(similar)
    app.command("recommend")(recommend)
    app.command("follow")(follow)
    app.command("notices")(notices)
