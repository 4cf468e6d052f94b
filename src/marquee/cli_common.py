"""What the ``marquee`` command's modules share (``cli`` and ``cli_library`` both import it, so
neither imports the other): the ``--db`` option's state, errors as exit codes, the opened store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from marquee.errors import MarqueeError

if TYPE_CHECKING:
    from marquee.settings import Settings
    from marquee.storage.sqlstore import SqlStore

__all__ = ["cli_settings", "errors_to_exit", "fail", "opened_store", "state"]


class _State:
    db_url: str | None = None


state = _State()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error on stderr and exit."""
    typer.echo(f"marquee: error: {message}", err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn Marquee's exception tree into exit codes, in one place."""
    try:
        yield
    except MarqueeError as exc:
        fail(str(exc), exc.exit_code)  # each error class carries its exit code


def cli_settings(**options: Any) -> Settings:
    """The settings: this command's options (None = not given) and --db over the environment, ``.env``
    and the defaults; a bad value stops the command with one line naming its variable (exit 1)."""
    from marquee.settings import load_settings

    with errors_to_exit():
        return load_settings(database_url=state.db_url, **options)


@contextlib.contextmanager
def opened_store(settings: Settings | None = None) -> Iterator[SqlStore]:
    """Open the store named by --db, MARQUEE_DATABASE_URL (or ``.env``) or the default."""
    from marquee.storage import open_store

    url = (settings or cli_settings()).store_url
    with errors_to_exit():
        store = open_store(url)
        try:
            yield store
        finally:
            store.close()
